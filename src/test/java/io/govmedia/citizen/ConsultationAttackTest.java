package io.govmedia.citizen;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;

import static io.govmedia.citizen.ConsultationFixtures.citizen;
import static io.govmedia.citizen.ConsultationFixtures.comment;
import static io.govmedia.citizen.ConsultationFixtures.commented;
import static io.govmedia.citizen.ConsultationFixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks on 意见征集: staff of another department, roles that do not edit, published documents, guessed and
 * malformed ids, comments that belong to another consultation, citizens without a session, and bodies that are
 * empty, too long, of the wrong type or not clean text.
 */
@DisplayName("Consultations under attack")
class ConsultationAttackTest {

  static Client client;
  static ConsultationFixtures ours;
  static ConsultationFixtures theirs;
  static String consultationId;
  static String commentId;
  static String documentId;
  static String otherConsultationComment;
  static LocalDate today;

  @BeforeAll
  static void start() throws Exception {
    client = TestServer.get().client();
    ours = new ConsultationFixtures(client, "发改委");
    theirs = new ConsultationFixtures(client, "交通局");
    today = ConsultationFixtures.today(Clock.systemUTC());
    documentId = ours.draft("价格管理办法（征求意见稿）");
    consultationId = ok201(ours.open(client, ours.editor, documentId, "other", today, today.plusDays(3)));
    commentId = commented(client, citizen("o-attack-" + Client.unique()), consultationId, "建议公开成本监审结果。");
    String other = theirs.openToday(client, Clock.systemUTC(), "公交票价调整（征求意见稿）");
    otherConsultationComment = commented(client, citizen("o-attack2-" + Client.unique()), other, "建议保留老年卡优惠。");
  }

  @Test
  @DisplayName("an editor of another department cannot open the draft, nor see, list, decide on or summarize its consultation: all 404, and it is not in their list")
  void otherDepartment() {
    String path = "/api/v1/consultations/" + consultationId;

    List<Client.Response> answers = List.of(
      theirs.open(client, theirs.editor, ours.draft("另一份草案"), "other", today, today),
      client.get(path, theirs.editor),
      client.get(path + "/comments", theirs.editor),
      client.post(path + "/comments/" + commentId + "/adoption", theirs.editor,
        new JsonObject().put("decision", "adopted")),
      client.post(path + "/comments/" + commentId + "/screening", theirs.editor,
        new JsonObject().put("decision", "refuse")),
      client.post(path + "/close", theirs.editor, new JsonObject().put("reason", "捣乱")),
      client.post(path + "/summary", theirs.editor, new JsonObject()));
    String listed = client.get("/api/v1/consultations?limit=200", theirs.editor).text();

    for (Client.Response answer : answers) {
      assertEquals(404, answer.status(), answer::toString);
    }
    assertFalse(listed.contains(consultationId), listed);
    assertEquals("open", ok(client.get(path, ours.editor)).getString("status"), "nothing changed");
  }

  @Test
  @DisplayName("a reviewer or a replier of the same department is refused with 403: only editors and admins act on consultations")
  void rolesThatDoNotEdit() {
    for (String role : List.of("reviewer", "replier")) {
      String token = ours.staff(role);

      Client.Response open = ours.open(client, token, ours.draft("角色测试 " + role), "other", today, today);
      Client.Response read = client.get("/api/v1/consultations/" + consultationId + "/comments", token);

      assertEquals(403, open.status(), open::toString);
      assertEquals(403, read.status(), read::toString);
    }
  }

  @Test
  @DisplayName("a published document is not put out for comment again (409)")
  void publishedDocument() {
    String published = ours.draft("已发布的办法");
    ours.publish(client, published);

    Client.Response answer = ours.open(client, ours.editor, published, "other", today, today);

    assertEquals(409, answer.status(), answer::toString);
    assertEquals("document-published", answer.problemCode());
  }

  @Test
  @DisplayName("guessed, malformed and borrowed ids are 404: unknown consultations and documents, and a comment of another consultation")
  void guessedIds() throws Exception {
    String citizen = citizen("o-guess-" + Client.unique());
    String path = "/api/v1/consultations/" + consultationId;

    List<Client.Response> answers = List.of(
      client.get("/api/v1/consultations/0123456789abcdef01234567", ours.editor),
      client.get("/api/v1/consultations/..%2F..%2Fstaff", ours.editor),
      ours.open(client, ours.editor, "0123456789abcdef01234567", "other", today, today),
      client.post(path + "/comments/" + otherConsultationComment + "/adoption", ours.admin,
        new JsonObject().put("decision", "adopted")),
      client.post(path + "/comments/not-an-id/adoption", ours.editor, new JsonObject().put("decision", "adopted")),
      client.get("/mp/v1/consultations/0123456789abcdef01234567", citizen),
      client.get("/mp/v1/consultations/ZZZ", citizen),
      comment(client, citizen, "0123456789abcdef01234567", "有人吗"));

    for (Client.Response answer : answers) {
      assertEquals(404, answer.status(), answer::toString);
    }
  }

