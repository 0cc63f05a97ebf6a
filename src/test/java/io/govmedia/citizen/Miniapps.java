package io.govmedia.citizen;

import io.govmedia.Main;
import io.govmedia.fakes.FakeWeChat;
import io.govmedia.fakes.WeChatCallbacks;
import io.govmedia.support.Client;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Mini-program accounts registered on a server and known to the fake WeChat, for the citizen tests. */
final class Miniapps {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A registered mini-program with WeChat's side of its keys ({@code aesKey} null when the account has none). */
  record Miniapp(String id, String appId, String originalId, String token, String aesKey) {}

  private Miniapps() {
  }

  /** A mini-program with its message push keys (token and aesKey), known to the fake by its AppID and AppSecret. */
  static Miniapp register(Client client, String admin, FakeWeChat wechat) {
    return register(client, admin, wechat, true);
  }

  static Miniapp register(Client client, String admin, FakeWeChat wechat, boolean withAesKey) {
    String appId = "wx" + hex(8);
    String secret = hex(16);
    String originalId = "gh_" + appId.substring(2, 14);
    String token = "tok" + Client.unique();
    String aesKey = withAesKey ? WeChatCallbacks.newAesKey() : null;
    JsonObject body = new JsonObject().put("type", "wechat_miniapp").put("name", "测试小程序" + Client.unique())
      .put("departmentId", client.department(admin, "信息中心", null)).put("appId", appId).put("appSecret", secret)
      .put("originalId", originalId).put("token", token);
    if (aesKey != null) {
      body.put("aesKey", aesKey);
    }
    Client.Response created = client.post("/api/v1/accounts", admin, body);
    assertEquals(201, created.status(), created::toString);
    wechat.app(appId, secret);
    return new Miniapp(created.json().getString("id"), appId, originalId, token, aesKey);
  }

  /** The session of a citizen of the mini-program, as the server's session check finds it. */
  static CitizenSession session(Main.Running server, Miniapp app, String openid) throws Exception {
    String token = Citizens.token(server, app.id(), app.appId(), openid, null);
    return await(server.feature(CitizenFeature.class).sessions().find(token));
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static String openid() {
    return "o" + Client.unique() + Client.unique();
  }

  private static String hex(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
