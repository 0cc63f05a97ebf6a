package io.govmedia.citizen;

import io.govmedia.Main;

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
}
