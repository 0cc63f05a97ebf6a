package io.govmedia.wechat;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * WeChat's callback signatures and safe-mode encryption (DOMAIN.md §5): SHA-1 over the sorted parts;
 * AES-256-CBC with the key Base64(EncodingAESKey + "="), the IV its first 16 bytes, PKCS#7 padding to 32;
 * plaintext = 16 random bytes + 4-byte big-endian length + XML + AppID. Unlike WxJava, decryption checks
 * the AppID. Instances are immutable and thread-safe. Public for the mini-program's message push, which uses the
 * same signatures and crypto.
 */
public final class WeChatCrypto {

  /** A safe-mode payload that does not open, or opens for another app. */
  public static final class CryptoException extends Exception {
    CryptoException(String message) {
      super(message, null, false, false);
    }
  }

  private static final int BLOCK = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Looked up once: searching the providers on every callback showed in the profile. */
  private static final java.security.Provider AES_PROVIDER = aesProvider();

  private final SecretKeySpec key;
  private final IvParameterSpec iv;
  private final byte[] appId;

  public WeChatCrypto(String encodingAesKey, String appId) {
    byte[] raw = Base64.getDecoder().decode(encodingAesKey + "=");
    if (raw.length != 32) {
      throw new IllegalArgumentException("EncodingAESKey must decode to 32 bytes");
    }
    this.key = new SecretKeySpec(raw, "AES");
    this.iv = new IvParameterSpec(Arrays.copyOf(raw, 16));
    this.appId = appId.getBytes(StandardCharsets.UTF_8);
  }

  /** sha1 of the parts sorted and concatenated, in lower-case hex. */
  public static String signature(String... parts) {
    String[] sorted = parts.clone();
    Arrays.sort(sorted);
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      for (String part : sorted) {
        sha1.update(part.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha1.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Compares in time independent of where the strings differ. */
  public static boolean sameSignature(String expected, String given) {
    return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
      given.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
  }

  public String decrypt(String encrypted) throws CryptoException {
    byte[] plain;
    try {
      byte[] data = Base64.getDecoder().decode(encrypted.strip());
      if (data.length == 0 || data.length % 16 != 0) {
        throw new CryptoException("ciphertext length is not a multiple of the block");
      }
      plain = cipher(Cipher.DECRYPT_MODE).doFinal(data);
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new CryptoException("ciphertext does not decrypt");
    }
    int pad = plain[plain.length - 1] & 0xff;
    if (pad < 1 || pad > BLOCK || pad > plain.length - 20) {
      throw new CryptoException("bad padding");
    }
    int length = ByteBuffer.wrap(plain, 16, 4).getInt();
    int end = plain.length - pad;
    if (length < 0 || length > end - 20) {
      throw new CryptoException("bad length");
    }
    byte[] receivedAppId = Arrays.copyOfRange(plain, 20 + length, end);
    if (!MessageDigest.isEqual(appId, receivedAppId)) {
      throw new CryptoException("encrypted for another AppID");
    }
    return new String(plain, 20, length, StandardCharsets.UTF_8);
  }

  String encrypt(String xml) {
    byte[] body = xml.getBytes(StandardCharsets.UTF_8);
    int unpadded = 20 + body.length + appId.length;
    int pad = BLOCK - unpadded % BLOCK;
    ByteBuffer plain = ByteBuffer.allocate(unpadded + pad);
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    plain.put(random).putInt(body.length).put(body).put(appId);
    for (int i = 0; i < pad; i++) {
      plain.put((byte) pad);
    }
    try {
      return Base64.getEncoder().encodeToString(cipher(Cipher.ENCRYPT_MODE).doFinal(plain.array()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES unavailable", e);
    }
  }

  private static java.security.Provider aesProvider() {
    try {
      return Cipher.getInstance("AES/CBC/NoPadding").getProvider();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/CBC unavailable", e);
    }
  }

  private Cipher cipher(int mode) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding", AES_PROVIDER);
    cipher.init(mode, key, iv);
    return cipher;
  }
}
