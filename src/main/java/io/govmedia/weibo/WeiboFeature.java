package io.govmedia.weibo;

import io.govmedia.accounts.AccountsFeature;
import io.govmedia.events.EventsFeature;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/** Weibo accounts: OAuth binding, the API client, token-expiry warnings. */
public final class WeiboFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(WeiboFeature.class);
  /** How long Weibo may take to answer one call; a share still unanswered then has an unknown outcome. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final WeiboClient client;
  private final WeiboOAuth oauth;
  private final WeiboTokenWarnings warnings;

  public WeiboFeature(Platform platform, AccountsFeature accounts, EventsFeature events) {
    client = new WeiboClient(platform.vertx(), platform.config().weibo().apiBase(), TIMEOUT);
    oauth = new WeiboOAuth(accounts.store(), client, new WeiboOAuthStates(platform.redis()), platform.audit(),
      platform.clock(), platform.config().publishing().publicBaseUrl());
    warnings = new WeiboTokenWarnings(accounts.store(), events.events(), platform.redis(), platform.clock());
  }

  public WeiboClient client() {
    return client;
  }

  /** Warns once at start, so that tokens that ran out while every instance was down are reported at once. */
  @Override
  public Future<?> start() {
    return warnings.run()
      .onFailure(failure -> log.warn("Weibo token warnings failed at start; the hourly run tries again", failure))
      .otherwiseEmpty();
  }

  @Override
  public List<Periodic> periodic() {
    return List.of(new Periodic("weibo token warnings", Duration.ofHours(1), warnings::run));
  }

  @Override
  public void mountRaw(Mount mount) {
    mount.root().get(WeiboOAuth.CALLBACK_PATH).handler(oauth::callback);
  }

  @Override
  public void mountStaffApi(Mount mount) {
    mount.root().route("/api/v1/accounts*").subRouter(oauth.routes(mount.vertx()));
  }

  @Override
  public void close() {
    client.close();
  }
}
