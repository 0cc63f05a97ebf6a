package io.govmedia.fakes;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Builds callbacks the way WeChat's servers do: signed query strings, plain or AES-encrypted bodies, and
 * opens encrypted replies. Written from WeChat's documentation, independently of the server's own crypto,
 * so that a test proves the two agree.
 */
public final class WeChatCallbacks {

  /** A request WeChat would send: the query string (without '?') and the body. */
  public record Delivery(String query, String body) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String token;
  private final String aesKey;
  private final String appId;

  public WeChatCallbacks(String token, String aesKey, String appId) {
    this.token = token;
    this.aesKey = aesKey;
    this.appId = appId;
  }

  public String token() {
    return token;
  }

  /** A random EncodingAESKey: 43 characters of Base64 without padding. */
  public static String newAesKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().withoutPadding().encodeToString(key).replace('+', 'a').replace('/', 'b').substring(0, 43);
  }

  public static String textMessage(String toUser, String fromUser, long createTime, long msgId, String content) {
    return "<xml><ToUserName><![CDATA[" + toUser + "]]></ToUserName><FromUserName><![CDATA[" + fromUser
      + "]]></FromUserName><CreateTime>" + createTime + "</CreateTime><MsgType><![CDATA[text]]></MsgType>"
      + "<Content><![CDATA[" + content + "]]></Content><MsgId>" + msgId + "</MsgId></xml>";
  }

  public static String event(String toUser, String fromUser, long createTime, String event, String eventKey) {
    return "<xml><ToUserName><![CDATA[" + toUser + "]]></ToUserName><FromUserName><![CDATA[" + fromUser
      + "]]></FromUserName><CreateTime>" + createTime + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
      + "<Event><![CDATA[" + event + "]]></Event>"
      + (eventKey == null ? "" : "<EventKey><![CDATA[" + eventKey + "]]></EventKey>") + "</xml>";
  }

  public Delivery verification(long timestamp, String echostr) {
    String nonce = nonce();
    return new Delivery("signature=" + sha1(token, String.valueOf(timestamp), nonce) + "&timestamp=" + timestamp
      + "&nonce=" + nonce + "&echostr=" + echostr, "");
  }

  public Delivery plain(String xml, long timestamp) {
    String nonce = nonce();
    return new Delivery("signature=" + sha1(token, String.valueOf(timestamp), nonce) + "&timestamp=" + timestamp
      + "&nonce=" + nonce + "&openid=o" + nonce, xml);
  }

  /** Safe mode; with {@code compatible}, the plain fields travel beside the encrypted ones. */
  public Delivery encrypted(String xml, long timestamp, boolean compatible) {
    String nonce = nonce();
    String encrypted = encrypt(xml, appId);
    String envelope = compatible
      ? xml.replace("</xml>", "<Encrypt><![CDATA[" + encrypted + "]]></Encrypt></xml>")
      : "<xml><ToUserName><![CDATA[gh_envelope]]></ToUserName><Encrypt><![CDATA[" + encrypted + "]]></Encrypt></xml>";
    return new Delivery("signature=" + sha1(token, String.valueOf(timestamp), nonce) + "&timestamp=" + timestamp
      + "&nonce=" + nonce + "&encrypt_type=aes&msg_signature=" + sha1(token, String.valueOf(timestamp), nonce, encrypted),
      envelope);
  }

  /** Encrypts for any AppID: tests use another one to prove the server checks it. */
  public String encrypt(String xml, String forAppId) {
    byte[] body = xml.getBytes(StandardCharsets.UTF_8);
    byte[] app = forAppId.getBytes(StandardCharsets.UTF_8);
    int length = 20 + body.length + app.length;
    int pad = 32 - length % 32;
    ByteBuffer plain = ByteBuffer.allocate(length + pad);
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    plain.put(random).putInt(body.length).put(body).put(app);
    for (int i = 0; i < pad; i++) {
      plain.put((byte) pad);
    }
    try {
      return Base64.getEncoder().encodeToString(cipher(Cipher.ENCRYPT_MODE).doFinal(plain.array()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Opens an encrypted passive reply and checks its signature, as WeChat does. */
  public String openReply(String replyXml) {
    String encrypted = between(replyXml, "<Encrypt><![CDATA[", "]]></Encrypt>");
    String signature = between(replyXml, "<MsgSignature><![CDATA[", "]]></MsgSignature>");
    String timestamp = between(replyXml, "<TimeStamp>", "</TimeStamp>");
    String nonce = between(replyXml, "<Nonce><![CDATA[", "]]></Nonce>");
    if (!sha1(token, timestamp, nonce, encrypted).equals(signature)) {
      throw new AssertionError("reply signature does not verify");
    }
    try {
      byte[] plain = cipher(Cipher.DECRYPT_MODE).doFinal(Base64.getDecoder().decode(encrypted));
      int pad = plain[plain.length - 1];
      int length = ByteBuffer.wrap(plain, 16, 4).getInt();
      String from = new String(plain, 20 + length, plain.length - pad - 20 - length, StandardCharsets.UTF_8);
      if (!from.equals(appId)) {
        throw new AssertionError("reply encrypted for " + from);
      }
      return new String(plain, 20, length, StandardCharsets.UTF_8);
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("reply does not decrypt", e);
    }
  }

  public static String sha1(String... parts) {
    String[] sorted = parts.clone();
    Arrays.sort(sorted);
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(String.join("", sorted)
        .getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Cipher cipher(int mode) throws Exception {
    byte[] key = Base64.getDecoder().decode(aesKey + "=");
    Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
    cipher.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOf(key, 16)));
    return cipher;
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start);
    int to = text.indexOf(end, from + start.length());
    if (from < 0 || to < 0) {
      throw new AssertionError("no " + start + " in " + text);
    }
    return text.substring(from + start.length(), to);
  }

  private static String nonce() {
    return Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
  }
}
