package io.govmedia.content;

import io.govmedia.checks.PersonalData;
import io.govmedia.platform.AuditLog;
import io.govmedia.search.SearchIndex;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What follows every stored change of an item, whoever made it (staff through the API, or publishing): audit, then search. */
final class ItemChanges {

  private static final Logger log = LoggerFactory.getLogger(ItemChanges.class);

  private final AuditLog audit;
  private final SearchIndex search;
  private final PublicChanges publicChanges;

  ItemChanges(AuditLog audit, SearchIndex search, PublicChanges publicChanges) {
    this.audit = audit;
    this.search = search;
    this.publicChanges = publicChanges;
  }

  /**
   * Audits the change, then indexes it for search, then tells the public side (feed, cache) when it concerns published
   * content; a failed index update is logged, not the change's failure.
   */
  Future<Item> recorded(AuditLog.Actor actor, String requestId, Item item, String action, Item before) {
    return audit.append(actor, action, item.kind().wire(), item.id(), before == null ? null : summary(before),
        summary(item), requestId)
      .compose(v -> search.put(item.searchEntry())
        .recover(failure -> {
          log.warn("search index not updated for {} {}; it catches up on the next change or reload",
            item.kind().wire(), item.id(), failure);
          return Future.succeededFuture();
        }))
      .compose(v -> publicChanges.changed(before, item))
      .map(item);
  }

  private static JsonObject summary(Item item) {
    return new JsonObject().put("status", item.status().wire()).put("version", item.version())
      .put("title", PersonalData.mask(item.title())).put("stage", item.stage()).put("departmentId", item.departmentId());
  }
}
