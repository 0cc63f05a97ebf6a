package io.govmedia.content;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 谁起草谁解读: content belongs to a department. The tree here: the office (root) with the housing bureau (A, with
 * a sub-office A1 below it) and the transport bureau (B). Each test plays an attacker of B against A's items.
 */
@DisplayName("Documents and interpretations are scoped by department")
class ContentScopeTest {

  static Client client;
  static String admin;
  static String office;
  static String housing;
  static String housingSub;
  static String transport;
  static String editorA;
  static String editorB;
  static String replierB;
  static String replierA;
  static List<String> reviewersA;
  static String reviewerB;
  static String officeReviewer;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    office = client.department(admin, "市政府办公室", null);
    housing = client.department(admin, "住建局", office);
    housingSub = client.department(admin, "住建局房管科", housing);
    transport = client.department(admin, "交通局", office);
    editorA = staff("editor", housing);
    editorB = staff("editor", transport);
    replierA = staff("replier", housing);
    replierB = staff("replier", transport);
    reviewersA = List.of(staff("reviewer", housing), staff("reviewer", housing), staff("reviewer", housing));
    reviewerB = staff("reviewer", transport);
    officeReviewer = staff("reviewer", office);
  }

  static String staff(String role, String department) {
    return client.staffToken(admin, List.of(role), List.of(department), List.of());
  }

  static JsonObject documentOf(String department, String title) {
    return new JsonObject().put("title", title).put("docNumber", "建〔2026〕" + Client.unique() + "号")
      .put("issuer", "市住房和城乡建设局").put("departmentId", department).put("category", "住房保障")
      .put("body", "<p>第一条 为规范管理，制定本办法。</p>").put("effectiveAt", "2026-03-01T00:00:00+08:00");
  }

  static String draftOfA(String title) {
    Client.Response created = client.post("/api/v1/documents", editorA, documentOf(housing, title));
    assertEquals(201, created.status(), created::toString);
    return "/api/v1/documents/" + created.json().getString("id");
  }

  /** An A document exempted from 同步审签 and taken through review to the given end ("approved" or "published"). */
  static String documentOfA(String title, String end) {
    String path = draftOfA(title);
    assertEquals(200, client.post(path + "/exemption", reviewersA.get(0), new JsonObject().put("reason", "测试")).status());
    assertEquals(200, client.post(path + "/submit", editorA, new JsonObject()).status());
    for (String reviewer : reviewersA) {
      Client.Response approved = client.post(path + "/review", reviewer, new JsonObject().put("decision", "approve"));
      assertEquals(200, approved.status(), approved::toString);
    }
    if (end.equals("published")) {
      assertEquals(200, client.post(path + "/publish", editorA, new JsonObject()).status());
    }
    return path;
  }

  static List<String> listed(String path, String token) {
    return client.get(path, token).items().stream().map(JsonObject.class::cast).map(d -> d.getString("id")).toList();
  }

  static String id(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  @Test
  @DisplayName("an editor of B can neither edit, re-date, mark nor submit A's draft: it is not found for them")
  void otherEditorsDraft() {
    String path = draftOfA("住房租赁管理办法");
    assertEquals(404, client.patch(path, editorB, new JsonObject().put("title", "改")).status());
    assertEquals(404, client.patch(path, editorB, new JsonObject().put("expiresAt", "2030-01-01T00:00:00+08:00")).status());
    assertEquals(404, client.post(path + "/validity", editorB, new JsonObject().put("validity", "repealed")).status());
    assertEquals(404, client.post(path + "/submit", editorB, new JsonObject()).status());
    JsonObject unchanged = client.get(path, editorA).json();
    assertEquals(1, unchanged.getInteger("version"));
    assertEquals("住房租赁管理办法", unchanged.getString("title"));
  }

  @Test
  @DisplayName("an editor of B may read A's published document but not edit, mark or interpret it: 403")
  void otherEditorsPublished() {
    String path = documentOfA("公共租赁住房管理办法", "published");
    assertEquals(200, client.get(path, editorB).status());
    Client.Response marked = client.post(path + "/validity", editorB, new JsonObject().put("validity", "repealed"));
    assertEquals(403, marked.status(), marked::toString);
    assertEquals(409, client.patch(path, editorA, new JsonObject().put("title", "改")).status(), "published is final");
    assertEquals(403, client.patch(path, editorB, new JsonObject().put("title", "改")).status());
    Client.Response interpreted = client.post("/api/v1/interpretations", editorB, new JsonObject().put("documentId", id(path))
      .put("form", "text").put("title", "越权解读").put("body", "<p>解读</p>"));
    assertEquals(403, interpreted.status(), "谁起草谁解读: " + interpreted);
    assertEquals("published", client.get(path, editorA).json().getString("status"));
  }

  @Test
  @DisplayName("an editor of B cannot write a document for A nor interpret A's draft, which stays unknown to them")
  void writeOnlyInOwnDepartment() {
    Client.Response forA = client.post("/api/v1/documents", editorB, documentOf(housing, "代拟文件"));
    assertEquals(403, forA.status(), forA::toString);
    String draft = draftOfA("物业服务收费办法");
    Client.Response interpreted = client.post("/api/v1/interpretations", editorB, new JsonObject()
      .put("documentId", id(draft)).put("form", "text").put("title", "解读").put("body", "<p>解读</p>"));
    assertEquals("unknown-document", interpreted.problemCode());
    Client.Response below = client.post("/api/v1/documents", editorA, documentOf(housingSub, "房管科文件"));
    assertEquals(201, below.status(), "a department's scope includes the departments below it: " + below);
  }

  @Test
  @DisplayName("moving an item to another department is for admins: an editor is refused even within their own scope")
  void movingIsForAdmins() {
    String path = draftOfA("老旧小区改造办法");
    Client.Response toB = client.patch(path, editorA, new JsonObject().put("departmentId", transport));
    assertEquals(403, toB.status(), toB::toString);
    assertEquals(403, client.patch(path, editorA, new JsonObject().put("departmentId", housingSub)).status());
    assertEquals(200, client.patch(path, editorA, new JsonObject().put("departmentId", housing).put("title", "老旧小区改造实施办法"))
      .status(), "naming the department it is in already is no move");

    Client.Response moved = client.patch(path, admin, new JsonObject().put("departmentId", transport));
    assertEquals(200, moved.status(), moved::toString);
    assertEquals(transport, moved.json().getString("departmentId"));
    assertEquals(404, client.get(path, editorA).status(), "now B's draft");
    assertEquals(200, client.get(path, editorB).status());
  }

  @Test
  @DisplayName("when an admin moves a document, its unpublished interpretations move with it (谁起草谁解读), audited; one in review goes back to draft")
  void interpretationsFollowTheirDocument() {
    String path = draftOfA("住房租赁补贴发放办法");
    String draft = interpretationOf(path, "补贴发放解读");
    String inReview = interpretationOf(path, "补贴发放问答");
    assertEquals(200, client.post(inReview + "/submit", editorA, new JsonObject()).status());

    Client.Response moved = client.patch(path, admin, new JsonObject().put("departmentId", transport));
    assertEquals(200, moved.status(), moved::toString);

    for (String interpretation : List.of(draft, inReview)) {
      JsonObject now = client.get(interpretation, editorB).json();
      assertEquals(transport, now.getString("departmentId"), interpretation + " " + now);
      assertEquals(404, client.get(interpretation, editorA).status(), "no longer A's draft");
      assertEquals(200, client.patch(interpretation, editorB, new JsonObject().put("title", "交通局接手")).status(),
        "B's editors now write it");
    }
    JsonObject reopened = client.get(inReview, editorB).json();
    assertEquals("draft", reopened.getString("status"), "the old department's review does not carry over");
    List<String> audited = client.get("/api/v1/audit?limit=100", admin).items().stream().map(JsonObject.class::cast)
      .filter(e -> e.getString("action").equals("interpretation.move")).map(e -> e.getString("targetId")).toList();
    assertTrue(audited.containsAll(List.of(id(draft), id(inReview))), audited::toString);
  }

  static String interpretationOf(String documentPath, String title) {
    Client.Response created = client.post("/api/v1/interpretations", editorA, new JsonObject()
      .put("documentId", id(documentPath)).put("form", "text").put("title", title).put("body", "<p>解读正文。</p>"));
    assertEquals(201, created.status(), created::toString);
    return "/api/v1/interpretations/" + created.json().getString("id");
  }

  @Test
  @DisplayName("drafts are seen only inside the departments concerned; published items by all staff; lists filter")
  void draftsStayInside() {
    String draft = draftOfA("保障性住房分配细则");
    String published = documentOfA("住房公积金缴存办法", "published");
    String interpretation = "/api/v1/interpretations/" + client.post("/api/v1/interpretations", editorA, new JsonObject()
      .put("documentId", id(draft)).put("form", "text").put("title", "细则解读").put("body", "<p>解读</p>")).json()
      .getString("id");

    for (String path : List.of(draft, draft + "/versions", interpretation, interpretation + "/versions")) {
      Client.Response read = client.get(path, replierB);
      assertEquals(404, read.status(), path + ": " + read);
      assertEquals("not-found", read.problemCode());
    }
    assertEquals(200, client.get(draft, replierA).status(), "inside A, every role sees A's drafts");
    assertEquals(200, client.get(published, replierB).status());

    List<String> seenByB = listed("/api/v1/documents?limit=200", replierB);
    assertFalse(seenByB.contains(id(draft)), seenByB::toString);
    assertTrue(seenByB.contains(id(published)), seenByB::toString);
    assertTrue(listed("/api/v1/interpretations?limit=200", replierB).stream().noneMatch(id(interpretation)::equals));
    assertTrue(listed("/api/v1/documents?limit=200&departmentId=" + housing, replierA).contains(id(draft)));
    assertTrue(listed("/api/v1/documents?limit=200&status=draft", officeReviewer).contains(id(draft)),
      "the office (root department) sees every department's drafts");
  }

  @Test
  @DisplayName("reviewers decide only on their departments' items; the office-wide reviewer at the root decides on all")
  void reviewersInScope() {
    String path = draftOfA("城镇燃气管理办法");
    Client.Response exempted = client.post(path + "/exemption", reviewerB, new JsonObject().put("reason", "越权豁免"));
    assertEquals(404, exempted.status(), exempted::toString);
    assertEquals(200, client.post(path + "/exemption", reviewersA.get(0), new JsonObject().put("reason", "另行解读")).status());
    assertEquals(200, client.post(path + "/submit", editorA, new JsonObject()).status());

    Client.Response outside = client.post(path + "/review", reviewerB, new JsonObject().put("decision", "approve"));
    assertEquals(404, outside.status(), outside::toString);
    Client.Response rejectOutside = client.post(path + "/review", reviewerB, new JsonObject().put("decision", "reject")
      .put("comment", "越权退回"));
    assertEquals(404, rejectOutside.status());
    assertEquals(0, client.get(path, editorA).json().getJsonObject("review").getJsonArray("approvals").size());

    Client.Response office = client.post(path + "/review", officeReviewer, new JsonObject().put("decision", "approve"));
    assertEquals(200, office.status(), office::toString);
    assertEquals(1, office.json().getJsonObject("review").getJsonArray("approvals").size());
  }

  @Test
  @DisplayName("a validity change on an approved or published document is a new version that goes through review again")
  void validityThroughReview() {
    for (String end : List.of("approved", "published")) {
      String path = documentOfA("燃气安全管理规定（" + end + "）", end);
      Client.Response marked = client.post(path + "/validity", editorA, new JsonObject().put("validity", "expired")
        .put("note", "已到期"));
      assertEquals(200, marked.status(), marked::toString);
      JsonObject after = marked.json();
      assertEquals("draft", after.getString("status"), end);
      assertEquals(2, after.getInteger("version"), end);
      assertEquals("expired", after.getString("validity"));
      assertEquals(0, after.getJsonObject("review").getJsonArray("approvals").size());
      assertEquals(2, client.get(path + "/versions", editorA).items().size(), "the reviewed version is kept");
      Client.Response approveAtOnce = client.post(path + "/review", reviewersA.get(0), new JsonObject().put("decision", "approve"));
      assertEquals("not-in-review", approveAtOnce.problemCode(), "it must be submitted and reviewed first");
    }
    String draft = draftOfA("草稿效力");
    JsonObject direct = client.post(draft + "/validity", editorA, new JsonObject().put("validity", "repealed")).json();
    assertEquals(1, direct.getInteger("version"), "a draft no reviewer has seen changes directly");
    assertEquals("repealed", direct.getString("validity"));
  }

  @Test
  @DisplayName("a PATCH of expiresAt alone before the stored effectiveAt (or the reverse) is refused with 422")
  void mergedDates() {
    String path = draftOfA("停车收费管理办法");
    Client.Response early = client.patch(path, editorA, new JsonObject().put("expiresAt", "2026-02-01T00:00:00+08:00"));
    assertEquals(422, early.status(), early::toString);
    assertEquals("expiry-before-effect", early.problemCode());
    client.patch(path, editorA, new JsonObject().put("expiresAt", "2027-03-01T00:00:00+08:00"));
    Client.Response late = client.patch(path, editorA, new JsonObject().put("effectiveAt", "2028-01-01T00:00:00+08:00"));
    assertEquals(422, late.status(), late::toString);
    JsonObject stored = client.get(path, editorA).json();
    assertEquals(2, stored.getInteger("version"), "only the valid change was stored");
    assertTrue(stored.getString("effectiveAt").startsWith("2026-03-01"), stored::encode);
  }
}
