package io.govmedia.citizen;

import io.govmedia.content.ContentFeature;
import io.govmedia.content.PublicItem;
import io.govmedia.media.MediaFeature;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An article's page in the mini-program: its body (sanitized HTML as stored), its images, video and audio (public
 * {@code /media} URLs that answer Range), the policy document it is about with its validity (and successor when out
 * of force), and the document's other published interpretations. Only what is in the feed has a page: anything else
 * (unpublished, withdrawn, unknown) is the same 404.
 */
final class ArticleView {

  static final int OTHER_INTERPRETATIONS = 20;

  private final Feed feed;
  private final ContentFeature content;
  private final MediaFeature media;
  private final String mediaBase;
  private final Clock clock;

  ArticleView(Feed feed, ContentFeature content, MediaFeature media, String mediaBase, Clock clock) {
    this.feed = feed;
    this.content = content;
    this.media = media;
    this.mediaBase = mediaBase;
    this.clock = clock;
  }

  static Problem notFound() {
    return Problem.notFound("文章");
  }

  /** The page, kept no longer than until its document's expiry (then "expired" must show). */
  Future<CitizenCache.Fresh> detail(String id) {
    return feed.entry(id).compose(entry -> entry == null ? Future.failedFuture(notFound())
      : content.publicItem(id).compose(item -> item == null ? Future.failedFuture(notFound()) : page(entry, item)));
  }

  private Future<CitizenCache.Fresh> page(FeedEntry entry, PublicItem item) {
    Future<Map<String, String>> types = item.assetIds().isEmpty() ? Future.succeededFuture(Map.of())
      : media.types(item.assetIds());
    Future<PublicItem> document = entry.documentId() == null ? Future.succeededFuture(null)
      : content.publicItem(entry.documentId());
    Future<List<JsonObject>> others = entry.documentId() == null ? Future.succeededFuture(List.of())
      : otherInterpretations(entry.documentId(), item.id());
    return Future.all(types, document, others).compose(all -> successor(all.resultAt(1)).map(successor -> {
      PublicItem doc = all.resultAt(1);
      JsonObject json = entry.item().put("body", item.body());
      addMedia(json, item.assetIds(), all.resultAt(0));
      if (item.interpretation() != null && item.interpretation().interpreterName() != null) {
        json.put("interpreter", new JsonObject().put("name", item.interpretation().interpreterName())
          .put("title", item.interpretation().interpreterTitle()));
      }
      json.put("document", doc == null ? null : document(doc, successor));
      json.put("otherInterpretations", new JsonArray(all.<List<JsonObject>>resultAt(2)));
      return new CitizenCache.Fresh(json, keep(doc));
    }));
  }

  /** Images with their thumbnails, then video and audio; anything else (a deleted asset) is left out. */
  private void addMedia(JsonObject json, List<String> assetIds, Map<String, String> typeOf) {
    JsonArray images = new JsonArray();
    JsonArray videos = new JsonArray();
    JsonArray audios = new JsonArray();
    for (String assetId : assetIds) {
      String url = mediaBase + "/media/" + assetId;
      switch (typeOf.getOrDefault(assetId, "")) {
        case "image" -> images.add(new JsonObject().put("url", url).put("thumbnailUrl", feed.thumbnail(assetId)));
        case "video" -> videos.add(new JsonObject().put("url", url));
        case "audio" -> audios.add(new JsonObject().put("url", url));
        default -> { }
      }
    }
    json.put("images", images).put("videos", videos).put("audios", audios);
  }

  /** The successor of a document out of force, when it is published itself. */
  private Future<PublicItem> successor(PublicItem document) {
    if (document == null || document.document().successorId() == null
      || !document.document().expired(clock.instant())) {
      return Future.succeededFuture(null);
    }
    return content.publicItem(document.document().successorId());
  }

  private JsonObject document(PublicItem doc, PublicItem successor) {
    PublicItem.DocumentFacts facts = doc.document();
    boolean expired = facts.expired(clock.instant());
    return new JsonObject().put("id", doc.id()).put("title", doc.title()).put("docNumber", facts.docNumber())
      .put("issuer", facts.issuer()).put("category", facts.category()).put("issuedAt", Times.show(facts.issuedAt()))
      .put("effectiveAt", Times.show(facts.effectiveAt())).put("expiresAt", Times.show(facts.expiresAt()))
      .put("validity", expired ? "expired" : "valid")
      .put("validityRecorded", facts.validity())
      .put("successor", successor == null ? null : new JsonObject().put("id", successor.id())
        .put("title", successor.title()).put("pageUrl", mediaBase + "/p/" + successor.id()))
      .put("pageUrl", mediaBase + "/p/" + doc.id());
  }

  private Future<List<JsonObject>> otherInterpretations(String documentId, String self) {
    return feed.newest("doc:" + documentId, OTHER_INTERPRETATIONS + 1)
      .compose(ids -> feed.entries(ids).map(found -> ids.stream().filter(id -> !id.equals(self)).map(found::get)
        .filter(java.util.Objects::nonNull).limit(OTHER_INTERPRETATIONS).map(FeedEntry::item).toList()));
  }

  /** A document that expires later turns "expired" then: the cached page must not outlive that moment. */
  private Duration keep(PublicItem doc) {
    if (doc == null || doc.document().expiresAt() == null) {
      return null;
    }
    Instant now = clock.instant();
    Instant expires = doc.document().expiresAt();
    return expires.isAfter(now) ? Duration.between(now, expires) : null;
  }
}
