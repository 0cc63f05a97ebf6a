package io.govmedia.media;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Media ids: 128 random bits as 22 base64url characters, so that knowing one asset's id tells nothing about any
 * other (ObjectIds count up, and 312 guesses from one id found every upload of a day). Assets stored before keep
 * their 24-hex ObjectIds, which are still looked up.
 */
public final class AssetIds {

  /** An id other features may store: a new random one or an earlier ObjectId. */
  public static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{22}|[0-9a-f]{24}");

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private AssetIds() {
  }

  static String newId() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return BASE64URL.encodeToString(bits);
  }

  static boolean valid(String id) {
    return id != null && FORMAT.matcher(id).matches();
  }
}
