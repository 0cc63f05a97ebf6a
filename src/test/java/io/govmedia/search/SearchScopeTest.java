package io.govmedia.search;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Search shows what content shows (谁起草谁解读): department A's draft is found inside A's scope and by admins,
 * by everyone else only once it is published. Documents written through the content API of the shared server.
 */
@DisplayName("Search is scoped by department like content")
class SearchScopeTest {

  static Client client;
  static String admin;
  static String housing;
  static String editorA;
  static String officeReplier;
  static String editorB;
  static List<String> reviewersA;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    String office = client.department(admin, "市政府办公室", null);
    housing = client.department(admin, "住建局", office);
    String transport = client.department(admin, "交通局", office);
    editorA = staff("editor", housing);
    editorB = staff("editor", transport);
    officeReplier = staff("replier", office);
    reviewersA = List.of(staff("reviewer", housing), staff("reviewer", housing), staff("reviewer", housing));
  }

  static String staff(String role, String department) {
    return client.staffToken(admin, List.of(role), List.of(department), List.of());
  }

  static String draftOfA(String title, String body) {
    Client.Response created = client.post("/api/v1/documents", editorA, new JsonObject().put("title", title)
      .put("docNumber", "建〔2026〕" + Client.unique() + "号").put("issuer", "市住房和城乡建设局")
      .put("departmentId", housing).put("category", "住房保障").put("body", body)
      .put("effectiveAt", "2026-03-01T00:00:00+08:00"));
    assertEquals(201, created.status(), created::toString);
    return "/api/v1/documents/" + created.json().getString("id");
  }

  /** Exempted from 同步审签, taken through every review stage, published. */
  static void publish(String path) {
    assertEquals(200, client.post(path + "/exemption", reviewersA.get(0), new JsonObject().put("reason", "测试")).status());
    assertEquals(200, client.post(path + "/submit", editorA, new JsonObject()).status());
    for (String reviewer : reviewersA) {
      Client.Response approved = client.post(path + "/review", reviewer, new JsonObject().put("decision", "approve"));
      assertEquals(200, approved.status(), approved::toString);
    }
    Client.Response published = client.post(path + "/publish", editorA, new JsonObject());
    assertEquals(200, published.status(), published::toString);
  }

  static List<String> found(String word, String token) {
    Client.Response response = client.get("/api/v1/search?limit=50&q=" + URLEncoder.encode(word, StandardCharsets.UTF_8), token);
    assertEquals(200, response.status(), response::toString);
    return response.items().stream().map(JsonObject.class::cast).map(hit -> hit.getString("id")).toList();
  }

  /** Waits until the token finds the id (indexing may lag the write on another instance). */
  static void eventuallyFinds(String word, String token, String id) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (!found(word, token).contains(id)) {
      if (System.currentTimeMillis() > deadline) {
        fail(id + " not found for " + word + " within 5 s");
      }
      Thread.sleep(20);
    }
  }

  static String id(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  @Test
  @DisplayName("an editor of B does not find A's draft, A's editor, the office above A and an admin do; once published B finds it too")
  void draftsOnlyInScope() throws Exception {
    String word = "棚户区改造货币化安置";
    String path = draftOfA("棚户区改造实施意见（征求意见稿）", "<p>推进" + word + "工作。</p>");
    String id = id(path);

    eventuallyFinds(word, editorA, id);
    assertTrue(found(word, admin).contains(id), "admins find everything");
    assertTrue(found(word, officeReplier).contains(id), "a department's scope includes those below it");
    assertFalse(found(word, editorB).contains(id), "B must not see A's draft in search");
    assertFalse(found("棚户区改造实施意见", editorB).contains(id), "nor by its title");

    publish(path);
    eventuallyFinds(word, editorB, id);
    assertTrue(found(word, admin).contains(id));
  }
}
