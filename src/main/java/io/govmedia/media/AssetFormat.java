package io.govmedia.media;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The file formats the library takes, recognised by their first bytes (magic numbers), never by the file's name
 * or the content type the browser claims. Each knows whether WeChat's permanent material store would take it.
 */
public enum AssetFormat {
  JPEG(AssetType.IMAGE, "image/jpeg"),
  PNG(AssetType.IMAGE, "image/png"),
  GIF(AssetType.IMAGE, "image/gif"),
  WEBP(AssetType.IMAGE, "image/webp"),
  MP4(AssetType.VIDEO, "video/mp4"),
  MP3(AssetType.AUDIO, "audio/mpeg"),
  AMR(AssetType.AUDIO, "audio/amr"),
  PDF(AssetType.PDF, "application/pdf");

  /** Enough of a file's start to recognise every format and to read a WebP's dimensions. */
  static final int HEAD_BYTES = 32;

  /**
   * ISO base-media files that are not MP4 video: HEIF/HEIC and AVIF photos (an iPhone's pictures), QuickTime
   * and AAC audio (.m4a). They share MP4's 'ftyp' box; its major brand tells them apart.
   */
  private static final Set<String> NOT_VIDEO_BRANDS = Set.of("heic", "heix", "heim", "heis", "hevc", "hevx", "mif1",
    "msf1", "avif", "avis", "crx ", "qt  ", "M4A ", "M4B ", "M4P ");

  private static final long WECHAT_IMAGE_LIMIT = 10L * 1024 * 1024;
  private static final long WECHAT_VOICE_LIMIT = 2L * 1024 * 1024;
  private static final long WECHAT_VIDEO_LIMIT = 10L * 1024 * 1024;
  private static final long WECHAT_THUMB_LIMIT = 64L * 1024;

  private final AssetType type;
  private final String mime;

  AssetFormat(AssetType type, String mime) {
    this.type = type;
    this.mime = mime;
  }

  public AssetType type() {
    return type;
  }

  public String mime() {
    return mime;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<AssetFormat> parse(String wire) {
    return Arrays.stream(values()).filter(f -> f.wire().equals(wire)).findFirst();
  }

  /** The format the first bytes of a file announce, if it is one the library takes. */
  static Optional<AssetFormat> sniff(byte[] head) {
    if (startsWith(head, 0, 0xFF, 0xD8, 0xFF)) {
      return Optional.of(JPEG);
    }
    if (startsWith(head, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return Optional.of(PNG);
    }
    if (ascii(head, 0, "GIF87a") || ascii(head, 0, "GIF89a")) {
      return Optional.of(GIF);
    }
    if (ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) {
      return Optional.of(WEBP);
    }
    if (ascii(head, 4, "ftyp") && head.length >= 12) {
      String brand = new String(head, 8, 4, StandardCharsets.ISO_8859_1);
      return NOT_VIDEO_BRANDS.contains(brand) ? Optional.empty() : Optional.of(MP4);
    }
    if (ascii(head, 0, "ID3") || isMpegAudioFrame(head)) {
      return Optional.of(MP3);
    }
    if (ascii(head, 0, "#!AMR\n")) {
      return Optional.of(AMR);
    }
    if (ascii(head, 0, "%PDF-")) {
      return Optional.of(PDF);
    }
    return Optional.empty();
  }

  /**
   * Whether WeChat's permanent material store (素材管理) would take this file, and why not: image ≤ 10 MB
   * (bmp/png/jpeg/jpg/gif), voice ≤ 2 MB (mp3/wma/wav/amr, at most 60 s), video ≤ 10 MB (mp4), thumb ≤ 64 KB (jpg).
   */
  JsonObject wechatFit(long size) {
    String material = switch (type) {
      case IMAGE -> "image";
      case AUDIO -> "voice";
      case VIDEO -> "video";
      case PDF -> null;
    };
    String reason = switch (this) {
      case WEBP -> "微信图片素材不支持 WebP 格式，请转换为 JPG 或 PNG";
      case PDF -> "微信永久素材不支持 PDF 文件";
      case JPEG, PNG, GIF -> size > WECHAT_IMAGE_LIMIT ? "超过微信图片素材 10MB 上限" : null;
      case MP3, AMR -> size > WECHAT_VOICE_LIMIT ? "超过微信语音素材 2MB 上限" : null;
      case MP4 -> size > WECHAT_VIDEO_LIMIT ? "超过微信视频素材 10MB 上限" : null;
    };
    JsonObject fit = new JsonObject().put("wechatMaterial", reason == null).put("materialType", reason == null ? material : null)
      .put("reason", reason).put("thumbMaterial", this == JPEG && size <= WECHAT_THUMB_LIMIT);
    if (reason == null && type == AssetType.AUDIO) {
      fit.put("note", "微信语音素材还要求播放时长不超过 60 秒（未检查时长）");
    }
    return fit;
  }

  /** Width and height from a WebP's first 30 bytes (VP8, VP8L or VP8X), or null if they are not there. */
  static int[] webpDimensions(byte[] head) {
    if (head.length < 30) {
      return null;
    }
    if (ascii(head, 12, "VP8X")) {
      return new int[] {1 + little24(head, 24), 1 + little24(head, 27)};
    }
    if (ascii(head, 12, "VP8L") && (head[20] & 0xFF) == 0x2F) {
      int bits = little24(head, 21) | (head[24] & 0xFF) << 24;
      return new int[] {1 + (bits & 0x3FFF), 1 + (bits >>> 14 & 0x3FFF)};
    }
    if (ascii(head, 12, "VP8 ") && startsWith(head, 23, 0x9D, 0x01, 0x2A)) {
      return new int[] {little16(head, 26) & 0x3FFF, little16(head, 28) & 0x3FFF};
    }
    return null;
  }

  /** An MPEG audio frame header: 11 sync bits, a real version, and layer I, II or III (not ADTS's 00). */
  private static boolean isMpegAudioFrame(byte[] head) {
    if (head.length < 2 || (head[0] & 0xFF) != 0xFF || (head[1] & 0xE0) != 0xE0) {
      return false;
    }
    int version = head[1] >> 3 & 0x03;
    int layer = head[1] >> 1 & 0x03;
    return version != 0x01 && layer != 0x00;
  }

  private static boolean startsWith(byte[] bytes, int offset, int... expected) {
    if (bytes.length < offset + expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if ((bytes[offset + i] & 0xFF) != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean ascii(byte[] bytes, int offset, String expected) {
    byte[] wanted = expected.getBytes(StandardCharsets.US_ASCII);
    return bytes.length >= offset + wanted.length
      && Arrays.equals(bytes, offset, offset + wanted.length, wanted, 0, wanted.length);
  }

  private static int little16(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
  }

  private static int little24(byte[] b, int at) {
    return little16(b, at) | (b[at + 2] & 0xFF) << 16;
  }
}
