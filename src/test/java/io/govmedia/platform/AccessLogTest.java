package io.govmedia.platform;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The access log names the status each request was actually answered with. The server logs to standard output
 * (logback's console appender looks {@code System.out} up at each write), so the test reads it there, finding
 * its request's line by the request id it sent.
 */
@DisplayName("The access log")
class AccessLogTest {

  static Client client;
  static String admin;
  static PrintStream original;
  static final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    original = System.out;
    System.setOut(new PrintStream(new Tee(original), true, StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() {
    System.setOut(original);
  }

  @Test
  @DisplayName("an upload refused 400 invalid-multipart, after which the server closes the connection, is logged as answered 400")
  void refusedUpload() throws Exception {
    for (String filename : new String[] {"文".repeat(3000) + ".pdf", "a.pdf"}) {
      String id = "log-" + Client.unique();
      String boundary = "b" + Client.unique();
      byte[] body = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
        + "\"\r\nContent-Transfer-Encoding: rot13\r\n\r\n%PDF-1.4\n%%EOF\n\r\n--" + boundary + "--\r\n")
        .getBytes(StandardCharsets.UTF_8);

      Client.Response refused = client.raw("POST", "/api/v1/assets", admin, "multipart/form-data; boundary=" + boundary,
        body, Map.of(RequestLog.HEADER, id));

      assertEquals("invalid-multipart", refused.problemCode(), refused::toString);
      assertEquals(id + " POST /api/v1/assets 400", line(id).replaceFirst(" [0-9]+ms$", ""));
    }
  }

  @Test
  @DisplayName("a request whose client hangs up before any answer is logged as closed, without a status")
  void closedConnection() throws Exception {
    String id = "log-" + Client.unique();
    try (Socket socket = new Socket("127.0.0.1", client.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/v1/assets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin + "\r\n"
        + RequestLog.HEADER + ": " + id + "\r\nContent-Type: multipart/form-data; boundary=xyz\r\n"
        + "Content-Length: 100000\r\n\r\n--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF")
        .getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    assertTrue(line(id).matches(id + " POST /api/v1/assets - [0-9]+ms closed"), line(id));
  }

  @Test
  @DisplayName("a HEAD request, answered as its GET, is logged once, as HEAD, with the status sent")
  void head() throws Exception {
    String id = "log-" + Client.unique();

    Client.Response answered = client.raw("HEAD", "/api/v1/departments", admin, null, null, Map.of(RequestLog.HEADER, id));

    assertEquals(200, answered.status());
    assertEquals(id, answered.header(RequestLog.HEADER));
    assertEquals(id + " HEAD /api/v1/departments 200", line(id).replaceFirst(" [0-9]+ms$", ""));
    assertEquals(1, captured().lines().filter(l -> l.contains(" " + id + " ")).count(), "one line per request");
  }

  /** The access-log line of the request {@code id}, once it is written. */
  static String line(String id) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      Optional<String> found = captured().lines().filter(l -> l.contains("govmedia.access - " + id + " ")).findFirst();
      if (found.isPresent()) {
        return found.get().substring(found.get().indexOf(id));
      }
      Thread.sleep(10);  // the line is written once the answer has gone out
    }
    throw new AssertionError("no access-log line for " + id);
  }

  static String captured() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }

  /** Writes through to the real output and keeps a copy. */
  private static final class Tee extends OutputStream {
    private final PrintStream through;

    Tee(PrintStream through) {
      this.through = through;
    }

    @Override
    public void write(int b) {
      through.write(b);
      synchronized (captured) {
        captured.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      through.write(b, off, len);
      synchronized (captured) {
        captured.write(b, off, len);
      }
    }
  }
}
