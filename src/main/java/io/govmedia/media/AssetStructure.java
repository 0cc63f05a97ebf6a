package io.govmedia.media;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Whether an uploaded file is whole, judged while its bytes stream past, so that a truncated upload is refused
 * rather than published: an MP4's boxes must chain to its end, a PDF must end with its %%EOF marker (within the
 * last 1024 bytes, as PDF readers look for it), a WebP must be as long as its RIFF header says. Images of the
 * other formats are checked by decoding them.
 */
final class AssetStructure {

  private static final int PDF_TAIL = 1024;

  private final AssetFormat format;
  private final byte[] head;
  private final AssetBoxes boxes;
  private final byte[] tail;
  private int tailFilled;

  AssetStructure(AssetFormat format, byte[] head) {
    this.format = format;
    this.head = head;
    this.boxes = format == AssetFormat.MP4 ? new AssetBoxes() : null;
    this.tail = format == AssetFormat.PDF ? new byte[PDF_TAIL] : null;
  }

  void accept(Buffer data) {
    if (boxes != null) {
      boxes.accept(data);
    }
    if (tail != null) {
      keepTail(data);
    }
  }

  /** Null when the file is whole, else what is wrong with it, for people. */
  String problem(long size) {
    return switch (format) {
      case MP4 -> boxes.problem();
      case PDF -> new String(tail, 0, tailFilled, StandardCharsets.ISO_8859_1).contains("%%EOF") ? null
        : "PDF 文件不完整：末尾没有 %%EOF 结束标记（上传被截断？）";
      case WEBP -> size >= riffLength() ? null : "WebP 文件不完整：文件头声明 " + riffLength() + " 字节，实际只有 " + size + " 字节";
      default -> null;
    };
  }

  private long riffLength() {
    long declared = (head[4] & 0xFFL) | (head[5] & 0xFFL) << 8 | (head[6] & 0xFFL) << 16 | (head[7] & 0xFFL) << 24;
    return declared + 8;
  }

  private void keepTail(Buffer data) {
    int length = data.length();
    if (length >= tail.length) {
      data.getBytes(length - tail.length, length, tail, 0);
      tailFilled = tail.length;
      return;
    }
    int keep = Math.min(tailFilled, tail.length - length);
    System.arraycopy(tail, tailFilled - keep, tail, 0, keep);
    data.getBytes(0, length, tail, keep);
    tailFilled = keep + length;
  }
}
