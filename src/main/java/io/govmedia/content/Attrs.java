package io.govmedia.content;

import io.govmedia.platform.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The kind-specific fields of an item, stored flat in its {@code attrs} sub-document (queries name
 * {@code attrs.validity}, {@code attrs.documentId}…): a document has {@code document} and {@code validity}, an
 * interpretation {@code interpretation}, a post {@code post}; what a kind does not have is null. On an edit the same records carry
 * the patch, null meaning "unchanged".
 */
record Attrs(DocumentInfo document, Validity validity, Exemption exemption, InterpretationInfo interpretation,
             Late late, PostInfo post) {

  static final Attrs NONE = new Attrs(null, null, null, null, null, null);

  /** 文号, issuer, category, dates and attachments of a policy document. */
  record DocumentInfo(String docNumber, String issuer, String category, Instant issuedAt, Instant effectiveAt,
                      Instant expiresAt, List<String> attachmentIds) {

    DocumentInfo mergedWith(DocumentInfo patch) {
      return patch == null ? this : new DocumentInfo(or(patch.docNumber, docNumber), or(patch.issuer, issuer),
        or(patch.category, category), or(patch.issuedAt, issuedAt), or(patch.effectiveAt, effectiveAt),
        or(patch.expiresAt, expiresAt), or(patch.attachmentIds, attachmentIds));
    }

    boolean expiresBeforeEffect() {
      return expiresAt != null && effectiveAt != null && expiresAt.isBefore(effectiveAt);
    }
  }

  /** valid, amended, repealed or expired; an amended or repealed document may name its successor. */
  record Validity(String state, String successorId, String note) {}

  /** 同步审签: why a reviewer let the document go to review without an interpretation. */
  record Exemption(String reason, String by, String byId, Instant at) {}

  /** The document interpreted, the form, the media and who interprets. */
  record InterpretationInfo(String documentId, String form, List<String> assetIds, Interpreter interpreter) {

    InterpretationInfo mergedWith(InterpretationInfo patch) {
      return patch == null ? this : new InterpretationInfo(documentId, or(patch.form, form),
        or(patch.assetIds, assetIds), or(patch.interpreter, interpreter));
    }
  }

  record Interpreter(String name, String title) {}

  /** An interpretation published after its due days. */
  record Late(long days, int dueDays, String counting, String note) {}

  /**
   * What goes to the channels: the source it was made from (a published document or interpretation, or none), the
   * first video of a source interpretation, and a variant per channel (null: not for that channel). The WeChat
   * article's HTML is the post's body, so it is not kept twice.
   */
  record PostInfo(String sourceId, String sourceKind, String videoAssetId, WeChat wechat, Weibo weibo,
                  Boolean miniapp) {

    /** Variants given in an edit replace the stored ones whole; the source stays. */
    PostInfo mergedWith(PostInfo patch) {
      return patch == null ? this : new PostInfo(sourceId, sourceKind, videoAssetId, or(patch.wechat, wechat),
        or(patch.weibo, weibo), or(patch.miniapp, miniapp));
    }

    PostInfo withSource(String kind, String video) {
      return new PostInfo(sourceId, kind, video, wechat, weibo, miniapp);
    }

    boolean toMiniapp() {
      return Boolean.TRUE.equals(miniapp);
    }

    /** The assets the post shows besides those in its body: the cover and the Weibo picture. */
    List<String> assetIds() {
      List<String> ids = new ArrayList<>();
      if (wechat != null) {
        ids.add(wechat.coverAssetId);
      }
      if (weibo != null && weibo.pictureAssetId != null) {
        ids.add(weibo.pictureAssetId);
      }
      return ids;
    }
  }

  /** The WeChat article but its HTML (the post's body). */
  record WeChat(String title, String author, String digest, String coverAssetId, String sourceUrl,
                boolean commentsOpen) {}

  /** The Weibo text, without the link the publisher appends. */
  record Weibo(String text, String pictureAssetId) {}

  Attrs mergedWith(Attrs patch) {
    return new Attrs(document == null ? null : document.mergedWith(patch.document), validity, exemption,
      interpretation == null ? null : interpretation.mergedWith(patch.interpretation), late,
      post == null ? null : post.mergedWith(patch.post));
  }

  Attrs withValidity(Validity changed) {
    return new Attrs(document, changed, exemption, interpretation, late, post);
  }

  Attrs withExemption(Exemption granted) {
    return new Attrs(document, validity, granted, interpretation, late, post);
  }

  Attrs withLate(Late found) {
    return new Attrs(document, validity, exemption, interpretation, found, post);
  }

  Attrs withPost(PostInfo changed) {
    return new Attrs(document, validity, exemption, interpretation, late, changed);
  }

  List<String> attachmentIds() {
    return document == null || document.attachmentIds == null ? List.of() : document.attachmentIds;
  }

  List<String> assetIds() {
    return interpretation == null || interpretation.assetIds == null ? List.of() : interpretation.assetIds;
  }

  String documentId() {
    return interpretation == null ? null : interpretation.documentId;
  }

  Instant expiresAt() {
    return document == null ? null : document.expiresAt;
  }

  String validityState() {
    return validity == null ? null : validity.state;
  }

  Document toDocument() {
    Document d = new Document();
    if (document != null) {
      put(d, "docNumber", document.docNumber);
      put(d, "issuer", document.issuer);
      put(d, "category", document.category);
      put(d, "issuedAt", Times.date(document.issuedAt));
      put(d, "effectiveAt", Times.date(document.effectiveAt));
      put(d, "expiresAt", Times.date(document.expiresAt));
      put(d, "attachmentIds", document.attachmentIds);
    }
    if (validity != null) {
      put(d, "validity", validity.state);
      put(d, "successorId", validity.successorId);
      put(d, "validityNote", validity.note);
    }
    if (exemption != null) {
      d.put("interpretationExemption", new Document("reason", exemption.reason).append("by", exemption.by)
        .append("byId", exemption.byId).append("at", Times.date(exemption.at)));
    }
    if (interpretation != null) {
      put(d, "documentId", interpretation.documentId);
      put(d, "form", interpretation.form);
      put(d, "assetIds", interpretation.assetIds);
      if (interpretation.interpreter != null) {
        d.put("interpreter", new Document("name", interpretation.interpreter.name)
          .append("title", interpretation.interpreter.title));
      }
    }
    if (post != null) {
      put(d, "sourceId", post.sourceId);
      put(d, "sourceKind", post.sourceKind);
      put(d, "videoAssetId", post.videoAssetId);
      if (post.wechat != null) {
        d.put("wechat", new Document("title", post.wechat.title).append("author", post.wechat.author)
          .append("digest", post.wechat.digest).append("coverAssetId", post.wechat.coverAssetId)
          .append("sourceUrl", post.wechat.sourceUrl).append("commentsOpen", post.wechat.commentsOpen));
      }
      if (post.weibo != null) {
        d.put("weibo", new Document("text", post.weibo.text).append("pictureAssetId", post.weibo.pictureAssetId));
      }
      if (post.toMiniapp()) {
        d.put("miniapp", new Document());
      }
    }
    if (late != null) {
      d.put("late", new Document("days", late.days).append("dueDays", late.dueDays).append("counting", late.counting)
        .append("note", late.note));
    }
    return d;
  }

  static Attrs from(ItemKind kind, Document d) {
    Document e = d.get("interpretationExemption", Document.class);
    Document l = d.get("late", Document.class);
    Exemption exemption = e == null ? null : new Exemption(e.getString("reason"), e.getString("by"),
      e.getString("byId"), Times.instant(e.getDate("at")));
    Late late = l == null ? null : new Late(l.get("days", Number.class).longValue(), l.getInteger("dueDays", 0),
      l.getString("counting"), l.getString("note"));
    if (kind == ItemKind.DOCUMENT) {
      return new Attrs(new DocumentInfo(d.getString("docNumber"), d.getString("issuer"), d.getString("category"),
        Times.instant(d.getDate("issuedAt")), Times.instant(d.getDate("effectiveAt")),
        Times.instant(d.getDate("expiresAt")), d.getList("attachmentIds", String.class)),
        new Validity(d.getString("validity"), d.getString("successorId"), d.getString("validityNote")),
        exemption, null, late, null);
    }
    if (kind == ItemKind.POST) {
      Document w = d.get("wechat", Document.class);
      Document b = d.get("weibo", Document.class);
      return new Attrs(null, null, null, null, null, new PostInfo(d.getString("sourceId"), d.getString("sourceKind"),
        d.getString("videoAssetId"), w == null ? null : new WeChat(w.getString("title"), w.getString("author"),
        w.getString("digest"), w.getString("coverAssetId"), w.getString("sourceUrl"), w.getBoolean("commentsOpen", false)),
        b == null ? null : new Weibo(b.getString("text"), b.getString("pictureAssetId")), d.containsKey("miniapp")));
    }
    Document i = d.get("interpreter", Document.class);
    return new Attrs(null, null, exemption, new InterpretationInfo(d.getString("documentId"), d.getString("form"),
      d.getList("assetIds", String.class), i == null ? null : new Interpreter(i.getString("name"), i.getString("title"))),
      late, null);
  }

  /** The fields as the API shows them, each at the top level of the item: times shown, nested ones as objects. */
  void addTo(JsonObject json) {
    toDocument().forEach((key, value) -> json.put(key, value instanceof java.util.Date date
      ? Times.show(date.toInstant()) : value instanceof Document doc ? new JsonObject(doc.toJson())
      : value instanceof List<?> list ? new JsonArray(new ArrayList<>(list)) : value));
  }

  private static void put(Document d, String key, Object value) {
    if (value != null) {
      d.put(key, value);
    }
  }

  private static <T> T or(T patched, T stored) {
    return patched != null ? patched : stored;
  }
}
