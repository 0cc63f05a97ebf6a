package io.govmedia.platform;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The HTTP surface")
class HttpBasicsTest {

  static Client client;
  static String admin;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
  }

  @Test
  @DisplayName("/health answers UP and /ready reports MongoDB and Redis up")
  void healthAndReadiness() {
    assertEquals("UP", client.get("/health", null).json().getString("status"));
    Client.Response ready = client.get("/ready", null);
    assertEquals(200, ready.status());
    assertEquals("UP", ready.json().getString("outcome"));
    assertTrue(ready.text().contains("mongodb") && ready.text().contains("redis"), ready.text());
  }

  @Test
  @DisplayName("every answer carries a request id, and a sane one sent by the caller is kept")
  void requestIds() {
    assertTrue(client.get("/health", null).header("X-Request-Id").matches("[0-9a-f]{16}"));
    assertEquals("lb-7f3a9c21-0001", client.get("/health", null, Map.of("X-Request-Id", "lb-7f3a9c21-0001"))
      .header("X-Request-Id"));
    String insane = client.get("/health", null, Map.of("X-Request-Id", "a b<script>")).header("X-Request-Id");
    assertTrue(insane.matches("[0-9a-f]{16}"), "an unsafe id is replaced: " + insane);
    Client.Response problem = client.get("/api/v1/no-such-thing", admin, Map.of("X-Request-Id", "trace-000000042"));
    assertEquals("trace-000000042", problem.json().getString("requestId"), "problems name the request id");
  }

  @Test
  @DisplayName("an unknown route is a 404 problem in Chinese")
  void unknownRoute() {
    Client.Response response = client.get("/api/v1/no-such-thing", admin);
    assertEquals(404, response.status());
    assertEquals("not-found", response.problemCode());
    assertTrue(response.json().getString("title").startsWith("未找到"));
    assertEquals(404, client.get("/no-such-page", null).status(), "outside /api too");
  }

  @Test
  @DisplayName("the staff API refuses requests without a valid bearer token")
  void bearerRequired() {
    assertEquals("unauthorized", client.get("/api/v1/departments", null).problemCode());
    Client.Response forged = client.get("/api/v1/departments", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad");
    assertEquals(401, forged.status());
    assertEquals("Bearer", forged.header("WWW-Authenticate"));
  }

  @Test
  @DisplayName("a body over 1 MiB is refused with 413 and nothing is created")
  void bodyLimit() {
    String name = "x".repeat(1_100_000);
    byte[] body = ("{\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
    Client.Response response = client.raw("POST", "/api/v1/departments", admin, "application/json", body);
    assertEquals(413, response.status());
    assertEquals("payload-too-large", response.problemCode());
  }

  @Test
  @DisplayName("malformed JSON, a JSON array, and a non-JSON content type each get a clear 4xx problem")
  void malformedBodies() {
    Client.Response truncated = client.raw("POST", "/api/v1/departments", admin, "application/json",
      "{\"name\": \"办公室".getBytes(StandardCharsets.UTF_8));
    assertEquals(400, truncated.status());
    assertEquals("invalid-json", truncated.problemCode());
    assertEquals("请求体不是合法的 JSON", truncated.json().getString("title"));

    Client.Response array = client.raw("POST", "/api/v1/departments", admin, "application/json",
      "[1,2]".getBytes(StandardCharsets.UTF_8));
    assertEquals("invalid-json", array.problemCode());

    Client.Response form = client.raw("POST", "/api/v1/departments", admin, "application/x-www-form-urlencoded",
      "name=x".getBytes(StandardCharsets.UTF_8));
    assertEquals(415, form.status());
    assertEquals("unsupported-media-type", form.problemCode());
  }

  @Test
  @DisplayName("a wrong method on a known path is a 405 problem")
  void wrongMethod() {
    Client.Response response = client.raw("DELETE", "/api/v1/departments", admin, null, null);
    assertEquals(405, response.status());
    assertEquals("method-not-allowed", response.problemCode());
  }

  @Test
  @DisplayName("HEAD works wherever GET does, with GET's status and headers and no body: /health, an API list with and without a token")
  void head() throws Exception {
    String health = head("/health", null);
    String list = head("/api/v1/departments?limit=1", admin);
    String anonymous = head("/api/v1/departments", null);
    String unknown = head("/api/v1/no-such-thing", admin);

    assertTrue(health.startsWith("HTTP/1.1 200 "), health);
    assertTrue(health.toLowerCase().contains("\r\ncontent-type: application/json"), health);
    assertTrue(list.startsWith("HTTP/1.1 200 "), list);
    assertTrue(anonymous.startsWith("HTTP/1.1 401 "), anonymous);
    assertTrue(anonymous.contains("\r\nWWW-Authenticate: Bearer"), anonymous);
    assertTrue(unknown.startsWith("HTTP/1.1 404 "), unknown);
    for (String answer : List.of(health, list, anonymous, unknown)) {
      assertTrue(answer.endsWith("\r\n\r\n"), "no body after the head: " + answer);
      assertTrue(answer.matches("(?s).*\r\nX-Request-Id: [0-9a-f]{16}\r\n.*"), "one request id: " + answer);
    }
  }

  @Test
  @DisplayName("a wrong method on the OpenAPI document is a 405 problem naming the allowed methods, as elsewhere")
  void wrongMethodOnOpenApi() {
    Client.Response response = client.raw("PUT", "/api/openapi.yaml", admin, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
    assertEquals(405, response.status(), response::toString);
    assertEquals("method-not-allowed", response.problemCode());
    assertEquals("GET, HEAD", response.header("Allow"));
  }

  /** Everything the server sends for a HEAD request on a connection it then closes: the head and nothing after it. */
  private static String head(String path, String token) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", client.port())) {
      socket.setSoTimeout(10_000);
      String request = "HEAD " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  @DisplayName("bad paging parameters are 400 problems")
  void paging() {
    assertEquals("invalid-limit", client.get("/api/v1/departments?limit=0", admin).problemCode());
    assertEquals("invalid-limit", client.get("/api/v1/departments?limit=abc", admin).problemCode());
    assertEquals("invalid-cursor", client.get("/api/v1/departments?cursor=%7B%22%24gt%22%3A1%7D", admin).problemCode());
  }

  @Test
  @DisplayName("a page size must be written in ASCII digits: a full-width ５, an Arabic-Indic ٥ or a +5 is refused")
  void pagingDigits() {
    assertEquals(200, client.get("/api/v1/departments?limit=5", admin).status());
    for (String limit : new String[] {"%EF%BC%95", "%D9%A5", "%2B5", "05%EF%BC%90"}) {
      Client.Response response = client.get("/api/v1/departments?limit=" + limit, admin);
      assertEquals(400, response.status(), limit);
      assertEquals("invalid-limit", response.problemCode(), limit);
    }
  }
}
