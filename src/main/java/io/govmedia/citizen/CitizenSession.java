package io.govmedia.citizen;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * A citizen signed in to one of the office's mini-programs: who they are to WeChat (the openid of that mini-program,
 * and the unionid when WeChat gives one) and until when the session holds. The WeChat session key stays sealed in
 * the store and never appears here.
 */
public record CitizenSession(String accountId, String appId, String openid, String unionid, Instant createdAt,
                             Instant expiresAt) {

  /** The key under which a request carries the session (see {@link CitizenAuth}). */
  public static final String KEY = "citizen";

  JsonObject toJson() {
    return new JsonObject().put("accountId", accountId).put("appId", appId).put("openid", openid)
      .put("unionid", unionid).put("createdAt", createdAt.toString()).put("expiresAt", expiresAt.toString());
  }

  static CitizenSession fromJson(JsonObject json) {
    return new CitizenSession(json.getString("accountId"), json.getString("appId"), json.getString("openid"),
      json.getString("unionid"), Instant.parse(json.getString("createdAt")), Instant.parse(json.getString("expiresAt")));
  }
}
