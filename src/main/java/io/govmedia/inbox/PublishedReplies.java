package io.govmedia.inbox;

import io.govmedia.checks.PersonalData;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The published replies as the public reads them (the mini-program's public Q&A): approved records only, newest
 * case first, with receipt and reply dates, the replying department, the question and the reply. They were masked
 * when staff asked for publication (DOMAIN §4); ID and mobile numbers are masked once more on the way out, should a
 * reviewer have let one through.
 */
public final class PublishedReplies {

  private final PublicReplyStore store;

  PublishedReplies(PublicReplyStore store) {
    this.store = store;
  }

  public Future<JsonObject> page(Page page) {
    return store.list(PublicReply.Status.PUBLISHED, null, page.cursor(), page.limit())
      .map(found -> page.answer(found, PublishedReplies::shown, PublicReply::id));
  }

  /** One published reply; anything else (unknown, pending, rejected, malformed id) is the same 404. */
  public Future<JsonObject> one(String id) {
    return Ids.lookup(id, store::find, "公开答复").compose(r -> r.status() == PublicReply.Status.PUBLISHED
      ? Future.succeededFuture(shown(r)) : Future.failedFuture(Problem.notFound("公开答复")));
  }

  private static JsonObject shown(PublicReply r) {
    JsonObject json = r.toPublicJson();
    for (String field : new String[] {"title", "question", "reply"}) {
      String text = json.getString(field);
      json.put(field, text == null ? null : PersonalData.mask(text));
    }
    return json;
  }
}
