package io.govmedia;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps {@code /api/openapi.yaml} honest: it must be a valid OpenAPI document, describe every route the server
 * mounts under {@code /api/v1}, describe nothing the server does not mount, and say truthfully which operations
 * need the bearer token.
 */
@DisplayName("The OpenAPI document")
class OpenApiCoverageTest {

  private static final Pattern VERTX_PARAM = Pattern.compile(":([A-Za-z0-9_]+)");
  private static final Pattern OPENAPI_PARAM = Pattern.compile("\\{[^}/]+}");
  private static final String SOME_ID = "0".repeat(24);

  static Vertx vertx;
  static Client client;
  static String yaml;
  static JsonObject document;
  static OpenAPIContract contract;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    client = TestServer.get().client();
    Client.Response response = client.get("/api/openapi.yaml", null);
    assertEquals(200, response.status(), response.text());
    assertTrue(response.contentType().startsWith("application/yaml"), response.contentType());
    yaml = response.text();
    Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    assertTrue(parsed instanceof Map, "openapi.yaml is not a YAML mapping");
    document = new JsonObject(Json.encode(parsed));
    contract = OpenAPIContract.from(vertx, supportedMediaTypesOnly(document.copy())).await(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("is a valid OpenAPI 3 document that vertx-openapi parses")
  void valid() {
    assertTrue(document.getString("openapi", "").startsWith("3."), "not OpenAPI 3: " + document.getString("openapi"));
    assertFalse(contract.operations().isEmpty(), "no operations");
    Set<String> ids = new TreeSet<>();
    for (Operation operation : contract.operations()) {
      assertTrue(operation.getOperationId() != null && ids.add(operation.getOperationId()),
        "missing or duplicate operationId: " + operation.getHttpMethod() + " " + operation.getOpenAPIPath());
    }
    JsonObject bearer = document.getJsonObject("components").getJsonObject("securitySchemes").getJsonObject("bearerAuth");
    assertEquals("http", bearer.getString("type"));
    assertEquals("bearer", bearer.getString("scheme"));
    assertEquals("JWT", bearer.getString("bearerFormat"));
  }

  @Test
  @DisplayName("is served over HTTP exactly as it is on the classpath")
  void servedAsIs() throws Exception {
    try (var in = OpenApiCoverageTest.class.getResourceAsStream("/openapi.yaml")) {
      assertNotNull(in, "openapi.yaml missing from the classpath");
      assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), yaml);
    }
  }

  @Test
  @DisplayName("documents every /api/v1 route the server mounts, and no route it does not mount")
  void coversTheMountedRoutes() {
    Set<String> mounted = new TreeSet<>(mountedApiRoutes(apiRouter()));
    assertTrue(mounted.size() > 10, "the router walk found too few routes: " + mounted);
    Set<String> documented = documentedOperations();

    Set<String> missing = new TreeSet<>(mounted);
    missing.removeAll(documented);
    Set<String> stale = new TreeSet<>(documented);
    stale.removeAll(mountedRoutes(apiRouter()));
    assertTrue(missing.isEmpty() && stale.isEmpty(), "src/main/resources/openapi.yaml is out of date;"
      + " mounted but not documented: " + missing + "; documented but not mounted: " + stale);
  }

  @Test
  @DisplayName("puts bearerAuth on all of /api/v1 but sign-in, refresh, logout and the event stream (its ticket is the credential), citizenSession on all of /mp/v1 but the sign-in, and the server agrees")
  void securityMatchesTheServer() {
    Set<String> publicApi = Set.of("POST /api/v1/auth/login", "POST /api/v1/auth/refresh", "POST /api/v1/auth/logout",
      "POST /api/v1/auth/console/login", "POST /api/v1/auth/console/refresh",
      "GET /api/v1/events", "POST /mp/v1/session");
    List<String> wrong = new ArrayList<>();
    for (Operation operation : contract.operations()) {
      String route = operation.getHttpMethod() + " " + operation.getOpenAPIPath();
      boolean citizen = operation.getOpenAPIPath().startsWith("/mp/v1/");
      String scheme = citizen ? "citizenSession" : "bearerAuth";
      boolean documentedPublic = operation.getSecurityRequirements().isEmpty()
        || operation.getSecurityRequirements().stream().anyMatch(r -> r.isEmpty());
      boolean documentedToken = operation.getSecurityRequirements().stream()
        .anyMatch(r -> r.getNames().contains(scheme));
      if ((operation.getOpenAPIPath().startsWith("/api/v1/") || citizen)
        && (documentedPublic != publicApi.contains(route) || documentedToken == documentedPublic)) {
        wrong.add(route + " documented " + (documentedPublic ? "public" : scheme));
      }
      // Ask the server: without a token, a token route answers 401 with its code; a public one does not.
      String path = OPENAPI_PARAM.matcher(operation.getOpenAPIPath()).replaceAll(SOME_ID);
      Client.Response answer = client.raw(operation.getHttpMethod().name(), path, null, null, null);
      boolean serverDemandsToken = answer.status() == 401
        && (citizen ? "session-invalid" : "unauthorized").equals(answer.json().getString("code"));
      if (serverDemandsToken == documentedPublic) {
        wrong.add(route + " documented " + (documentedPublic ? "public" : scheme) + " but the server answered " + answer);
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  /** "METHOD /api/v1/..." and "METHOD /mp/v1/..." for every such route, sorted, OpenAPI style. */
  static List<String> mountedApiRoutes(Router root) {
    return mountedRoutes(root).stream().filter(r -> {
      String path = r.substring(r.indexOf(' ') + 1);
      return path.startsWith("/api/v1/") || path.startsWith("/mp/v1/");
    }).toList();
  }

  /** "METHOD /path" for every route with a method and a path, walking into sub-routers, sorted, OpenAPI style. */
  static List<String> mountedRoutes(Router root) {
    Set<String> found = new TreeSet<>();
    walk(root, "", found);
    return List.copyOf(found);
  }

  private static void walk(Router router, String prefix, Set<String> found) {
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (path == null) {
        continue; // catch-all handlers (request log, failure handler) or regex routes
      }
      String full = join(prefix, path);
      if (route.getSubRouter() != null) {
        walk(route.getSubRouter(), full, found);
        continue;
      }
      Set<HttpMethod> methods = route.methods();
      if (methods == null || methods.isEmpty()) {
        continue; // handlers for every method on a prefix: body limits, the bearer token
      }
      String openApiPath = VERTX_PARAM.matcher(full).replaceAll("{$1}");
      for (HttpMethod method : methods) {
        found.add(method.name() + " " + openApiPath);
      }
    }
  }

  /** A mount path ("/api/v1/auth/" from ".../auth/*", "/api/v1/staff" from ".../staff*") plus a route path. */
  private static String join(String prefix, String path) {
    String joined = (prefix + path).replaceAll("/{2,}", "/");
    return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
  }

  /** A fresh root router built exactly as the shared server builds the ones serving requests. */
  private static Router apiRouter() {
    return TestServer.get().running().router();
  }

  /** "METHOD /path" of every operation in the document, as vertx-openapi read it. */
  private static Set<String> documentedOperations() {
    return contract.operations().stream().map(o -> o.getHttpMethod().name() + " " + o.getOpenAPIPath())
      .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * vertx-openapi 5.0.10 refuses to build a contract naming media types outside its short list (it knows
   * application/json but not application/problem+json or application/yaml), although the document is valid
   * OpenAPI. The whole document is still checked against the OpenAPI schema; only for building the contract
   * are such media types renamed to ones it knows, with the same schema.
   */
  private static JsonObject supportedMediaTypesOnly(JsonObject doc) {
    List<JsonObject> contents = new ArrayList<>();
    JsonObject components = doc.getJsonObject("components", new JsonObject());
    for (String section : List.of("responses", "requestBodies")) {
      JsonObject entries = components.getJsonObject(section, new JsonObject());
      entries.fieldNames().forEach(name -> contents.add(entries.getJsonObject(name).getJsonObject("content")));
    }
    JsonObject paths = doc.getJsonObject("paths", new JsonObject());
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (!(item.getValue(method) instanceof JsonObject operation) || !operation.containsKey("responses")) {
          continue;
        }
        JsonObject body = operation.getJsonObject("requestBody");
        if (body != null) {
          contents.add(body.getJsonObject("content"));
        }
        JsonObject responses = operation.getJsonObject("responses");
        responses.fieldNames().forEach(status -> contents.add(responses.getJsonObject(status).getJsonObject("content")));
      }
    }
    for (JsonObject content : contents) {
      if (content == null) {
        continue;
      }
      for (String type : new ArrayList<>(content.fieldNames())) {
        if (!MediaType.isMediaTypeSupported(type)) {
          String known = type.endsWith("+json") ? MediaType.APPLICATION_JSON : MediaType.TEXT_PLAIN;
          if (content.containsKey(known)) {
            fail("cannot stand in " + known + " for " + type + ": both are declared");
          }
          content.put(known, content.remove(type));
        }
      }
    }
    return doc;
  }
}
