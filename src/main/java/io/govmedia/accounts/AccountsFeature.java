package io.govmedia.accounts;

import io.govmedia.auth.AuthFeature;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.vertx.core.Future;

/** Channel accounts (WeChat official accounts, the mini-program, Weibo) and who may reach each. */
public final class AccountsFeature implements Feature {

  private final AccountStore store;
  private final AccountAccess access;
  private final AccountRoutes routes;

  public AccountsFeature(Platform platform, AuthFeature auth) {
    store = new AccountStore(platform.db(), platform.secrets());
    access = new AccountAccess(store, auth.departments());
    routes = new AccountRoutes(store, auth.departments(), access, platform.audit(), platform.clock());
    auth.checkAccountIdsWith(store::existing);
  }

  public AccountStore store() {
    return store;
  }

  public AccountAccess access() {
    return access;
  }

  @Override
  public Future<?> start() {
    return store.createIndexes();
  }

  @Override
  public void mountStaffApi(Mount mount) {
    mount.root().route("/api/v1/accounts*").subRouter(routes.routes(mount.vertx()));
  }
}
