package io.govmedia.media;

import com.mongodb.client.model.Projections;
import io.govmedia.media.AssetUploadTest.Samples;
import io.govmedia.support.Client;
import io.govmedia.support.StoreAccess;
import io.govmedia.support.TestServer;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.govmedia.media.AssetUploadTest.created;
import static io.govmedia.media.AssetUploadTest.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Media assets: bad uploads are refused and leave nothing behind")
class AssetBadInputTest {

  static Client client;
  static String editor;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    String admin = client.adminToken();
    editor = client.staffToken(admin, List.of("editor"), List.of(), List.of());
  }

  @Test
  @DisplayName("a Windows executable renamed .jpg, a Linux one, a ZIP and an iPhone HEIC photo: 415, nothing stored")
  void notAMediaFile() {
    long files = fileCount();
    byte[] exe = padded(new byte[] {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0}, 5000);
    byte[] elf = padded(new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1, 0}, 5000);
    byte[] zip = padded(new byte[] {'P', 'K', 3, 4, 20, 0}, 5000);
    byte[] heic = Samples.concat(Samples.box("ftyp", "heic\0\0\0\0mif1heic".getBytes(StandardCharsets.US_ASCII)), new byte[4000]);

    for (byte[] bytes : List.of(exe, elf, zip, heic)) {
      Client.Response refused = upload(editor, "photo.jpg", bytes, Map.of());
      assertEquals(415, refused.status(), refused::toString);
      assertEquals("unsupported-media-type", refused.problemCode());
      assertEquals("不支持的文件类型", refused.json().getString("title"));
    }
    assertEquals(files, fileCount());
    assertNothingHalfStored();
  }

  @Test
  @DisplayName("an MP4 cut short (its mdat box runs past the end) is refused 422 after three chunks were written, and no chunk remains")
  void truncatedMp4() {
    byte[] whole = Samples.mp4(700_000);
    byte[] cut = Arrays.copyOf(whole, 600_000);

    Client.Response refused = upload(editor, "发布会.mp4", cut, Map.of());

    assertEquals(422, refused.status(), refused::toString);
    assertEquals("incomplete-file", refused.problemCode());
    assertTrue(refused.json().getString("detail").contains("截断"), refused::toString);
    assertNothingHalfStored();
  }

  @Test
  @DisplayName("an MP4 without its moov box, a PDF without %%EOF and a JPEG cut in half are incomplete too")
  void otherIncompleteFiles() throws Exception {
    byte[] noMoov = Samples.concat(Samples.box("ftyp", "isom\0\0\2\0isom".getBytes(StandardCharsets.US_ASCII)),
      Samples.box("mdat", new byte[2000]));
    byte[] pdf = Samples.pdf();
    byte[] jpeg = Samples.jpeg(400, 300);

    Client.Response mp4 = upload(editor, "a.mp4", noMoov, Map.of());
    Client.Response cutPdf = upload(editor, "a.pdf", Arrays.copyOf(pdf, pdf.length - 20), Map.of());
    Client.Response cutJpeg = upload(editor, "a.jpg", Arrays.copyOf(jpeg, jpeg.length / 2), Map.of());
    Client.Response garbage = upload(editor, "a.png", padded(Arrays.copyOf(Samples.png(10, 10), 16), 3000), Map.of());

    assertEquals("incomplete-file", mp4.problemCode(), mp4::toString);
    assertTrue(mp4.json().getString("detail").contains("moov"));
    assertEquals("incomplete-file", cutPdf.problemCode(), cutPdf::toString);
    assertEquals(422, cutJpeg.status(), cutJpeg::toString);
    assertEquals("unreadable-image", cutJpeg.problemCode());
    assertEquals("unreadable-image", garbage.problemCode(), garbage::toString);
    assertNothingHalfStored();
  }

  @Test
  @DisplayName("a small PNG claiming 20000 × 20000 pixels (a decompression bomb) is refused 422 before it is decoded")
  void pixelBomb() throws Exception {
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(20_000).putInt(20_000).put(new byte[] {8, 2, 0, 0, 0});
    byte[] png = Samples.concat(Arrays.copyOf(Samples.png(1, 1), 8), pngChunk("IHDR", ihdr.array()),
      pngChunk("IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}), pngChunk("IEND", new byte[0]));

    Client.Response refused = upload(editor, "bomb.png", png, Map.of());

    assertEquals(422, refused.status(), refused::toString);
    assertEquals("image-too-large", refused.problemCode());
    assertNothingHalfStored();
  }

  private static byte[] pngChunk(String type, byte[] data) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(type.getBytes(StandardCharsets.US_ASCII));
    crc.update(data);
    return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(data)
      .putInt((int) crc.getValue()).array();
  }

  @Test
  @DisplayName("an image over 10 MB is cut off at the limit with 413 naming it, streamed (never buffered), and no chunk remains")
  void overLimit() {
    long files = fileCount();
    long eleven = 11L * 1024 * 1024;

    Client.Response refused = upload(editor, "huge.jpg", () -> new Generated(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}, eleven), Map.of());

    assertEquals(413, refused.status(), refused::toString);
    assertEquals("file-too-large", refused.problemCode());
    assertEquals("图片不能超过 10MB", refused.json().getString("title"));
    assertEquals(files, fileCount());
    assertNothingHalfStored();
    assertEquals(200, client.get("/api/v1/assets?limit=1", editor).status(), "the server still answers");
  }

  @Test
  @DisplayName("a body longer than any file may be is refused 413 from its Content-Length, before a byte of it is read")
  void declaredTooLong() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", client.port())) {
      socket.setSoTimeout(10_000);
      send(socket, uploadHead(300L * 1024 * 1024, "x"));

      String answer = readAnswer(socket);

      assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
      assertTrue(answer.contains("\"code\":\"file-too-large\"") && answer.contains("文件不能超过 200MB"), answer);
    }
  }

  @Test
  @DisplayName("a file name with ../ or backslashes keeps only its last part; one with nothing sane left is refused 400")
  void filenames() {
    assertEquals("passwd.pdf", created(upload(editor, "../../../etc/passwd.pdf", Samples.pdf(), Map.of())).getString("filename"));
    assertEquals("cmd.pdf", created(upload(editor, "..\\..\\windows\\system32\\cmd.pdf", Samples.pdf(), Map.of()))
      .getString("filename"));
    assertEquals("通知fdp.exe", created(upload(editor, "通知\u202Efdp.exe", Samples.pdf(), Map.of())).getString("filename"),
      "a right-to-left override is removed");

    Client.Response refused = upload(editor, "../..", Samples.pdf(), Map.of());

    assertEquals(400, refused.status(), refused::toString);
    assertEquals("invalid-filename", refused.problemCode());
    assertNothingHalfStored();
  }

  @Test
  @DisplayName("a form without a file, an empty file, two files, or a JSON body: clear 4xx problems, nothing stored")
  void malformedForms() {
    String boundary = "b" + Client.unique();
    byte[] noFile = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n标题\r\n--" + boundary + "--\r\n")
      .getBytes(StandardCharsets.UTF_8);
    byte[] twoFiles = twoFiles(boundary);
    String multipart = "multipart/form-data; boundary=" + boundary;

    Client.Response missing = client.raw("POST", "/api/v1/assets", editor, multipart, noFile);
    Client.Response empty = upload(editor, "empty.pdf", new byte[0], Map.of());
    Client.Response two = client.raw("POST", "/api/v1/assets", editor, multipart, twoFiles);
    Client.Response json = client.post("/api/v1/assets", editor, "{\"file\": \"x\"}");

    assertEquals(List.of(400, "missing-file"), List.of(missing.status(), missing.problemCode()), missing::toString);
    assertEquals(List.of(400, "empty-file"), List.of(empty.status(), empty.problemCode()), empty::toString);
    assertEquals(List.of(400, "one-file-only"), List.of(two.status(), two.problemCode()), two::toString);
    assertEquals(List.of(415, "unsupported-media-type"), List.of(json.status(), json.problemCode()), json::toString);
    assertNothingHalfStored();
  }

  @Test
  @DisplayName("a multipart body the decoder refuses (an unknown transfer encoding) is 400 invalid-multipart, nothing stored")
  void undecodable() {
    String boundary = "b" + Client.unique();
    byte[] body = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n"
      + "Content-Transfer-Encoding: rot13\r\n\r\n" + new String(Samples.pdf(), StandardCharsets.ISO_8859_1) + "\r\n--"
      + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);

    Client.Response refused = client.raw("POST", "/api/v1/assets", editor, "multipart/form-data; boundary=" + boundary, body);

    assertEquals(List.of(400, "invalid-multipart"), List.of(refused.status(), refused.problemCode()), refused::toString);
    assertNothingHalfStored();
  }

  @Test
  @DisplayName("a whole request whose multipart body stops before its closing boundary is answered at once 400 invalid-multipart, nothing stored")
  void cutBeforeClosingBoundary() {
    String boundary = "b" + Client.unique();
    byte[] body = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n"
      + new String(Samples.pdf(), StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);

    Client.Response refused = client.raw("POST", "/api/v1/assets", editor, "multipart/form-data; boundary=\"" + boundary + "\"",
      body);

    assertEquals(List.of(400, "invalid-multipart"), List.of(refused.status(), refused.problemCode()), refused::toString);
    assertNothingHalfStored();
  }

  @Test
  @DisplayName("a client that goes away in the middle of an upload leaves no chunk behind")
  void clientDisconnects() throws Exception {
    String boundary = "b" + Client.unique();
    byte[] preamble = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"gone.mp4\"\r\n\r\n")
      .getBytes(StandardCharsets.US_ASCII);
    try (Socket socket = new Socket("127.0.0.1", client.port())) {
      send(socket, uploadHead(5_000_000, boundary));
      socket.getOutputStream().write(preamble);
      socket.getOutputStream().write(Arrays.copyOf(Samples.mp4(2_000_000), 1_000_000));
      socket.getOutputStream().flush();
      long deadline = System.currentTimeMillis() + 5000;
      while (orphanChunks().isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);  // until the server has written some of it
      }
      assertTrue(!orphanChunks().isEmpty(), "the server stored chunks while the upload ran");
    }

    long deadline = System.currentTimeMillis() + 5000;
    while (!(orphanChunks().isEmpty() && uploadsUnderWay().isEmpty()) && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertNothingHalfStored();
  }

  private static String uploadHead(long contentLength, String boundary) {
    return "POST /api/v1/assets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + editor
      + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: " + contentLength + "\r\n\r\n";
  }

  private static void send(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
  }

  /** The head and body of one answer, read as its Content-Length says. */
  private static String readAnswer(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.UTF_8).endsWith("\r\n\r\n")) {
      head.write(in.read());
    }
    String text = head.toString(StandardCharsets.UTF_8);
    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(text);
    assertTrue(length.find(), text);
    return text + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
  }

  private static byte[] twoFiles(String boundary) {
    StringBuilder body = new StringBuilder();
    for (String name : List.of("a.pdf", "b.pdf")) {
      body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"").append(name)
        .append("\"\r\nContent-Type: application/pdf\r\n\r\n").append(new String(Samples.pdf(), StandardCharsets.ISO_8859_1))
        .append("\r\n");
    }
    body.append("--").append(boundary).append("--\r\n");
    return body.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** No chunk without its file document, and no upload recorded as under way. */
  static void assertNothingHalfStored() {
    assertEquals(Set.of(), orphanChunks(), "chunks without a file document");
    assertEquals(List.of(), uploadsUnderWay(), "uploads left under way");
  }

  static List<Document> uploadsUnderWay() {
    return StoreAccess.all(StoreAccess.collection("media_uploads").find());
  }

  static Set<String> orphanChunks() {
    Set<String> files = new HashSet<>();
    StoreAccess.all(StoreAccess.collection("media.files").find().projection(Projections.include("_id")))
      .forEach(d -> files.add(d.getString("_id")));
    Set<String> orphans = new HashSet<>();
    for (Document chunk : StoreAccess.all(StoreAccess.collection("media.chunks").find().projection(Projections.include("files_id")))) {
      if (!files.contains(chunk.getString("files_id"))) {
        orphans.add(chunk.getString("files_id"));
      }
    }
    return orphans;
  }

  static long fileCount() {
    return StoreAccess.all(StoreAccess.collection("media.files").find().projection(Projections.include("_id"))).size();
  }

  private static byte[] padded(byte[] start, int length) {
    return Arrays.copyOf(start, length);
  }

  /** {@code length} bytes, the given ones first, then zeros, made as they are read. */
  static final class Generated extends InputStream {
    private final byte[] start;
    private final long length;
    private long position;

    Generated(byte[] start, long length) {
      this.start = start;
      this.length = length;
    }

    @Override
    public int read() {
      if (position >= length) {
        return -1;
      }
      int b = position < start.length ? start[(int) position] & 0xFF : 0;
      position++;
      return b;
    }

    @Override
    public int read(byte[] into, int offset, int count) {
      if (position >= length) {
        return -1;
      }
      int n = (int) Math.min(count, length - position);
      for (int i = 0; i < n; i++) {
        into[offset + i] = position + i < start.length ? start[(int) (position + i)] : 0;
      }
      position += n;
      return n;
    }
  }
}
