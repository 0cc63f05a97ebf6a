package io.govmedia.citizen;

import io.govmedia.accounts.AccountsFeature;
import io.govmedia.auth.AuthFeature;
import io.govmedia.checks.ChecksFeature;
import io.govmedia.content.ContentFeature;
import io.govmedia.events.EventsFeature;
import io.govmedia.inbox.InboxFeature;
import io.govmedia.media.MediaFeature;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.govmedia.platform.Reply;
import io.govmedia.publishing.PublishingFeature;
import io.govmedia.search.SearchFeature;
import io.govmedia.wechat.WeChatFeature;
import io.govmedia.workdays.WorkdaysFeature;
import io.govmedia.content.PublicChanges;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.time.Duration;
import java.util.List;

/**
 * The mini-program's API for citizens under {@code /mp/v1}: sign-in, the policy feed and search, leaving a message
 * and following it to the answer, commenting on drafts. Every route but the sign-in takes a citizen session token.
 */
public final class CitizenFeature implements Feature {

  /** How often views counted in Redis are written to MongoDB. */
  static final Duration VIEWS_FLUSH = Duration.ofSeconds(30);
  private static final int REBUILD_ATTEMPTS = 5;

  private final Platform platform;
  private final CitizenSessions sessions;
  private final CitizenLimits limits;
  private final CitizenCache cache;
  private final Feed feed;
  private final ViewCounts views;
  private final HelpfulVotes votes;
  private final FeedRoutes feedRoutes;

  public CitizenFeature(Platform platform, AuthFeature auth, AccountsFeature accounts, WeChatFeature wechat,
                        ChecksFeature checks, SearchFeature search, MediaFeature media, ContentFeature content,
                        EventsFeature events, WorkdaysFeature workdays, PublishingFeature publishing,
                        InboxFeature inbox) {
    this.platform = platform;
    this.sessions = new CitizenSessions(platform.redis(), platform.secrets(), platform.clock());
    this.limits = new CitizenLimits(platform.redis(), platform.clock());
    this.cache = new CitizenCache(platform.redis());
    // the feed and articles: media URLs on the office's public origin (the mini-program loads them from there)
    String mediaBase = platform.config().publishing().publicBaseUrl().replaceAll("/+$", "");
    this.feed = new Feed(platform.redis(), content, publishing, media, mediaBase);
    this.views = new ViewCounts(platform.redis(), platform.db());
    this.votes = new HelpfulVotes(platform.redis(), platform.db(), platform.clock());
    this.feedRoutes = new FeedRoutes(feed, new ArticleView(feed, content, media, mediaBase, platform.clock()), cache,
      views, votes);
    content.onPublicChange(this::contentChanged);
    publishing.onMiniappChange(postId -> feed.refreshPost(postId).compose(v -> cache.invalidate()));
  }

  /** The citizens' sessions (sign-in makes them; tests make them for a citizen directly). */
  public CitizenSessions sessions() {
    return sessions;
  }

  /** The Redis cache of what citizens read (feed, articles, search), invalidated on every publication. */
  public CitizenCache cache() {
    return cache;
  }

  /** The feed follows the change, then everything cached is stale: the next request anywhere sees it. */
  private Future<Void> contentChanged(PublicChanges.Change change) {
    Future<Void> refreshed = switch (change.kind()) {
      case "interpretation" -> feed.refreshInterpretations(List.of(change.id()));
      case "document" -> feed.refreshDocument(change.id());
      default -> feed.refreshPost(change.id());
    };
    return refreshed.compose(v -> cache.invalidate());
  }

  ViewCounts views() {
    return views;
  }

  /**
   * The view counts and votes come back from MongoDB when Redis lost them; the feed is reconciled with MongoDB in the
   * background (in short reads, so that start-up and requests go on meanwhile). Until a first build has finished
   * (a first start, Redis emptied) the feed lists what has been rebuilt so far. A rebuild that fails is tried again
   * a few times.
   */
  @Override
  public Future<?> start() {
    rebuild(1);
    return Future.all(views.load(), votes.load());
  }

  /** One attempt; a failure schedules the next, later each time (the answer is this attempt's). */
  private Future<Void> rebuild(int attempt) {
    Future<Void> done = feed.rebuild().compose(n -> cache.invalidate());
    done.onFailure(failure -> {
      Feed.logRebuildFailure(failure);
      if (attempt < REBUILD_ATTEMPTS) {
        platform.vertx().setTimer(10_000L * attempt, timer -> rebuild(attempt + 1));
      }
    });
    return done;
  }

  @Override
  public List<Periodic> periodic() {
    return List.of(new Periodic("article views write-back", VIEWS_FLUSH, views::flush));
  }

  @Override
  public void mountCitizenApi(Mount mount) {
    Router root = mount.root();
    // Sign-in comes before the session check (it makes the session).
    root.route("/mp/v1/*").handler(new CitizenAuth(sessions));
    feedRoutes.mount(root);
    root.get("/mp/v1/me").handler(ctx -> {
      CitizenSession session = CitizenAuth.of(ctx);
      Reply.ok(ctx, new JsonObject().put("accountId", session.accountId()).put("appId", session.appId())
        .put("expiresAt", session.expiresAt().toString()));
    });
  }
}
