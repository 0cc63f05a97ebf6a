package io.govmedia.citizen;

import io.govmedia.accounts.AccountsFeature;
import io.govmedia.auth.AuthFeature;
import io.govmedia.checks.ChecksFeature;
import io.govmedia.content.ContentFeature;
import io.govmedia.events.EventsFeature;
import io.govmedia.inbox.InboxFeature;
import io.govmedia.media.AssetRoutes;
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
  private final MiniappServices miniapps;
  private final WeChatScreening screening;
  private final SessionRoutes sessionRoutes;
  private final MiniappCallbackRoutes callbackRoutes;
  private final ConsultationRoutes consultationRoutes;
  private final CitizenConsultationRoutes citizenConsultations;
  private final MessageRoutes messageRoutes;
  private final CitizenAssets assets;
  private final PublicReplyRoutes publicReplyRoutes;
  private final CitizenCache cache;
  private final Feed feed;
  private final ViewCounts views;
  private final HelpfulVotes votes;
  private final FeedRoutes feedRoutes;
  private final CitizenSearchRoutes searchRoutes;

  public CitizenFeature(Platform platform, AuthFeature auth, AccountsFeature accounts, WeChatFeature wechat,
                        ChecksFeature checks, SearchFeature search, MediaFeature media, ContentFeature content,
                        EventsFeature events, WorkdaysFeature workdays, PublishingFeature publishing,
                        InboxFeature inbox) {
    this.platform = platform;
    this.sessions = new CitizenSessions(platform.redis(), platform.secrets(), platform.clock());
    this.limits = new CitizenLimits(platform.redis(), platform.clock());
    this.miniapps = new MiniappServices(platform.vertx(), platform.config().wechat(), accounts.store(),
      wechat.gateway().httpClients());
    this.screening = new WeChatScreening(miniapps);
    this.sessionRoutes = new SessionRoutes(miniapps, sessions, new SignInThrottle(platform.redis()));
    this.callbackRoutes = new MiniappCallbackRoutes(new MiniappPushes(miniapps, accounts.store(), platform.redis(),
      platform.clock()), screening::deliver);
    // 意见征集: staff open drafts for comment and publish the adoption summary, shown with the document.
    Consultations consultations = new Consultations(platform.db(), platform.redis());
    this.consultationRoutes = new ConsultationRoutes(consultations, content, workdays.workdays(), platform.audit(),
      platform.clock());
    this.citizenConsultations = new CitizenConsultationRoutes(consultations, content, screening, limits,
      platform.clock());
    content.annexDocuments(new ConsultationAnnex(consultations, platform.clock())::of);
    // Leaving a message, following it, the public Q&A
    assets = new CitizenAssets(platform.vertx(), platform.db(), media, screening, inbox.miniapp(),
      platform.config().publishing().publicBaseUrl(), platform.clock());
    messageRoutes = new MessageRoutes(inbox.miniapp(), assets, screening, limits, platform.config().citizen(),
      platform.redis());
    publicReplyRoutes = new PublicReplyRoutes(inbox.publishedReplies());
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
    // citizens find a post while its mini-program slot is published
    publishing.onMiniappChange(postId -> publishing.miniappPlacements(postId)
      .compose(placed -> search.index().showToCitizens("post", postId, !placed.isEmpty()))
      .compose(v -> cache.invalidate()));
    this.searchRoutes = new CitizenSearchRoutes(search.index(), content.expired(), cache);
    // another instance's change reaches this index moments after that instance cleared the cache: a search here in
    // between may have cached the answer without it, so clear again once it is searchable here
    search.index().onRemoteChangeApplied(() -> cache.invalidate());
  }

  /** The citizens' sessions (sign-in makes them; tests make them for a citizen directly). */
  public CitizenSessions sessions() {
    return sessions;
  }

  /** WeChat's content security for what citizens write and upload (text checks, image checks and their verdicts). */
  Screening screening() {
    return screening;
  }

  @Override
  public void mountRaw(Mount mount) {
    // The mini-program's message push: WeChat's servers call it; it checks their signature and caps its own bodies.
    mount.root().route("/wechat/miniapp/callback/*").subRouter(callbackRoutes.routes(mount.vertx()));
    // Citizens' images stream in ahead of the body handler, with the session checked here.
    mount.root().post("/mp/v1/assets").handler(AssetRoutes::holdBody).handler(new CitizenAuth(sessions))
      .handler(assets::upload);
  }

  @Override
  public void mountStaffApi(Mount mount) {
    consultationRoutes.mount(mount.vertx(), mount.root());
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
    root.post("/mp/v1/session").handler(sessionRoutes::signIn);
    root.route("/mp/v1/*").handler(new CitizenAuth(sessions));
    feedRoutes.mount(root);
    root.get("/mp/v1/me").handler(ctx -> {
      CitizenSession session = CitizenAuth.of(ctx);
      Reply.ok(ctx, new JsonObject().put("accountId", session.accountId()).put("appId", session.appId())
        .put("expiresAt", session.expiresAt().toString()));
    });
    citizenConsultations.mount(root);
    messageRoutes.mount(root);
    publicReplyRoutes.mount(root);
    searchRoutes.mount(root);
  }

  @Override
  public void close() {
    miniapps.close();
  }
}
