package io.govmedia.media;

import io.govmedia.media.AssetUploadTest.Samples;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Media assets: formats, MP4 boxes, ranges and file names")
class AssetFormatTest {

  @Test
  @DisplayName("magic numbers decide the format; MPEG audio needs a real layer, an ftyp box a video brand")
  void sniffing() throws Exception {
    assertEquals(Optional.of(AssetFormat.JPEG), sniff(Samples.jpeg(8, 8)));
    assertEquals(Optional.of(AssetFormat.PNG), sniff(Samples.png(8, 8)));
    assertEquals(Optional.of(AssetFormat.GIF), sniff(Samples.gif(8, 8)));
    assertEquals(Optional.of(AssetFormat.WEBP), sniff(Samples.webp(8, 8)));
    assertEquals(Optional.of(AssetFormat.MP4), sniff(Samples.mp4(10)));
    assertEquals(Optional.of(AssetFormat.MP3), sniff(Samples.mp3()));
    assertEquals(Optional.of(AssetFormat.MP3), sniff(new byte[] {(byte) 0xFF, (byte) 0xE3, 0x18, (byte) 0xC4}), "MPEG 2.5 layer III");
    assertEquals(Optional.of(AssetFormat.AMR), sniff(Samples.amr()));
    assertEquals(Optional.of(AssetFormat.PDF), sniff(Samples.pdf()));
    assertEquals(Optional.empty(), sniff(new byte[] {(byte) 0xFF, (byte) 0xF1, 0x50, (byte) 0x80}), "AAC in ADTS (layer 00)");
    assertEquals(Optional.empty(), sniff("MZ\u0090\u0000".getBytes(StandardCharsets.ISO_8859_1)));
    assertEquals(Optional.empty(), sniff(Samples.box("ftyp", "qt  \0\0\0\0qt  ".getBytes(StandardCharsets.US_ASCII))));
    assertEquals(Optional.empty(), sniff(Samples.box("ftyp", "avif\0\0\0\0avif".getBytes(StandardCharsets.US_ASCII))));
    assertEquals(Optional.empty(), sniff(new byte[0]));
  }

  @Test
  @DisplayName("WebP dimensions come from the VP8L, VP8X or VP8 header")
  void webpDimensions() {
    assertEquals("[300, 200]", Arrays.toString(AssetFormat.webpDimensions(Samples.webp(300, 200))));
    byte[] vp8x = Arrays.copyOf(Samples.webp(1, 1), 40);
    System.arraycopy("VP8X".getBytes(StandardCharsets.US_ASCII), 0, vp8x, 12, 4);
    vp8x[24] = (byte) 0x7F;  // canvas width - 1 = 1919 (0x077F), height - 1 = 1079 (0x0437)
    vp8x[25] = 0x07;
    vp8x[26] = 0;
    vp8x[27] = 0x37;
    vp8x[28] = 0x04;
    vp8x[29] = 0;
    assertEquals("[1920, 1080]", Arrays.toString(AssetFormat.webpDimensions(vp8x)));
  }

  @Test
  @DisplayName("the MP4 box chain is followed whatever the buffer boundaries, including 64-bit box sizes")
  void boxesAcrossBuffers() {
    byte[] whole = Samples.mp4(1000);
    byte[] large = Samples.concat(Samples.box("ftyp", "isom\0\0\0\0".getBytes(StandardCharsets.US_ASCII)),
      ByteBuffer.allocate(16 + 50).putInt(1).put("mdat".getBytes(StandardCharsets.US_ASCII)).putLong(66).array(),
      Samples.box("moov", new byte[20]));
    for (byte[] file : new byte[][] {whole, large}) {
      for (int split = 1; split < 40; split++) {
        assertNull(boxes(file, split).problem(), "split every " + split + " bytes");
        assertNotNull(boxes(Arrays.copyOf(file, file.length - 1), split).problem(), "one byte short, split " + split);
      }
    }
    assertTrue(boxes(Samples.concat(whole, new byte[] {0, 0, 0}), 7).problem().contains("截断"), "a partial box header");
    assertTrue(boxes(Samples.concat(Samples.box("ftyp", new byte[8]), Samples.box("mdat", new byte[9])), 5).problem()
      .contains("moov"));
    assertTrue(boxes(Samples.concat(Samples.box("free", new byte[8]), whole), 64).problem().contains("ftyp"));
  }

