package io.govmedia.platform;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input never gets a 5xx: every JSON route the OpenAPI document lists is sent an empty, a cut-off and a
 * non-UTF-8 body by an admin holding every role (so that role checks let the body be read) and must answer a 4xx
 * problem a person can read. Text that could not be stored and hashed as sent is refused on every route too.
 */
@DisplayName("Broken request bodies")
class BadBodiesTest {

  private static final Pattern OPENAPI_PARAM = Pattern.compile("\\{[^}/]+}");
  private static final String SOME_ID = "0123456789abcdef01234567";
  private static final Pattern CHINESE = Pattern.compile("\\p{IsHan}");
  private static final Set<String> WITH_BODY = Set.of("post", "put", "patch");

  static Client client;
  static String admin;
  static String everyRole;
  static JsonObject document;

  @BeforeAll
  static void start() throws Exception {
    client = TestServer.get().client();
    admin = client.adminToken();
    everyRole = client.staffToken(admin, List.copyOf(io.govmedia.auth.Role.NAMES), List.of(), List.of());
    try (InputStream in = BadBodiesTest.class.getResourceAsStream("/openapi.yaml")) {
      Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      document = new JsonObject(Json.encode(parsed));
    }
  }

  @Test
  @DisplayName("an empty JSON body is a 400 problem, not a server error (it was a 500 on sign-in and 21 other routes)")
  void emptyBodyOnSignIn() {
    Client.Response response = client.raw("POST", "/api/v1/auth/login", null, "application/json", new byte[0]);

    assertEquals(400, response.status(), response::toString);
    assertEquals("invalid-json", response.problemCode());
  }

  @Test
  @DisplayName("every JSON route of the OpenAPI document answers an empty, a cut-off and a non-UTF-8 body with a 4xx problem in Chinese")
  void everyJsonRoute() {
    Map<String, byte[]> bodies = new LinkedHashMap<>();
    bodies.put("empty", new byte[0]);
    bodies.put("cut off", "{\"a\":".getBytes(StandardCharsets.UTF_8));
    bodies.put("not UTF-8", notUtf8());
    List<String> routes = jsonRoutes();
    assertTrue(routes.size() >= 20, "too few JSON routes found in openapi.yaml: " + routes);

    List<String> wrong = new ArrayList<>();
    for (String route : routes) {
      String method = route.substring(0, route.indexOf(' '));
      String path = OPENAPI_PARAM.matcher(route.substring(method.length() + 1)).replaceAll(SOME_ID);
      bodies.forEach((kind, body) -> {
        Client.Response answer = client.raw(method, path, everyRole, "application/json", body);
        if (!isReadableClientProblem(answer)) {
          wrong.add(route + " with the " + kind + " body: " + answer.status() + " " + answer.contentType() + " " + answer.text());
        }
      });
    }
    assertTrue(wrong.isEmpty(), "not a 4xx problem with a code and a Chinese title:\n" + String.join("\n", wrong));
  }

  @Test
  @DisplayName("a lone surrogate in a name or title is refused with 400 invalid-characters naming the field, on departments, staff and documents")
  void loneSurrogateRefused() {
    String department = client.department(admin, "办公室", null);
    String name = "通知\\ud800";

    Client.Response onDepartment = client.post("/api/v1/departments", admin, "{\"name\":\"" + name + "\"}");
    Client.Response onStaff = client.post("/api/v1/staff", admin, "{\"username\":\"u" + Client.unique()
      + "\",\"displayName\":\"" + name + "\",\"password\":\"Staff-Passw0rd-1\",\"roles\":[\"editor\"],"
      + "\"departmentIds\":[\"" + department + "\"]}");
    Client.Response onDocument = client.post("/api/v1/documents", admin, "{\"title\":\"" + name
      + "\",\"body\":\"<p>正文</p>\",\"departmentId\":\"" + department + "\"}");

    assertEquals(List.of("name"), characterErrors(onDepartment));
    assertEquals(List.of("displayName"), characterErrors(onStaff));
    assertEquals(List.of("title"), characterErrors(onDocument));
  }

  @Test
  @DisplayName("noncharacters, control characters, and bad text deep inside arrays or in member names are refused; emoji, tabs and newlines are fine")
  void otherCharacters() {
    for (String bad : List.of("\\udc00通知", "通知\\ud800\\ud800", "\\uffff", "\\ufffe", "\\ufdd0", "\\ud83f\\udfff",
      "a\\u0000b", "a\\u001bb")) {
      assertEquals(List.of("name"), characterErrors(client.post("/api/v1/departments", admin, "{\"name\":\"" + bad + "\"}")),
        bad);
    }
    Client.Response nested = client.post("/api/v1/sensitive-words/import", admin,
      "{\"words\":[{\"word\":\"好\",\"level\":\"warn\"},{\"word\":\"坏\\ud800\",\"level\":\"warn\"}]}");
    Client.Response inName = client.post("/api/v1/departments", admin, "{\"name\":\"办公室\",\"x\\uffff\":1}");
    Client.Response fine = client.post("/api/v1/departments", admin, new JsonObject()
      .put("name", "信访办😀\t" + Client.unique()));

    assertEquals(List.of("words[1].word"), characterErrors(nested));
    assertEquals(List.of("(body)"), characterErrors(inName));
    assertEquals(201, fine.status(), fine::toString);
    assertTrue(fine.json().getString("name").startsWith("信访办😀"), fine::toString);
  }

  private static List<String> characterErrors(Client.Response response) {
    assertEquals(400, response.status(), response::toString);
    assertEquals("invalid-characters", response.problemCode(), response::toString);
    assertTrue(CHINESE.matcher(response.json().getString("title")).find(), response::toString);
    List<String> fields = new ArrayList<>();
    response.json().getJsonArray("errors").forEach(e -> fields.add(((JsonObject) e).getString("field")));
    return fields;
  }

  private static boolean isReadableClientProblem(Client.Response answer) {
    if (answer.status() < 400 || answer.status() >= 500 || answer.contentType() == null
      || !answer.contentType().startsWith("application/problem+json")) {
      return false;
    }
    JsonObject problem = answer.json();
    String code = problem.getString("code");
    String title = problem.getString("title");
    return code != null && !code.isBlank() && title != null && CHINESE.matcher(title).find();
  }

  /** "METHOD /path" of every operation under /api/v1 whose request body is JSON (uploads are multipart). */
  private static List<String> jsonRoutes() {
    List<String> routes = new ArrayList<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      if (!path.startsWith("/api/v1/")) {
        continue;
      }
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (WITH_BODY.contains(method) && isJson(item.getJsonObject(method).getJsonObject("requestBody"))) {
          routes.add(method.toUpperCase() + " " + path);
        }
      }
    }
    return routes;
  }

  private static boolean isJson(JsonObject requestBody) {
    if (requestBody != null && requestBody.containsKey("$ref")) {
      String name = requestBody.getString("$ref").substring("#/components/requestBodies/".length());
      requestBody = document.getJsonObject("components").getJsonObject("requestBodies").getJsonObject(name);
    }
    return requestBody != null && requestBody.getJsonObject("content", new JsonObject()).containsKey("application/json");
  }

  /** {"title":"通知…"} with the bytes 0xC3 0x28 inside the string: a lead byte followed by no continuation byte. */
  private static byte[] notUtf8() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("{\"title\":\"通知".getBytes(StandardCharsets.UTF_8));
    out.write(0xC3);
    out.write(0x28);
    out.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }
}
