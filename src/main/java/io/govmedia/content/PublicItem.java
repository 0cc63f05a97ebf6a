package io.govmedia.content;

import java.time.Instant;
import java.util.List;

/**
 * What citizens may read of a published document, interpretation or post (the mini-program's feed and article
 * pages): no review state, no history, no author. Kind-specific parts are null on the other kinds.
 *
 * @param body      the sanitized HTML as stored
 * @param bodyText  the reader's text of the body (for digests)
 * @param assetIds  what the item shows besides its body: an interpretation's media, a document's attachments, a
 *                  post's video
 * @param documentId the policy document the item is about: an interpretation's, a post's source document (a post
 *                  made from an interpretation names the interpretation in {@code sourceId} instead)
 */
public record PublicItem(String kind, String id, String title, String body, String bodyText, String departmentId,
                         Instant publishedAt, List<String> assetIds, String documentId, Interpretation interpretation,
                         Post post, DocumentFacts document) {

  /** An interpretation's form ({@code text}, {@code infographic}, {@code video}, {@code audio}, {@code qa}, {@code expert}) and interpreter. */
  public record Interpretation(String form, String interpreterName, String interpreterTitle) {
  }

  /** A post's source (a document or an interpretation, or none) and its WeChat digest and cover. */
  public record Post(String sourceId, String sourceKind, String digest, String coverAssetId, String videoAssetId) {
  }

  /** A document's number, issuer, category, dates and validity as recorded (a successor when amended or repealed). */
  public record DocumentFacts(String docNumber, String issuer, String category, Instant issuedAt, Instant effectiveAt,
                              Instant expiresAt, String validity, String successorId) {

    /** Whether the document is out of force at {@code now}: marked so, or past its expiry date. */
    public boolean expired(Instant now) {
      return (validity != null && !"valid".equals(validity)) || (expiresAt != null && !expiresAt.isAfter(now));
    }
  }

  static PublicItem of(Item item) {
    Attrs a = item.attrs();
    Interpretation interpretation = null;
    Post post = null;
    DocumentFacts document = null;
    List<String> assets = List.of();
    String documentId = null;
    switch (item.kind()) {
      case INTERPRETATION -> {
        Attrs.Interpreter who = a.interpretation().interpreter();
        interpretation = new Interpretation(a.interpretation().form(), who == null ? null : who.name(),
          who == null ? null : who.title());
        assets = a.assetIds();
        documentId = a.documentId();
      }
      case POST -> {
        Attrs.PostInfo p = a.post();
        post = new Post(p.sourceId(), p.sourceKind(), p.wechat() == null ? null : p.wechat().digest(),
          p.wechat() == null ? null : p.wechat().coverAssetId(), p.videoAssetId());
        assets = p.videoAssetId() == null ? List.of() : List.of(p.videoAssetId());
        documentId = "document".equals(p.sourceKind()) ? p.sourceId() : null;
      }
      case DOCUMENT -> {
        Attrs.DocumentInfo d = a.document();
        document = new DocumentFacts(d.docNumber(), d.issuer(), d.category(), d.issuedAt(), d.effectiveAt(),
          d.expiresAt(), a.validityState() == null ? "valid" : a.validityState(),
          a.validity() == null ? null : a.validity().successorId());
        assets = a.attachmentIds();
        documentId = item.id();
      }
    }
    return new PublicItem(item.kind().wire(), item.id(), item.title(), item.body(), item.bodyText(),
      item.departmentId(), item.publishedAt(), assets == null ? List.of() : List.copyOf(assets), documentId,
      interpretation, post, document);
  }
}
