package io.govmedia.inbox;

import io.govmedia.accounts.AccountsFeature;
import io.govmedia.auth.AuthFeature;
import io.govmedia.auth.StaffDirectory;
import io.govmedia.checks.ChecksFeature;
import io.govmedia.content.ContentFeature;
import io.govmedia.events.EventsFeature;
import io.govmedia.platform.Config;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Idempotency;
import io.govmedia.platform.Platform;
import io.govmedia.platform.Redis;
import io.govmedia.search.SearchFeature;
import io.govmedia.wechat.WeChatFeature;
import io.govmedia.weibo.WeiboFeature;
import io.govmedia.workdays.Workdays;
import io.govmedia.workdays.WorkdaysFeature;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Citizen messages as cases (issue 9): one inbox across channels, routing, fair assignment, working-day deadlines,
 * 督办, replies that reach the citizen. Built in parts; this class wires them.
 */
public final class InboxFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(InboxFeature.class);
  /** How often the lists are checked for a lost Redis (and repaired after a failed update). */
  static final Duration INDEX_CHECK = Duration.ofSeconds(30);
  /** How often one instance brings the lists in line with MongoDB in any case. */
  static final Duration INDEX_REPAIR = Duration.ofHours(1);
  /** How often the answered cases whose rating window passed are closed (a read of the due part of a Redis set). */
  static final Duration CLOSING_CHECK = Duration.ofSeconds(5);
  /** How often redistributions cut short (a crash, Redis away) are looked for and finished. */
  static final Duration REDISTRIBUTION_CHECK = Duration.ofMinutes(2);
  private static final String REPAIR_LOCK = Redis.PREFIX + "inbox:repair-lock";

  private final Platform platform;
  private final CaseStore store;
  private final CaseIndex index;
  private final RoutingRules routing;
  private final RoutingRuleRoutes routingRuleRoutes;
  private final Assignments assignment;
  private final Intake intake;
  private final WeChatIntake wechatIntake;
  private final CaseRoutes routes;
  private final Deliveries deliveries;
  private final Pollers pollers;
  private final ClosingQueue closing;
  private final Ratings ratings;
  private final CannedReplyRoutes cannedRoutes;
  private final ReplyRoutes replyRoutes;
  private final RatingRoutes ratingRoutes;
  private final DisclosureRoutes disclosureRoutes;
  private final Redistribution redistribution;
  private final Runnable stopRedistributing;
  private final StaffDirectory staffDirectory;
  private final DeadlineSweep sweep;
  private final CaseStats stats;
  private final DeadlineRoutes deadlineRoutes;
  private final SimilarCases similar;
  private final HotIssueRoutes hotIssueRoutes;
  private final CitizenCaseIndex citizenIndex;
  private final MiniappCases miniapp;
  private final PublishedReplies published;

  public InboxFeature(Platform platform, AuthFeature auth, AccountsFeature accounts, WeChatFeature wechat,
                      WeiboFeature weibo, EventsFeature events, WorkdaysFeature workdays, SearchFeature search,
                      ContentFeature content, ChecksFeature checks) {
    this.platform = platform;
    var clock = platform.clock();
    RoutingRuleStore routingRuleStore = new RoutingRuleStore(platform.db());
    routing = new RoutingRules(routingRuleStore, platform.redis());
    routingRuleRoutes = new RoutingRuleRoutes(routingRuleStore, routing, auth.departments(), accounts.store(),
      platform.audit(), clock);
    ReplySettings departmentSettings = new ReplySettings(platform.db(), clock);
    assignment = new Assignments(platform.redis(), auth.staffDirectory(), platform.config().inbox().assignmentCap(),
      departmentSettings::claims);
    Config.Inbox settings = platform.config().inbox();
    deliveries = new ChannelDeliveries(accounts.store(), wechat.gateway(), weibo.client(), settings.wechatTemplates(),
      platform.config().publishing().publicBaseUrl(), clock);
    Workdays calendar = workdays.workdays();
    Deadlines deadlines = new Deadlines(settings.limits(), calendar);
    store = new CaseStore(platform.db(), clock);
    index = new CaseIndex(platform.redis());
    CaseChanges changes = new CaseChanges(index, assignment, events.events());
    store.onRollForward((before, after) -> changes.followed(before, after, null));
    // Who goes away (离岗, disabled): the directory tells this instance after the change is stored
    staffDirectory = auth.staffDirectory();
    redistribution = new Redistribution(store, index, changes, assignment, platform.redis(), clock);
    stopRedistributing = auth.staffDirectory().onAway(redistribution::away);
    intake = new Intake(platform.vertx(), store, new CaseNumbers(platform.db(), clock), deadlines, routing,
      assignment, deliveries, changes, platform.redis(), clock);
    wechatIntake = new WeChatIntake(wechat.inboxHandOff(), intake, wechat::unionid, clock);
    PollerCursors cursors = new PollerCursors(platform.db(), clock);
    Duration lookBack = Duration.ofDays(settings.commentDays());
    pollers = new Pollers(accounts.store(), new PollerGuard(platform.redis(), clock), List.of(
      new WeiboPoller(WeiboPoller.Feed.COMMENTS, weibo.client(), accounts.store(), cursors, intake, lookBack, clock),
      new WeiboPoller(WeiboPoller.Feed.MENTIONS, weibo.client(), accounts.store(), cursors, intake, lookBack, clock),
      new ArticleCommentPoller(wechat.gateway(), platform.db(), cursors, intake, lookBack, clock)));
    CaseView view = new CaseView(platform.secrets(), clock);
    CaseActions actions = new CaseActions(store, changes, deadlines, assignment, auth.departments(),
      auth::staffMember, platform.audit(), clock);
    routes = new CaseRoutes(store, index, actions, intake, view, auth.departments(), platform.audit(), clock);
    closing = new ClosingQueue(platform.redis());
    ratings = new Ratings(store, changes, closing, deadlines, events.events(), clock);
    CannedReplyStore canned = new CannedReplyStore(platform.db());
    Replies replies = new Replies(store, changes, closing, deliveries, checks.checks(), canned, departmentSettings,
      content::publishedItem, platform.config().publishing().publicBaseUrl(),
      new Idempotency(platform.redis(), "inbox-reply", "答复"), events.events(), platform.audit(), clock);
    cannedRoutes = new CannedReplyRoutes(canned, auth.departments(), platform.audit(), clock);
    replyRoutes = new ReplyRoutes(replies, departmentSettings, auth.departments(), platform.audit(), clock);
    ratingRoutes = new RatingRoutes(ratings, store, auth.departments(), platform.audit(), view);
    PublicReplyStore publicReplies = new PublicReplyStore(platform.db());
    disclosureRoutes = new DisclosureRoutes(new Disclosures(store, changes, publicReplies, auth.departments(), view,
      platform.audit(), clock), auth.departments());
    published = new PublishedReplies(publicReplies);
    citizenIndex = new CitizenCaseIndex(platform.redis());
    changes.also(citizenIndex::follow);
    miniapp = new MiniappCases(store, intake, changes, ratings, view, citizenIndex, clock);
    DepartmentHeads heads = new DepartmentHeads(io.govmedia.auth.Principal::isHeadOf, auth.staffDirectory()::heads);
    sweep = new DeadlineSweep(store, changes, deadlines, calendar, events.events(), heads::of, platform.redis(), clock);
    changes.also(sweep::follow);
    stats = new CaseStats(platform.db(), calendar);
    changes.also(stats::follow);
    Extensions extensions = new Extensions(platform.db(), store, actions, changes, deadlines, deliveries, heads,
      events.events(), platform.audit(), clock);
    deadlineRoutes = new DeadlineRoutes(extensions, stats, index, store, view, auth.departments(), clock);
    similar = new SimilarCases(platform.redis(), Duration.ofDays(settings.similarDays()), clock);
    changes.also(similar::follow);
    HotIssues hotIssues = new HotIssues(platform.db(), store, changes, events.events(), settings.hotIssueSize(), clock);
    hotIssueRoutes = new HotIssueRoutes(similar, hotIssues, actions, store, auth.departments(), platform.audit());
    calendar.onTableChanged(year -> sweep.tableChanged(year)
      .onSuccess(n -> log.info("{} provisional deadlines recomputed for {}", n, year)));
  }

  /** What the channel pollers (Weibo, article comments, the mini-program) hand their messages to. */
  public CaseIntake intake() {
    return intake;
  }

  /** The inbox for the mini-program's citizens: filing, following, rating their own cases. */
  public MiniappCases miniapp() {
    return miniapp;
  }

  /** The replies published for the public (the mini-program's public Q&A). */
  public PublishedReplies publishedReplies() {
    return published;
  }

  /** How acknowledgements, notices and replies reach the citizen. */
  Deliveries deliveries() {
    return deliveries;
  }

  Routing routing() {
    return routing;
  }

  Assignment assignment() {
    return assignment;
  }

  /**
   * Finishes now the redistributions of people who went away that were not completed (the periodic job does it
   * every few minutes; tests call it): answers how many cases were moved.
   */
  public Future<Integer> resumeRedistribution() {
    return redistribution.resume(staffDirectory::onDutyAnywhere);
  }

  /** One deadline sweep now, on this instance if it takes the lease (operators' tools, the benchmark): alarms sent. */
  public Future<Integer> sweepDeadlines() {
    return sweep.sweep();
  }

  /** The case store, for the parts built on it (replies, deadlines, rating, statistics). */
  public CaseStore cases() {
    return store;
  }

  /**
   * Lists lost with Redis (or never built) are rebuilt in the background: at 100,000 cases that takes longer than a
   * start may, and until it is done lists are short while reads by id and intake work as ever.
   */
  @Override
  public Future<?> start() {
    wechatIntake.listen(platform.vertx());
    Future<Boolean> lists = index.built().onSuccess(built -> {
      if (!built) {
        repair().onFailure(failure -> log.warn("case lists not rebuilt at start; the periodic check tries again", failure));
      }
    });
    Future<Boolean> alarms = sweep.built().onSuccess(built -> {
      if (!built) {
        sweep.rebuild().onFailure(failure -> log.warn("deadline alarms not rebuilt at start; the periodic check tries again", failure));
      }
    });
    return Future.all(routing.start(), lists, alarms,
      closing.built().compose(built -> built ? Future.succeededFuture() : closing.rebuild(store)));
  }

  @Override
  public List<Periodic> periodic() {
    return List.of(
      new Periodic("pending WeChat messages to cases", platform.config().inbox().sweepEvery(),
        wechatIntake::sweep),
      new Periodic("case lists check", INDEX_CHECK, () -> index.built()
        .compose(built -> built && !index.needsRepair() ? Future.succeededFuture() : repair())),
      new Periodic("case lists repair", INDEX_REPAIR, this::repair),
      new Periodic("routing rules refresh", Duration.ofSeconds(30), routing::reload),
      new Periodic("inbox-poll", platform.config().inbox().poll(), pollers::run),
      new Periodic("cases of people away redistributed", REDISTRIBUTION_CHECK, this::resumeRedistribution),
      new Periodic("answered cases closing after 7 days", CLOSING_CHECK, ratings::closeDue),

      new Periodic("deadline sweep", platform.config().inbox().deadlineSweepEvery(), sweep::sweep),
      new Periodic("similar-case window trim", INDEX_REPAIR, similar::trim),
      new Periodic("case statistics counters flush", Duration.ofSeconds(1), stats::flush),
      new Periodic("deadline alarms check", INDEX_CHECK, () -> sweep.built()
        .compose(built -> built ? Future.succeededFuture() : sweep.rebuild())));
  }

  /** One instance at a time rebuilds the lists from MongoDB and resets the assignment counts from the same read. */
  private Future<Void> repair() {
    var commands = platform.redis().commands();
    return Redis.await(commands.set(REPAIR_LOCK, "1", SetArgs.Builder.nx().ex(INDEX_REPAIR.toSeconds() / 2)))
      .compose(locked -> !"OK".equals(locked) ? Future.succeededFuture() : index.rebuild(store)
        .compose(rebuilt -> {
          log.info("case lists rebuilt from {} cases", rebuilt.cases());
          return Future.all(rebuilt.openByDepartment().entrySet().stream()
            .map(e -> assignment.reset(e.getKey(), e.getValue())).toList()).<Void>mapEmpty();
        })
        .compose(v -> sweep.rebuild()).compose(v -> citizenIndex.rebuild(store)).<Void>mapEmpty()
        .andThen(done -> Redis.await(commands.expire(REPAIR_LOCK, 60))));
  }

  @Override
  public void mountStaffApi(Mount mount) {
    replyRoutes.mount(mount.root());
    ratingRoutes.mount(mount.root());
    disclosureRoutes.mount(mount.root());
    cannedRoutes.mount(mount.root());
    routes.mount(mount.root());
    mount.root().route("/api/v1/routing-rules*").subRouter(routingRuleRoutes.routes(mount.vertx()));
    deadlineRoutes.mount(mount.root());
    hotIssueRoutes.mount(mount.root());
  }

  @Override
  public void close() throws Exception {
    stopRedistributing.run();
    wechatIntake.stop();
    routing.close();
  }
}