  @Test
  @DisplayName("Range headers: a-b, a-, -n, clamping, 416 cases, and the ones ignored")
  void ranges() {
    assertEquals(new AssetRange(AssetRange.Kind.PARTIAL, 0, 99), AssetRange.parse("bytes=0-99", 1000));
    assertEquals(new AssetRange(AssetRange.Kind.PARTIAL, 900, 999), AssetRange.parse("bytes=900-5000", 1000));
    assertEquals(new AssetRange(AssetRange.Kind.PARTIAL, 990, 999), AssetRange.parse("bytes=-10", 1000));
    assertEquals(new AssetRange(AssetRange.Kind.PARTIAL, 0, 999), AssetRange.parse("bytes=-99999999999999999999", 1000));
    assertEquals(new AssetRange(AssetRange.Kind.PARTIAL, 500, 999), AssetRange.parse("Bytes=500-", 1000));
    assertEquals(AssetRange.Kind.UNSATISFIABLE, AssetRange.parse("bytes=1000-", 1000).kind());
    assertEquals(AssetRange.Kind.UNSATISFIABLE, AssetRange.parse("bytes=1000-2000", 1000).kind());
    assertEquals(AssetRange.Kind.UNSATISFIABLE, AssetRange.parse("bytes=99999999999999999999-", 1000).kind());
    assertEquals(AssetRange.Kind.UNSATISFIABLE, AssetRange.parse("bytes=-0", 1000).kind());
    for (String ignored : new String[] {null, "bytes=5-1", "bytes=0-1,5-9", "pages=1-2", "bytes=-", "bytes=x-1"}) {
      assertEquals(new AssetRange(AssetRange.Kind.WHOLE, 0, 999), AssetRange.parse(ignored, 1000), ignored);
    }
  }

  @Test
  @DisplayName("file names keep their last segment, lose control and direction characters, and are shortened keeping the extension")
  void filenames() {
    assertEquals("passwd", AssetUpload.sanitizeFilename("../../etc/passwd"));
    assertEquals("a.jpg", AssetUpload.sanitizeFilename("C:\\Users\\x\\a.jpg"));
    assertEquals("ab.pdf", AssetUpload.sanitizeFilename("a\u0000\r\nb.pdf"));
    assertEquals("report.pdf", AssetUpload.sanitizeFilename("...report.pdf. "));
    assertEquals("政策解读.mp4", AssetUpload.sanitizeFilename("政策解读.mp4"));
    assertNull(AssetUpload.sanitizeFilename("../.."));
    assertNull(AssetUpload.sanitizeFilename("\u202E"));
    assertNull(AssetUpload.sanitizeFilename(null));
    String longName = AssetUpload.sanitizeFilename("长".repeat(300) + ".jpeg");
    assertEquals(120, longName.codePointCount(0, longName.length()));
    assertTrue(longName.endsWith("长.jpeg"));
  }

  private static Optional<AssetFormat> sniff(byte[] file) {
    return AssetFormat.sniff(Arrays.copyOf(file, Math.min(file.length, AssetFormat.HEAD_BYTES)));
  }

  private static AssetBoxes boxes(byte[] file, int split) {
    AssetBoxes boxes = new AssetBoxes();
    for (int at = 0; at < file.length; at += split) {
      boxes.accept(Buffer.buffer(Arrays.copyOfRange(file, at, Math.min(file.length, at + split))));
    }
    return boxes;
  }
}
