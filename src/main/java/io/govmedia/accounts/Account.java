package io.govmedia.accounts;

import io.govmedia.platform.Times;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A channel account owned by a department. Secrets are held sealed ({@link io.govmedia.platform.Secrets});
 * nothing here ever puts one in JSON. {@code callbackMode} is null for a WeChat account stored before modes
 * existed: its callback keeps accepting plain deliveries until an admin sets the mode.
 */
public record Account(String id, AccountType type, String name, String departmentId, Status status,
                      String kind, String appId, String originalId, CallbackMode callbackMode, String appKey, String uid,
                      Instant tokenExpiresAt, Map<String, String> sealedSecrets, String overrideReason,
                      Instant createdAt, Instant updatedAt, long version, Instant tokenIssuedAt) {

  /** Weibo's token lifetimes run from a day to 30 days: admins are warned with a quarter of it left, 7 days at most. */
  static final Duration MOST_WARNING = Duration.ofDays(7);

  /** An account whose Weibo token's issue time is unknown (set by hand, or not a Weibo account). */
  public Account(String id, AccountType type, String name, String departmentId, Status status, String kind,
                 String appId, String originalId, CallbackMode callbackMode, String appKey, String uid,
                 Instant tokenExpiresAt, Map<String, String> sealedSecrets, String overrideReason,
                 Instant createdAt, Instant updatedAt, long version) {
    this(id, type, name, departmentId, status, kind, appId, originalId, callbackMode, appKey, uid, tokenExpiresAt,
      sealedSecrets, overrideReason, createdAt, updatedAt, version, null);
  }

  public enum Status {
    ACTIVE, SUSPENDED, CLOSED;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One account per department per platform (国办发〔2018〕123号): a unique index on this slot enforces it
   * across instances. An admin's recorded override gets a slot of its own, and so does a closed account.
   */
  String slot() {
    String base = type.wire() + "/" + departmentId;
    if (status == Status.CLOSED) {
      return base + "/closed/" + id;  // a closed account (e.g. a 僵尸号) leaves room for its replacement
    }
    return overrideReason == null ? base : base + "/override/" + id;
  }

  /** The platform's own identity of the account: registering it twice would split its messages. */
  String platformKey() {
    return type == AccountType.WEIBO ? "weibo/" + appKey + "/" + uid : "wechat/" + appId;
  }

  static Account from(Document d) {
    Map<String, String> sealed = new HashMap<>();
    Document secrets = d.get("secrets", new Document());
    secrets.forEach((k, v) -> sealed.put(k, (String) v));
    return new Account(d.getString("_id"), AccountType.parse(d.getString("type")).orElseThrow(), d.getString("name"),
      d.getString("departmentId"), Status.valueOf(d.getString("status").toUpperCase(java.util.Locale.ROOT)),
      d.getString("kind"), d.getString("appId"), d.getString("originalId"), CallbackMode.parse(d.getString("callbackMode")),
      d.getString("appKey"), d.getString("uid"),
      Times.instant(d.getDate("tokenExpiresAt")), Map.copyOf(sealed), d.getString("overrideReason"),
      Times.instant(d.getDate("createdAt")), Times.instant(d.getDate("updatedAt")), d.get("version", 0L),
      Times.instant(d.getDate("tokenIssuedAt")));
  }

  Document toDocument() {
    return new Document("_id", id).append("type", type.wire()).append("name", name).append("departmentId", departmentId)
      .append("status", status.wire()).append("kind", kind).append("appId", appId).append("originalId", originalId)
      .append("callbackMode", callbackModeWire())
      .append("appKey", appKey).append("uid", uid).append("tokenExpiresAt", Times.date(tokenExpiresAt))
      .append("tokenIssuedAt", Times.date(tokenIssuedAt))
      .append("secrets", new Document(sealedSecrets)).append("overrideReason", overrideReason)
      .append("slot", slot()).append("platformKey", platformKey())
      .append("createdAt", Times.date(createdAt)).append("updatedAt", Times.date(updatedAt)).append("version", version);
  }

  private String callbackModeWire() {
    return callbackMode == null ? null : callbackMode.wire();
  }

  public JsonObject toJson() {
    return auditSummary().put("id", id).put("version", version).put("createdAt", Times.show(createdAt))
      .put("updatedAt", Times.show(updatedAt));
  }

  /** As {@link #toJson()}, with whether a Weibo token needs re-authorizing soon as of {@code now}. */
  public JsonObject toJson(Instant now) {
    JsonObject json = toJson();
    if (type == AccountType.WEIBO) {
      json.put("tokenWarning", tokenWarning(now));
    }
    return json;
  }

  /**
   * Whether the Weibo token has less than a quarter of its lifetime left (at most 7 days; 7 days when its issue time
   * is unknown), or has expired. Weibo gives web apps no refresh token: only an admin's re-authorization renews it.
   */
  public boolean tokenWarning(Instant now) {
    if (type != AccountType.WEIBO || tokenExpiresAt == null) {
      return false;
    }
    Duration lead = tokenIssuedAt == null ? MOST_WARNING
      : Duration.between(tokenIssuedAt, tokenExpiresAt).dividedBy(4);
    if (lead.compareTo(MOST_WARNING) > 0) {
      lead = MOST_WARNING;
    }
    return !now.isBefore(tokenExpiresAt.minus(lead));
  }

  /** The account with a new Weibo token's times, one version on. */
  Account withWeiboToken(String boundUid, Map<String, String> sealed, Instant issuedAt, Instant expiresAt) {
    return new Account(id, type, name, departmentId, status, kind, appId, originalId, callbackMode, appKey, boundUid,
      expiresAt, Map.copyOf(sealed), overrideReason, createdAt, issuedAt, version + 1, issuedAt);
  }

  /** Public fields plus, for each secret, only whether it is set. */
  JsonObject auditSummary() {
    JsonObject set = new JsonObject();
    type.secretNames().forEach(name -> set.put(name, sealedSecrets.containsKey(name)));
    JsonObject json = new JsonObject().put("type", type.wire()).put("name", name).put("departmentId", departmentId)
      .put("status", status.wire()).put("secretsSet", set).put("overrideReason", overrideReason);
    switch (type) {
      case WECHAT_MP -> json.put("kind", kind).put("appId", appId).put("originalId", originalId)
        .put("callbackMode", callbackModeWire()).put("callbackModeUnset", callbackMode == null);
      case WECHAT_MINIAPP -> json.put("appId", appId).put("originalId", originalId).put("callbackMode", callbackModeWire());
      case WEIBO -> json.put("appKey", appKey).put("uid", uid).put("tokenExpiresAt", Times.show(tokenExpiresAt))
        .put("tokenIssuedAt", Times.show(tokenIssuedAt));
    }
    return json;
  }
}
