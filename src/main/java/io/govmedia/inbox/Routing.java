package io.govmedia.inbox;

import io.vertx.core.Future;

/** The admins' ordered rules (lowest priority number first) that send a case to a department. */
public interface Routing {

  record Facts(String text, Category category, String accountId, String region) {
  }

  /** The department of the first matching rule, or null: the case waits in the dispatchers' queue (分拨). */
  Future<String> departmentFor(Facts facts);
}
