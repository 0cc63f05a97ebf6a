package io.govmedia.citizen;

import io.govmedia.Main;
import io.govmedia.fakes.FakeWeChat;
import io.govmedia.fakes.FakeWeChatMiniapp;
import io.govmedia.platform.Problem;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

@DisplayName("Content security of what citizens write and upload")
class ScreeningTest {

  static Client client;
  static String admin;
  static FakeWeChat wechat;
  static Main.Running server;
  static Screening screening;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    wechat = TestServer.get().wechat();
    server = TestServer.get().running();
    screening = server.feature(CitizenFeature.class).screening();
  }

  @Test
  @DisplayName("plain text passes, checked by WeChat (v2) with the citizen's openid and the scene")
  void passes() throws Exception {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat);
    String openid = Miniapps.openid();

    Screening.TextResult result = Miniapps.await(screening.text(Miniapps.session(server, app, openid),
      Screening.Scene.COMMENT, "请问社保卡丢了怎么补办？"));

    assertEquals(Screening.Verdict.PASS, result.verdict());
    assertNotNull(result.traceId());
    List<FakeWeChatMiniapp.Check> checks = wechat.miniapp().textChecks(openid);
    assertEquals(1, checks.size());
    JsonObject sent = checks.get(0).body();
    assertEquals(app.appId(), checks.get(0).appId());
    assertEquals("2", String.valueOf(sent.getValue("version")));
    assertEquals(2, sent.getInteger("scene"));
    assertEquals("请问社保卡丢了怎么补办？", sent.getString("content"));
  }

  @Test
  @DisplayName("text WeChat finds risky is risky with its label, and text it wants looked at is for review")
  void riskyAndReview() throws Exception {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat);
    String riskyWord = "违禁" + Client.unique();
    String reviewWord = "存疑" + Client.unique();
    wechat.miniapp().risky(riskyWord, 20001).review(reviewWord, 20006);
    CitizenSession who = Miniapps.session(server, app, Miniapps.openid());

    Screening.TextResult risky = Miniapps.await(screening.text(who, Screening.Scene.FORUM, "我要说" + riskyWord));
    Screening.TextResult review = Miniapps.await(screening.text(who, Screening.Scene.FORUM, "这里" + reviewWord));

    assertEquals(Screening.Verdict.RISKY, risky.verdict());
    assertEquals("20001", risky.label());
    assertEquals(Screening.Verdict.REVIEW, review.verdict());
    assertEquals("20006", review.label());
  }

  @Test
  @DisplayName("text WeChat answers with an error (61010 the citizen's visit too long ago, -1 busy) is held for review, never passed")
  void wechatErrorsHoldForReview() throws Exception {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat);
    CitizenSession who = Miniapps.session(server, app, Miniapps.openid());
    wechat.failNext("/wxa/msg_sec_check", 61010, -1);

    Screening.TextResult first = Miniapps.await(screening.text(who, Screening.Scene.COMMENT, "第一条留言"));
    Screening.TextResult second = Miniapps.await(screening.text(who, Screening.Scene.COMMENT, "第二条留言"));
    Screening.TextResult third = Miniapps.await(screening.text(who, Screening.Scene.COMMENT, "第三条留言"));

    assertEquals(Screening.Verdict.REVIEW, first.verdict());
    assertEquals(Screening.Verdict.REVIEW, second.verdict());
    assertEquals(Screening.Verdict.PASS, third.verdict());
  }

  @Test
  @DisplayName("a refused access token is fetched anew and the check goes through")
  void refusedTokenIsRenewed() throws Exception {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat);
    CitizenSession who = Miniapps.session(server, app, Miniapps.openid());
    Miniapps.await(screening.text(who, Screening.Scene.COMMENT, "先取得令牌"));
    wechat.failNext("/wxa/msg_sec_check", 40001);

    Screening.TextResult result = Miniapps.await(screening.text(who, Screening.Scene.COMMENT, "令牌被拒后重试"));

    assertEquals(Screening.Verdict.PASS, result.verdict());
  }

  @Test
  @DisplayName("with WeChat unreachable, text is held for review and an image check fails with 503, not as the citizen's fault")
  void unreachable() throws Exception {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat);
    try (Main.Running cut = TestServer.get().startAnother(Map.of("GOVMEDIA_WECHAT_API_BASE",
      "http://127.0.0.1:" + TestServer.freePort()))) {
      Screening cutScreening = cut.feature(CitizenFeature.class).screening();
      CitizenSession who = Miniapps.session(cut, app, Miniapps.openid());

      Screening.TextResult text = Miniapps.await(cutScreening.text(who, Screening.Scene.COMMENT, "网络不通时的留言"));
      ExecutionException image = assertThrows(ExecutionException.class, () -> Miniapps.await(
        cutScreening.image(who, Screening.Scene.COMMENT, "https://media.example.gov.cn/media/x")));

      assertEquals(Screening.Verdict.REVIEW, text.verdict());
      Problem problem = assertInstanceOf(Problem.class, image.getCause());
      assertEquals(503, problem.status());
      assertEquals("screening-unavailable", problem.code());
    }
  }

  @Test
  @DisplayName("an image check is started (v2, type image, the citizen's openid and scene) and answers WeChat's trace id")
  void imageCheckStarts() throws Exception {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat);
    String openid = Miniapps.openid();
    String url = "https://" + TestServer.PUBLIC_HOST + "/media/abc?sig=1";

    String traceId = Miniapps.await(screening.image(Miniapps.session(server, app, openid), Screening.Scene.FORUM, url));

    FakeWeChatMiniapp.Check check = wechat.miniapp().mediaCheck(traceId);
    assertNotNull(check);
    assertEquals(app.appId(), check.appId());
    assertEquals(url, check.body().getString("media_url"));
    assertEquals(2, check.body().getInteger("media_type"));
    assertEquals(2, check.body().getInteger("version"));
    assertEquals(openid, check.body().getString("openid"));
    assertEquals(3, check.body().getInteger("scene"));
  }
}
