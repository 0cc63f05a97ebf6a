package io.govmedia.content;

import io.govmedia.platform.Page;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.List;

/**
 * 失效文件清单 as the public sees it (国办发〔2017〕47号): published documents no longer in force — repealed, amended,
 * or expired by mark or by date — newest first, each with its number, issuer, expiry date and successor.
 */
public final class ExpiredDocuments {

  private final ItemStore items;
  private final Clock clock;

  ExpiredDocuments(ItemStore items, Clock clock) {
    this.items = items;
    this.clock = clock;
  }

  /** {@code {"items": [...], "next"}}; a successor is shown only once it is published. */
  public Future<JsonObject> page(Page page) {
    return items.expiredDocuments(clock.instant(), page).compose(found -> {
      List<Item> shown = found.size() > page.limit() ? found.subList(0, page.limit()) : found;
      return Future.all(shown.stream().map(this::view).toList()).map(views -> {
        JsonArray array = new JsonArray();
        for (int i = 0; i < shown.size(); i++) {
          array.add(views.<JsonObject>resultAt(i));
        }
        String next = found.size() > page.limit() ? shown.get(shown.size() - 1).id() : null;
        return new JsonObject().put("items", array).put("next", next);
      });
    });
  }

  private Future<JsonObject> view(Item document) {
    Attrs.DocumentInfo info = document.attrs().document();
    Attrs.Validity validity = document.attrs().validity();
    JsonObject json = new JsonObject().put("id", document.id()).put("title", document.title())
      .put("docNumber", info == null ? null : info.docNumber()).put("issuer", info == null ? null : info.issuer())
      // a document marked valid whose expiry date has passed is expired
      .put("validity", validity == null || "valid".equals(validity.state()) ? "expired" : validity.state())
      .put("expiresAt", info == null ? null : Times.show(info.expiresAt()));
    String successorId = validity == null ? null : validity.successorId();
    if (successorId == null) {
      return Future.succeededFuture(json.putNull("successor"));
    }
    return items.find(ItemKind.DOCUMENT, successorId).map(successor -> json.put("successor",
      successor == null || successor.status() != ReviewStatus.PUBLISHED ? null
        : new JsonObject().put("id", successor.id()).put("title", successor.title())));
  }
}
