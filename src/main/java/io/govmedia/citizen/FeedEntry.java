package io.govmedia.citizen;

import io.govmedia.platform.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One article in the citizens' feed: a published interpretation, or a post whose mini-program slot is published. What
 * the feed shows of it ({@link #item}) and where it is listed ({@link #sets}): everything, its document's category,
 * the mini-programs it was published on (posts), its document (interpretations, for "the document's other
 * interpretations").
 *
 * @param form      the content's form: an interpretation's ({@code text}, {@code infographic}, {@code video},
 *                  {@code audio}, {@code qa}, {@code expert}); a post takes its source interpretation's, else
 *                  {@code video} when it shows one, else {@code text}
 * @param coverUrl  a thumbnail served by {@code /media} (a post's cover, an interpretation's first image), or null
 */
record FeedEntry(String id, String kind, String title, String digest, String coverUrl, String form,
                 Instant publishedAt, String category, String documentId, List<String> accountIds) {

  static final int DIGEST_CHARS = 80;
  private static final Map<String, String> FORM_LABELS = Map.of("text", "文字", "infographic", "图解", "video", "视频",
    "audio", "音频", "qa", "问答", "expert", "专家解读");

  /** The feed's view of the article. */
  JsonObject item() {
    return new JsonObject().put("id", id).put("kind", kind).put("title", title).put("digest", digest)
      .put("coverUrl", coverUrl).put("form", form).put("formLabel", FORM_LABELS.getOrDefault(form, "文字"))
      .put("category", category).put("publishedAt", Times.show(publishedAt));
  }

  /** The feed's sorted sets holding the article (keys without the prefix). */
  List<String> sets() {
    List<String> sets = new ArrayList<>();
    sets.add("all");
    if (category != null) {
      sets.add("cat:" + category);
    }
    accountIds.forEach(account -> sets.add("acct:" + account));
    if ("interpretation".equals(kind) && documentId != null) {
      sets.add("doc:" + documentId);
    }
    return sets;
  }

  /** Publication time in milliseconds: the sets' score (ties ordered by id, as Redis orders equal scores). */
  long score() {
    return publishedAt.toEpochMilli();
  }

  String encode() {
    return item().put("publishedAtMs", score()).put("documentId", documentId)
      .put("accountIds", new JsonArray(accountIds)).encode();
  }

  static FeedEntry decode(String json) {
    JsonObject o = new JsonObject(json);
    return new FeedEntry(o.getString("id"), o.getString("kind"), o.getString("title"), o.getString("digest"),
      o.getString("coverUrl"), o.getString("form"), Instant.ofEpochMilli(o.getLong("publishedAtMs")),
      o.getString("category"), o.getString("documentId"),
      o.getJsonArray("accountIds", new JsonArray()).stream().map(String::valueOf).toList());
  }

  /** The first characters of the reader's text, cut at a whole character, for a digest. */
  static String digestOf(String given, String bodyText) {
    if (given != null && !given.isBlank()) {
      return given;
    }
    if (bodyText == null) {
      return "";
    }
    String text = bodyText.strip().replaceAll("\\s+", " ");
    if (text.codePointCount(0, text.length()) <= DIGEST_CHARS) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, DIGEST_CHARS)) + "…";
  }
}
