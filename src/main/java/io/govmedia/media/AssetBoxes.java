package io.govmedia.media;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * The top-level boxes of an MP4 file, followed while its bytes stream past: each box header gives the box's size,
 * so the next header's offset is known without holding anything but the header itself. A complete file starts
 * with 'ftyp', has a 'moov' (without it no player can play the file), and its last box ends exactly where the file
 * ends; a truncated upload leaves its last box short.
 */
final class AssetBoxes {

  private final byte[] header = new byte[16];
  private int headerFilled;
  private long position;
  private long nextBox;
  private int boxes;
  private boolean sawMoov;
  private boolean runsToEnd;
  private String broken;

  void accept(Buffer data) {
    long start = position;
    position += data.length();
    while (broken == null && !runsToEnd && nextBox + headerFilled < position) {
      int at = (int) (nextBox + headerFilled - start);
      int wanted = headerLength() - headerFilled;
      int take = Math.min(wanted, data.length() - at);
      data.getBytes(at, at + take, header, headerFilled);
      headerFilled += take;
      if (headerFilled == headerLength()) {
        boxHeaderRead();
      }
    }
  }

  /** Null when the file is a whole MP4, else what is wrong with it, for people. */
  String problem() {
    if (broken != null) {
      return broken;
    }
    if (!runsToEnd && (headerFilled > 0 || nextBox != position)) {
      return "MP4 文件不完整：最后一个数据盒在第 " + position + " 字节处被截断";
    }
    if (!sawMoov) {
      return "MP4 文件缺少 moov 数据盒（文件不完整或未完成写入），无法播放";
    }
    return null;
  }

  /** 8 bytes, or 16 when the 32-bit size is 1 and a 64-bit size follows the type. */
  private int headerLength() {
    return headerFilled >= 4 && bigEndian(0, 4) == 1 ? 16 : 8;
  }

  private void boxHeaderRead() {
    long size = bigEndian(0, 4);
    String type = new String(header, 4, 4, StandardCharsets.ISO_8859_1);
    if (boxes == 0 && !type.equals("ftyp")) {
      broken = "MP4 文件应以 ftyp 数据盒开头";
      return;
    }
    boxes++;
    sawMoov |= type.equals("moov");
    headerFilled = 0;
    if (size == 0) {
      runsToEnd = true;  // the last box, extending to the end of the file
      return;
    }
    if (size == 1) {
      size = bigEndian(8, 8);
      if (size < 16) {
        broken = "MP4 数据盒 " + type + " 的长度无效";
      }
    } else if (size < 8) {
      broken = "MP4 数据盒 " + type + " 的长度无效";
    }
    nextBox += size;
  }

  private long bigEndian(int offset, int length) {
    long value = 0;
    for (int i = 0; i < length; i++) {
      value = value << 8 | (header[offset + i] & 0xFF);
    }
    return value;
  }
}
