package io.govmedia.citizen;

import io.govmedia.checks.PersonalData;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A citizen's comment on a consultation. Who wrote it (mini-program account and openid) is kept to show them their
 * own comments; staff see only {@code commenter}, a reference that tells one citizen's comments on this consultation
 * apart from another's and cannot be turned back into an openid.
 */
record ConsultationComment(String id, String consultationId, String accountId, String openid, String commenter,
                           String content, Screened screened, String screeningLabel, Decision decision,
                           AuditLog.Actor screenedBy, Instant createdAt) {

  /** Gists in the published summary are cut to this many characters. */
  static final int GIST_LENGTH = 120;

  /** WeChat's content security said pass (shown), review (held until staff accept it); staff may refuse a held one. */
  enum Screened {
    SHOWN, HELD, REFUSED;

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Staff's adoption decision, with its reason (required unless adopted). */
  record Decision(String value, String reason, AuditLog.Actor by, Instant at) {

    static final Set<String> VALUES = Set.of("adopted", "partly", "not_adopted");

    static Decision of(String value, String reason, AuditLog.Actor by, Instant at) {
      if (reason == null && !"adopted".equals(value)) {
        throw Problem.invalidFields(new io.vertx.core.json.JsonArray().add(new JsonObject().put("field", "reason")
          .put("message", "部分采纳或不采纳须说明理由")));
      }
      return new Decision(value, reason, by, at);
    }

    Document toDocument() {
      return new Document("value", value).append("reason", reason)
        .append("by", new Document("id", by.id()).append("username", by.username())).append("at", Times.date(at));
    }

    static Decision from(Document d) {
      if (d == null) {
        return null;
      }
      Document by = d.get("by", Document.class);
      return new Decision(d.getString("value"), d.getString("reason"),
        new AuditLog.Actor(by.getString("id"), by.getString("username")), Times.instant(d.getDate("at")));
    }

    JsonObject toJson() {
      return new JsonObject().put("decision", value).put("reason", reason)
        .put("by", new JsonObject().put("id", by.id()).put("username", by.username())).put("at", Times.show(at));
    }
  }

  static ConsultationComment of(String id, String consultationId, CitizenSession who, String content,
                                Screening.TextResult screening, Instant now) {
    boolean held = screening.verdict() == Screening.Verdict.REVIEW;
    return new ConsultationComment(id, consultationId, who.accountId(), who.openid(), reference(consultationId, who),
      content, held ? Screened.HELD : Screened.SHOWN, screening.label(), null, null, now);
  }

  /** Eight hex characters of a hash of the consultation and the citizen: stable within it, unlinkable across. */
  static String reference(String consultationId, CitizenSession who) {
    return "市民" + hash(consultationId + "\n" + who.accountId() + "\n" + who.openid()).substring(0, 8);
  }

  /** The key of a citizen's own list: a hash, so that Redis holds no openid. */
  static String owner(CitizenSession who) {
    return hash(who.accountId() + "\n" + who.openid());
  }

  private static String hash(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  boolean writtenBy(CitizenSession who) {
    return accountId.equals(who.accountId()) && openid.equals(who.openid());
  }

  /** Staff decide only on comments anyone may see (a held one is accepted first). */
  void requireShown() {
    if (screened != Screened.SHOWN) {
      throw Problem.conflict(screened == Screened.HELD ? "comment-held" : "comment-refused",
        screened == Screened.HELD ? "该意见待人工审核，请先审核" : "该意见已被屏蔽", null);
    }
  }

  /** What the summary publishes of an adopted comment: its beginning, personal data masked (DOMAIN §4). */
  String gist() {
    String masked = PersonalData.maskNames(PersonalData.mask(content), List.of());
    return masked.codePointCount(0, masked.length()) <= GIST_LENGTH ? masked
      : masked.substring(0, masked.offsetByCodePoints(0, GIST_LENGTH)) + "……";
  }

  Document toDocument() {
    return new Document("_id", id).append("consultationId", consultationId).append("accountId", accountId)
      .append("openid", openid).append("commenter", commenter).append("content", content)
      .append("screened", screened.wire()).append("screeningLabel", screeningLabel)
      .append("decision", decision == null ? null : decision.toDocument())
      .append("screenedBy", screenedBy == null ? null
        : new Document("id", screenedBy.id()).append("username", screenedBy.username()))
      .append("createdAt", Times.date(createdAt));
  }

  static ConsultationComment from(Document d) {
    Document by = d.get("screenedBy", Document.class);
    return new ConsultationComment(d.getString("_id"), d.getString("consultationId"), d.getString("accountId"),
      d.getString("openid"), d.getString("commenter"), d.getString("content"),
      Screened.valueOf(d.getString("screened").toUpperCase(Locale.ROOT)), d.getString("screeningLabel"),
      Decision.from(d.get("decision", Document.class)),
      by == null ? null : new AuditLog.Actor(by.getString("id"), by.getString("username")),
      Times.instant(d.getDate("createdAt")));
  }

  /** The author's own view: their text, whether it is shown yet, and the decision once the summary is out. */
  JsonObject toCitizenJson(boolean summarized) {
    JsonObject json = new JsonObject().put("id", id).put("content", content).put("status", screened.wire())
      .put("createdAt", Times.show(createdAt));
    if (summarized && decision != null) {
      json.put("decision", decision.value()).put("reason", decision.reason());
    }
    return json;
  }

  /** The staff view: the commenter as a reference only. */
  JsonObject toStaffJson() {
    return new JsonObject().put("id", id).put("commenter", commenter).put("content", content)
      .put("status", screened.wire()).put("screeningLabel", screeningLabel)
      .put("adoption", decision == null ? null : decision.toJson()).put("createdAt", Times.show(createdAt));
  }
}
