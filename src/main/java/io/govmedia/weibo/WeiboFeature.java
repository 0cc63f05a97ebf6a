package io.govmedia.weibo;

import io.govmedia.accounts.AccountsFeature;
import io.govmedia.events.EventsFeature;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;

/** Weibo accounts: OAuth binding, the API client, token-expiry warnings. FOUNDATION STUB. */
public final class WeiboFeature implements Feature {

  private final WeiboClient client = new WeiboClient();

  public WeiboFeature(Platform platform, AccountsFeature accounts, EventsFeature events) {
  }

  public WeiboClient client() {
    return client;
  }
}
