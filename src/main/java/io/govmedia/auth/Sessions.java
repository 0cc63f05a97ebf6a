package io.govmedia.auth;

import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.bson.Document;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Function;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

/**
 * Staff sign-in sessions. A session is a family of refresh tokens: each refresh spends the presented token and
 * hands out the next one. Presenting a spent token means it was stolen or replayed, so the whole family is
 * revoked. Access tokens are short-lived JWTs naming the session, and every request checks that the session
 * still stands, so a logout or a revoked family takes effect at once.
 */
final class Sessions {

  public record Tokens(String accessToken, String refreshToken, long expiresIn, String sessionId) {
    public JsonObject toJson() {
      return new JsonObject().put("accessToken", accessToken).put("refreshToken", refreshToken)
        .put("expiresIn", expiresIn).put("tokenType", "Bearer");
    }
  }

  /** The session a refresh token belongs to, and whose it is. */
  record Owner(String sessionId, String staffId) {}

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ISSUER = "govmedia";

  private final MongoCollection<Document> sessions;
  private final MongoCollection<Document> refreshTokens;
  private final StaffStore staff;
  private final JWTAuth jwt;
  private final Clock clock;
  private final Duration accessTtl;
  private final Duration refreshTtl;

  public Sessions(Vertx vertx, MongoDatabase db, StaffStore staff, byte[] signingKey, Clock clock,
                  Duration accessTtl, Duration refreshTtl) {
    this.sessions = db.getCollection("sessions");
    this.refreshTokens = db.getCollection("refresh_tokens");
    this.staff = staff;
    this.clock = clock;
    this.accessTtl = accessTtl;
    this.refreshTtl = refreshTtl;
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256")
        .setBuffer(Base64.getEncoder().encodeToString(signingKey)))
      .setJWTOptions(new JWTOptions().setIssuer(ISSUER).setLeeway(5)));
  }

  Future<Tokens> open(Staff member, String remoteAddress) {
    String sessionId = Ids.newId();
    Instant now = clock.instant();
    Document session = new Document("_id", sessionId).append("staffId", member.id()).append("createdAt", Times.date(now))
      .append("remoteAddress", remoteAddress).append("revokedAt", null).append("revokedReason", null);
    return Mongo.first(sessions.insertOne(session)).compose(done -> issue(member.id(), sessionId, now));
  }

  /** Spends the refresh token and hands out the next pair; fails with 401 for anything but a live, unspent token. */
  Future<Tokens> refresh(String refreshToken, Function<Owner, Future<?>> onReuse) {
    return refresh(refreshToken, onReuse, Duration.ZERO);
  }

  /**
   * As {@link #refresh(String, Function)}, but a token spent less than {@code retryGrace} ago buys another pair of
   * the same session instead of revoking it: a browser that reloads while its refresh is under way never receives the
   * new cookie and presents the spent one again a moment later. Outside the grace it is theft as before.
   */
  Future<Tokens> refresh(String refreshToken, Function<Owner, Future<?>> onReuse, Duration retryGrace) {
    String tokenId = digest(refreshToken);
    Instant now = clock.instant();
    return Mongo.first(refreshTokens.find(eq("_id", tokenId))).compose(token -> {
      if (token == null) {
        return Future.failedFuture(invalidRefresh());
      }
      String sessionId = token.getString("sessionId");
      String staffId = token.getString("staffId");
      return Mongo.first(refreshTokens.updateOne(and(eq("_id", tokenId), eq("usedAt", null)),
          Updates.set("usedAt", Times.date(now))))
        .compose(spent -> {
          if (spent.getModifiedCount() == 0) {
            java.util.Date usedAt = token.getDate("usedAt");  // null: spent by a request racing this one
            if (!retryGrace.isZero() && (usedAt == null || usedAt.toInstant().plus(retryGrace).isAfter(now))) {
              return token.getDate("expiresAt").toInstant().isBefore(now)
                ? Future.failedFuture(invalidRefresh())
                : liveSession(sessionId).compose(live -> live
                  ? issue(staffId, sessionId, now)
                  : Future.failedFuture(invalidRefresh()));
            }
            return revoke(sessionId, "refresh-token-reused")
              .compose(v -> onReuse.apply(new Owner(sessionId, staffId)))
              .compose(v -> Future.failedFuture(
                Problem.unauthorized("refresh-token-reused", "刷新令牌已被使用，登录会话已注销")));
          }
          if (token.getDate("expiresAt").toInstant().isBefore(now)) {
            return Future.failedFuture(invalidRefresh());
          }
          return liveSession(sessionId).compose(live -> live
            ? issue(staffId, sessionId, now)
            : Future.failedFuture(invalidRefresh()));
        });
    });
  }

  /** The session a refresh token belongs to, or null when the token is unknown. */
  Future<Owner> ownerOf(String refreshToken) {
    return Mongo.first(refreshTokens.find(eq("_id", digest(refreshToken))))
      .map(token -> token == null ? null : new Owner(token.getString("sessionId"), token.getString("staffId")));
  }

  Future<Void> revoke(String sessionId, String reason) {
    return Mongo.first(sessions.updateOne(and(eq("_id", sessionId), eq("revokedAt", null)), Updates.combine(
      Updates.set("revokedAt", Times.date(clock.instant())), Updates.set("revokedReason", reason)))).mapEmpty();
  }

  /**
   * Deletes refresh tokens past their expiry and sessions revoked more than a refresh lifetime ago: the embedded
   * store has no TTL indexes, so without this both collections would only grow. Safe to run on every instance.
   */
  public Future<Long> purge(Instant now) {
    Instant cutoff = now.minus(refreshTtl);
    return Future.all(
        Mongo.first(refreshTokens.deleteMany(com.mongodb.client.model.Filters.lt("expiresAt", Times.date(now)))),
        Mongo.first(sessions.deleteMany(com.mongodb.client.model.Filters.lt("revokedAt", Times.date(cutoff)))))
      .map(both -> both.<com.mongodb.client.result.DeleteResult>resultAt(0).getDeletedCount()
        + both.<com.mongodb.client.result.DeleteResult>resultAt(1).getDeletedCount());
  }

  Future<Void> revokeAll(String staffId, String reason) {
    return Mongo.first(sessions.updateMany(and(eq("staffId", staffId), eq("revokedAt", null)), Updates.combine(
      Updates.set("revokedAt", Times.date(clock.instant())), Updates.set("revokedReason", reason)))).mapEmpty();
  }

  /** The principal behind a bearer token: a valid signature, a live session and an active staff member. */
  Future<Principal> authenticate(String accessToken) {
    return jwt.authenticate(new TokenCredentials(accessToken))
      .recover(failure -> Future.failedFuture(expired()))
      .compose(user -> {
        String staffId = user.principal().getString("sub");
        String sessionId = user.principal().getString("sid");
        if (staffId == null || sessionId == null) {
          return Future.failedFuture(expired());
        }
        return standing(staffId, sessionId).compose(principal -> principal != null
          ? Future.succeededFuture(principal)
          : Future.failedFuture(expired()));
      });
  }

  /** The principal of a session that still stands for a staff member still active; null when either is gone. */
  Future<Principal> standing(String staffId, String sessionId) {
    return Future.all(liveSession(sessionId), staff.find(staffId)).map(both -> {
      boolean live = both.resultAt(0);
      Staff member = both.resultAt(1);
      return live && member != null && !member.disabled() ? member.principal(sessionId) : null;
    });
  }

  private Future<Tokens> issue(String staffId, String sessionId, Instant now) {
    String refreshToken = randomToken();
    Document record = new Document("_id", digest(refreshToken)).append("sessionId", sessionId)
      .append("staffId", staffId).append("issuedAt", Times.date(now))
      .append("expiresAt", Times.date(now.plus(refreshTtl))).append("usedAt", null);
    String accessToken = jwt.generateToken(new JsonObject().put("sub", staffId).put("sid", sessionId),
      new JWTOptions().setAlgorithm("HS256").setIssuer(ISSUER).setExpiresInSeconds((int) accessTtl.toSeconds()));
    return Mongo.first(refreshTokens.insertOne(record))
      .map(done -> new Tokens(accessToken, refreshToken, accessTtl.toSeconds(), sessionId));
  }

  private Future<Boolean> liveSession(String sessionId) {
    return Mongo.first(sessions.find(eq("_id", sessionId))).map(s -> s != null && s.get("revokedAt") == null);
  }

  private static Problem expired() {
    return Problem.unauthorized("unauthorized", "未登录或登录已失效");
  }

  private static Problem invalidRefresh() {
    return Problem.unauthorized("invalid-refresh-token", "刷新令牌无效或已过期，请重新登录");
  }

  private static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Only a digest of each refresh token is stored: a copy of the database does not sign anyone in. */
  private static String digest(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
