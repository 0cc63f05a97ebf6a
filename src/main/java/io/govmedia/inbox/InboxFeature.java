package io.govmedia.inbox;

import io.govmedia.accounts.AccountsFeature;
import io.govmedia.auth.AuthFeature;
import io.govmedia.content.ContentFeature;
import io.govmedia.events.EventsFeature;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.govmedia.search.SearchFeature;
import io.govmedia.wechat.WeChatFeature;
import io.govmedia.weibo.WeiboFeature;
import io.govmedia.workdays.WorkdaysFeature;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;

/**
 * Citizen messages as cases (issue 9): one inbox across channels, routing, fair assignment, working-day deadlines,
 * 督办, replies that reach the citizen. Built in parts; this class wires them.
 */
public final class InboxFeature implements Feature {

  private final RoutingRules routing;
  private final RoutingRuleRoutes routingRuleRoutes;
  private final Assignments assignment;

  public InboxFeature(Platform platform, AuthFeature auth, AccountsFeature accounts, WeChatFeature wechat,
                      WeiboFeature weibo, EventsFeature events, WorkdaysFeature workdays, SearchFeature search,
                      ContentFeature content) {
    RoutingRuleStore routingRuleStore = new RoutingRuleStore(platform.db());
    routing = new RoutingRules(routingRuleStore, platform.redis());
    routingRuleRoutes = new RoutingRuleRoutes(routingRuleStore, routing, auth.departments(), accounts.store(),
      platform.audit(), platform.clock());
    // Who goes away: auth.staffDirectory().onAway(staffId -> …) tells this instance after the change is stored.
    assignment = new Assignments(platform.redis(), auth.staffDirectory(), platform.config().inbox().assignmentCap());
  }

  Routing routing() {
    return routing;
  }

  Assignment assignment() {
    return assignment;
  }

  @Override
  public Future<?> start() {
    return routing.start();
  }

  @Override
  public List<Periodic> periodic() {
    return List.of(new Periodic("routing rules refresh", Duration.ofSeconds(30), routing::reload));
  }

  @Override
  public void mountStaffApi(Mount mount) {
    mount.root().route("/api/v1/routing-rules*").subRouter(routingRuleRoutes.routes(mount.vertx()));
  }

  @Override
  public void close() throws Exception {
    routing.close();
  }
}
