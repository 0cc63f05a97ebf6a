package io.govmedia.media;

import io.govmedia.platform.Times;
import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * Expiring signed {@code /media} URLs, for fetchers that cannot send a staff token (WeChat's image check, a preview
 * in another tab): {@code /media/{id}?expires=<epoch s>&sig=<base64url HMAC-SHA256 of "id:expires">}. The
 * signature covers the asset, so it serves its thumbnail as well. The key is derived from the master key, so every
 * instance accepts what any instance signed.
 */
public final class MediaLinks {

  static final Duration MAX_TTL = Duration.ofHours(1);
  static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

  private final SecretKeySpec key;
  private final Clock clock;

  /** A link for an asset and when it stops working. */
  record Signed(String url, String thumbnailUrl, Instant expiresAt) {

    JsonObject toJson() {
      return new JsonObject().put("url", url).put("thumbnailUrl", thumbnailUrl).put("expiresAt", Times.show(expiresAt));
    }
  }

  public MediaLinks(byte[] key, Clock clock) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
    this.clock = clock;
  }

  Signed sign(Asset asset, Duration ttl) {
    Instant expiresAt = clock.instant().plus(ttl).truncatedTo(ChronoUnit.SECONDS);
    String query = "?expires=" + expiresAt.getEpochSecond() + "&sig=" + signature(asset.id(), expiresAt.getEpochSecond());
    return new Signed(asset.url() + query, asset.thumbnailId() == null ? null : asset.url() + "/thumbnail" + query,
      expiresAt);
  }

  /** {@code /media/{id}?expires=…&sig=…} for an asset id, without reading the asset. */
  public String signedPath(String assetId, Duration ttl) {
    long expires = clock.instant().plus(ttl).getEpochSecond();
    return "/media/" + assetId + "?expires=" + expires + "&sig=" + signature(assetId, expires);
  }

  /** Whether the query's signature is this server's for this id and has not expired; compared in constant time. */
  boolean valid(String assetId, String expires, String sig) {
    if (expires == null || sig == null || !expires.matches("[0-9]{1,12}") || sig.length() > 64) {
      return false;
    }
    long at = Long.parseLong(expires);
    byte[] expected = signature(assetId, at).getBytes(StandardCharsets.US_ASCII);
    boolean genuine = MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.US_ASCII));
    return genuine && clock.instant().getEpochSecond() < at;
  }

  private String signature(String assetId, long expires) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] digest = mac.doFinal((assetId + ":" + expires).getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