  @Test
  @DisplayName("without a session, or with a forged one, citizens get 401 session-invalid on every consultation route")
  void noSession() {
    String forged = "Zm9yZ2VkLXRva2VuLWZvcmdlZC10b2tlbi1mb3JnZWQ";
    for (String token : new String[] {null, forged, ours.editor}) {
      List<Client.Response> answers = List.of(
        client.get("/mp/v1/consultations", token),
        client.get("/mp/v1/consultations/" + consultationId, token),
        client.get("/mp/v1/consultations/" + consultationId + "/comments", token),
        comment(client, token, consultationId, "匿名意见"));
      for (Client.Response answer : answers) {
        assertEquals(401, answer.status(), answer::toString);
        assertEquals("session-invalid", answer.problemCode());
      }
    }
  }

  @Test
  @DisplayName("empty, blank, too long, non-text and unclean comments are 400 and nothing is stored; 2,000 characters are taken")
  void badComments() throws Exception {
    String openid = "o-bad-" + Client.unique();
    String citizen = citizen(openid);
    String path = "/mp/v1/consultations/" + consultationId + "/comments";

    List<Client.Response> answers = List.of(
      client.post(path, citizen, new JsonObject()),
      client.post(path, citizen, new JsonObject().put("content", "   \n ")),
      client.post(path, citizen, new JsonObject().put("content", "意".repeat(2001))),
      client.post(path, citizen, new JsonObject().put("content", 42)),
      client.post(path, citizen, "{\"content\":\"好\\ud800\"}"),
      client.post(path, citizen, "{\"content\":\"a\\u0000b\"}"),
      client.raw("POST", path, citizen, "application/json", "{\"content\":".getBytes(StandardCharsets.UTF_8)));
    Client.Response longest = comment(client, citizen, consultationId, "意".repeat(2000));

    for (Client.Response answer : answers) {
      assertEquals(400, answer.status(), answer::toString);
    }
    assertEquals(201, longest.status(), longest::toString);
    assertEquals(1, ok(client.get(path, citizen)).getJsonArray("items").size());
    assertTrue(TestServer.get().wechat().miniapp().textChecks(openid).stream()
      .allMatch(check -> check.body().getInteger("scene") == 2), "checked as a comment (scene 2)");
  }

  @Test
  @DisplayName("an adoption without a decision, with an unknown one, or partly without a reason is 400; a screening of a comment that was not held is 409")
  void badDecisions() {
    String path = "/api/v1/consultations/" + consultationId + "/comments/" + commentId;

    List<Client.Response> bad = List.of(
      client.post(path + "/adoption", ours.editor, new JsonObject()),
      client.post(path + "/adoption", ours.editor, new JsonObject().put("decision", "maybe")),
      client.post(path + "/adoption", ours.editor, new JsonObject().put("decision", "not_adopted").put("reason", " ")),
      client.post(path + "/screening", ours.editor, new JsonObject().put("decision", "ok")));
    Client.Response notHeld = client.post(path + "/screening", ours.editor, new JsonObject().put("decision", "refuse"));

    for (Client.Response answer : bad) {
      assertEquals(400, answer.status(), answer::toString);
    }
    assertEquals(409, notHeld.status(), notHeld::toString);
    assertEquals("comment-not-held", notHeld.problemCode());
  }

  @Test
  @DisplayName("citizens do not see a consultation before its first day, and the list shows only those open today")
  void scheduledIsHidden() throws Exception {
    String citizen = citizen("o-early-" + Client.unique());
    String scheduled = ok201(ours.open(client, ours.editor, ours.draft("下周开始"), "other", today.plusDays(7),
      today.plusDays(9)));

    Client.Response detail = client.get("/mp/v1/consultations/" + scheduled, citizen);
    String list = client.get("/mp/v1/consultations?limit=200", citizen).text();

    assertEquals(404, detail.status(), detail::toString);
    assertFalse(list.contains(scheduled));
    assertTrue(list.contains(consultationId));
  }

  @Test
  @DisplayName("a bad status filter or cursor on the staff list is 400")
  void badListParameters() {
    Client.Response status = client.get("/api/v1/consultations?status=all", ours.editor);
    Client.Response cursor = client.get("/api/v1/consultations?cursor=zzz", ours.editor);

    assertEquals(400, status.status(), status::toString);
    assertEquals(400, cursor.status(), cursor::toString);
  }

  private static String ok201(Client.Response response) {
    assertEquals(201, response.status(), response::toString);
    return response.json().getString("id");
  }
}
