package io.govmedia.citizen;

import io.govmedia.Main;
import io.govmedia.support.Client;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;

/** Citizens' sessions for tests. */
public final class Citizens {

  private Citizens() {
  }

  /** A session token for the citizen with that openid on the mini-program account (made by the server's own store). */
  public static String token(Main.Running server, String accountId, String appId, String openid, String unionid)
    throws Exception {
    return server.feature(CitizenFeature.class).sessions().create(accountId, appId, openid, unionid, "session-key")
      .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * Signs in as the mini-program does, with a login code the fake WeChat knows ({@code FakeWeChatMiniapp#code});
   * answers the session token.
   */
  public static String signIn(Client client, String appId, String code) {
    Client.Response answer = client.post("/mp/v1/session", null, new JsonObject().put("code", code).put("appId", appId));
    if (answer.status() != 200) {
      throw new AssertionError("sign-in failed: " + answer);
    }
    return answer.json().getString("token");
  }
}
