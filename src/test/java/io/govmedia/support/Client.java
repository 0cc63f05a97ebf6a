package io.govmedia.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A blocking HTTP client for tests, speaking to a running server the way an outside client would.
 * Blocking is fine here: tests run on JUnit's thread, never on an event loop.
 */
public final class Client {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final int port;

  public Client(int port) {
    this.port = port;
  }

  public int port() {
    return port;
  }

  public record Response(int status, java.net.http.HttpHeaders headers, String text) {

    public JsonObject json() {
      return new JsonObject(text);
    }

    public JsonArray items() {
      return json().getJsonArray("items");
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public String contentType() {
      return header("Content-Type");
    }

    /** The {@code code} of a problem answer, after checking it is one. */
    public String problemCode() {
      if (contentType() == null || !contentType().startsWith("application/problem+json")) {
        throw new AssertionError("expected application/problem+json, got " + contentType() + ": " + text);
      }
      return json().getString("code");
    }

    @Override
    public String toString() {
      return status + " " + text;
    }
  }

  public Response get(String path, String token) {
    return send(request(path, token).GET().build());
  }

  public Response get(String path, String token, java.util.Map<String, String> headers) {
    HttpRequest.Builder builder = request(path, token);
    headers.forEach(builder::header);
    return send(builder.GET().build());
  }

  public Response post(String path, String token, Object json) {
    return send(request(path, token).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(encode(json))).build());
  }

  public Response patch(String path, String token, Object json) {
    return send(request(path, token).header("Content-Type", "application/json")
      .method("PATCH", HttpRequest.BodyPublishers.ofString(encode(json))).build());
  }

  /** A raw request with extra headers. */
  public Response raw(String method, String path, String token, String contentType, byte[] body,
                      java.util.Map<String, String> headers) {
    HttpRequest.Builder builder = request(path, token);
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    headers.forEach(builder::header);
    return send(builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
      : HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  /** A raw request: any method, content type and body bytes. */
  /** POSTs {@code file} as the multipart form field {@code file}, as a browser or the mini-program uploads it. */
  public Response upload(String path, String token, String filename, byte[] file) {
    String boundary = "----govmedia" + unique();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
      + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    body.writeBytes(file);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return raw("POST", path, token, "multipart/form-data; boundary=" + boundary, body.toByteArray());
  }

  public Response raw(String method, String path, String token, String contentType, byte[] body) {
    HttpRequest.Builder builder = request(path, token);
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    return send(builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
      : HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  public String login(String username, String password) {
    Response response = post("/api/v1/auth/login", null, new JsonObject().put("username", username).put("password", password));
    if (response.status() != 200) {
      throw new AssertionError("login of " + username + " failed: " + response);
    }
    return response.json().getString("accessToken");
  }

  public String adminToken() {
    return login("admin", TestServer.ADMIN_PASSWORD);
  }

  /** Creates a department with a unique name and answers its id. */
  public String department(String adminToken, String namePrefix, String parentId) {
    JsonObject body = new JsonObject().put("name", namePrefix + "-" + unique()).put("parentId", parentId);
    Response response = post("/api/v1/departments", adminToken, body);
    if (response.status() != 201) {
      throw new AssertionError("department creation failed: " + response);
    }
    return response.json().getString("id");
  }

  /** Creates a staff member and answers a fresh access token for them. */
  public String staffToken(String adminToken, List<String> roles, List<String> departmentIds, List<String> accountIds) {
    return staffMember(adminToken, "测试人员", roles, departmentIds, accountIds).token();
  }

  /** A staff member created for a test, signed in once; the password lets a browser sign in too. */
  public record Member(String id, String username, String password, String token) {}

  public Member staffMember(String adminToken, String displayName, List<String> roles, List<String> departmentIds,
                            List<String> accountIds) {
    String username = "u" + unique();
    String password = "Staff-Passw0rd-" + unique();
    Response response = post("/api/v1/staff", adminToken, new JsonObject().put("username", username)
      .put("displayName", displayName).put("password", password).put("roles", new JsonArray(roles))
      .put("departmentIds", new JsonArray(departmentIds)).put("accountIds", new JsonArray(accountIds)));
    if (response.status() != 201) {
      throw new AssertionError("staff creation failed: " + response);
    }
    return new Member(response.json().getString("id"), username, password, login(username, password));
  }

  public static String unique() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
      .timeout(Duration.ofSeconds(30));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private static String encode(Object json) {
    return json instanceof String s ? s : json instanceof JsonObject o ? o.encode() : ((JsonArray) json).encode();
  }

  private static Response send(HttpRequest request) {
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
