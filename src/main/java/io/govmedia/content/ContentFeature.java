package io.govmedia.content;

import io.govmedia.auth.AuthFeature;
import io.govmedia.checks.ChecksFeature;
import io.govmedia.media.AssetUsers;
import io.govmedia.media.MediaFeature;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.govmedia.search.SearchFeature;
import io.vertx.core.Future;
import org.slf4j.LoggerFactory;

/** Policy documents and their interpretations, with their review (三审). */
public final class ContentFeature implements Feature {

  private final ContentRoutes routes;
  private final BodyTextBackfill backfill;

  public ContentFeature(Platform platform, AuthFeature auth, ChecksFeature checks, SearchFeature search,
                        MediaFeature media) {
    ItemStore items = new ItemStore(platform.db());
    media.usedBy(new AssetUsers() {
      @Override
      public Future<Long> count(String assetId) {
        return items.referencing(assetId);
      }

      @Override
      public Future<Boolean> published(String assetId) {
        return items.publishedReferencing(assetId);
      }
    });
    routes = new ContentRoutes(items, auth.departments(), checks.checks(), search.index(), media::types,
      platform.audit(), platform.clock(), platform.config().content().reviewStages());
    backfill = new BodyTextBackfill(items, checks.checks(), search.index());
  }

  /** What publishing reads of posts. FOUNDATION STUB: the posts work implements it. */
  public Posts posts() {
    throw new UnsupportedOperationException("posts are not built yet");
  }

  /** Readiness does not wait for the backfill: it reads every item without a body text, however many there are. */
  @Override
  public Future<?> start() {
    backfill.run().onFailure(failure -> LoggerFactory.getLogger(ContentFeature.class)
      .warn("bodyText backfill stopped; it runs again at the next start", failure));
    return Future.succeededFuture();
  }

  @Override
  public void mountStaffApi(Mount mount) {
    mount.root().route("/api/v1/documents*").subRouter(routes.routes(mount.vertx(), ItemKind.DOCUMENT));
    mount.root().route("/api/v1/interpretations*").subRouter(routes.routes(mount.vertx(), ItemKind.INTERPRETATION));
  }

  @Override
  public void close() {
    backfill.stop();
  }
}
