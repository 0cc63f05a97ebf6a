package io.govmedia.checks;

import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.vertx.core.Future;

/** Content checks (sensitive words, wording, personal data, links, HTML bodies) and their admin-managed lists. */
public final class ChecksFeature implements Feature {

  private final CheckListStore lists;
  private final ContentChecks checks;
  private final CheckListRoutes routes;

  public ChecksFeature(Platform platform) {
    lists = new CheckListStore(platform.db());
    checks = new ContentChecks(platform.vertx(), lists, platform.redis());
    routes = new CheckListRoutes(lists, checks, platform.audit(), platform.clock());
  }

  /** The checks every feature that publishes text runs before review and before sending. */
  public ContentChecks checks() {
    return checks;
  }

  @Override
  public Future<?> start() {
    return lists.createIndexes().compose(indexed -> checks.start());
  }

  @Override
  public void mountStaffApi(Mount mount) {
    var vertx = mount.vertx();
    var root = mount.root();
    root.route("/api/v1/sensitive-words*").subRouter(routes.sensitiveWords(vertx));
    root.route("/api/v1/wording-rules*").subRouter(routes.wordingRules(vertx));
    root.route("/api/v1/link-domains*").subRouter(routes.linkDomains(vertx));
    root.route("/api/v1/content-checks*").subRouter(routes.contentChecks(vertx));
  }

  @Override
  public void close() {
    checks.close();
  }
}
