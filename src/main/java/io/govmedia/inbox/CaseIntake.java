package io.govmedia.inbox;

import io.vertx.core.Future;

/**
 * Makes a case of an arriving message (or joins it to the citizen's open case of the last 30 minutes, or merges a
 * repeat of the last 24 h), then routes, assigns and acknowledges it. Idempotent on {@link Incoming#sourceId()}.
 */
public interface CaseIntake {

  /** @param joined true when the message joined or merged into an existing case instead of opening one */
  record Accepted(String caseId, String number, boolean joined) {
  }

  Future<Accepted> accept(Incoming incoming);
}
