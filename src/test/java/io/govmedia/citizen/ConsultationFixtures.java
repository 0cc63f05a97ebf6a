package io.govmedia.citizen;

import io.govmedia.Main;
import io.govmedia.platform.Times;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A department with an editor (who can sign in again on another instance) and three reviewers, draft documents of
 * it, and citizens of a mini-program: what the consultation tests are made of.
 */
public final class ConsultationFixtures {

  /** Words the fake WeChat's content security answers review (held) and risky (refused) for. */
  static final String HELD_WORD = "征集待审词";
  static final String RISKY_WORD = "征集违规词";
  /** The mini-program citizens sign in to, registered once for all the consultation tests. */
  private static Miniapps.Miniapp app;

  final Client client;
  final String admin;
  public final String department;
  public final String editorName;
  public final String editorPassword;
  public final String editor;
  final List<String> reviewers;

  public ConsultationFixtures(Client client, String departmentName) {
    this.client = client;
    admin = client.adminToken();
    department = client.department(admin, departmentName, null);
    editorName = "e" + Client.unique();
    editorPassword = "Editor-Passw0rd-" + Client.unique();
    Client.Response created = client.post("/api/v1/staff", admin, new JsonObject().put("username", editorName)
      .put("displayName", "征集编辑").put("password", editorPassword).put("roles", new JsonArray().add("editor"))
      .put("departmentIds", new JsonArray().add(department)).put("accountIds", new JsonArray()));
    assertEquals(201, created.status(), created::toString);
    editor = client.login(editorName, editorPassword);
    reviewers = List.of(staff("reviewer"), staff("reviewer"), staff("reviewer"));
    registerMiniapp(client, admin);
  }

  private static synchronized void registerMiniapp(Client client, String admin) {
    if (app == null) {
      app = Miniapps.register(client, admin, TestServer.get().wechat());
      TestServer.get().wechat().miniapp().review(HELD_WORD, 10001).risky(RISKY_WORD, 20001);
    }
  }

  String staff(String role) {
    return client.staffToken(admin, List.of(role), List.of(department), List.of());
  }

  /** A draft document of the department; answers its id. */
  public String draft(String title) {
    Client.Response created = client.post("/api/v1/documents", editor, new JsonObject().put("title", title)
      .put("docNumber", "征〔2026〕" + Client.unique() + "号").put("issuer", "市人民政府办公室")
      .put("departmentId", department).put("category", "综合政务")
      .put("body", "<p>第一条 为规范城市停车管理，制定本办法（征求意见稿）。</p><p>第二条 本办法适用于本市行政区域。</p>"));
    assertEquals(201, created.status(), created::toString);
    return created.json().getString("id");
  }

  /** Exempted from 同步审签, through every review stage and published, on the given server. */
  void publish(Client on, String documentId) {
    String path = "/api/v1/documents/" + documentId;
    ok(on.post(path + "/exemption", reviewers.get(0), new JsonObject().put("reason", "意见征集后发布")));
    ok(on.post(path + "/submit", editor, new JsonObject()));
    for (String reviewer : reviewers) {
      ok(on.post(path + "/review", reviewer, new JsonObject().put("decision", "approve")));
    }
    ok(on.post(path + "/publish", editor, new JsonObject()));
  }

  Client.Response open(Client on, String token, String documentId, String kind, LocalDate from, LocalDate to) {
    return on.post("/api/v1/documents/" + documentId + "/consultation", token, new JsonObject().put("kind", kind)
      .put("from", from.toString()).put("to", to.toString()));
  }

  /** A consultation open today only (kind other has no minimum period); answers its id. */
  String openToday(Client on, Clock clock, String title) {
    LocalDate today = today(clock);
    Client.Response opened = open(on, editor, draft(title), "other", today, today);
    assertEquals(201, opened.status(), opened::toString);
    return opened.json().getString("id");
  }

  public static LocalDate today(Clock clock) {
    return LocalDate.now(clock.withZone(Times.ZONE));
  }

  /** A signed-in citizen of the mini-program (a fixture made first registers it). */
  static String citizen(Main.Running server, String openid) throws Exception {
    return Citizens.token(server, app.id(), app.appId(), openid, null);
  }

  public static String citizen(String openid) throws Exception {
    return citizen(TestServer.get().running(), openid);
  }

  static Client.Response comment(Client on, String citizen, String consultationId, String content) {
    return on.post("/mp/v1/consultations/" + consultationId + "/comments", citizen, new JsonObject().put("content", content));
  }

  public static String commented(Client on, String citizen, String consultationId, String content) {
    Client.Response answer = comment(on, citizen, consultationId, content);
    assertEquals(201, answer.status(), answer::toString);
    return answer.json().getString("id");
  }

  static JsonObject ok(Client.Response response) {
    assertEquals(200, response.status(), response::toString);
    return response.json();
  }
}
