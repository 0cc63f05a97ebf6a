package io.govmedia.inbox;

import io.govmedia.accounts.AccountsFeature;
import io.govmedia.auth.AuthFeature;
import io.govmedia.content.ContentFeature;
import io.govmedia.events.EventsFeature;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.govmedia.platform.Redis;
import io.govmedia.platform.Times;
import io.govmedia.search.SearchFeature;
import io.govmedia.wechat.WeChatFeature;
import io.govmedia.weibo.WeiboFeature;
import io.govmedia.workdays.Workdays;
import io.govmedia.workdays.WorkdaysFeature;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.function.IntConsumer;

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
  private static final String REPAIR_LOCK = Redis.PREFIX + "inbox:repair-lock";

  private final Platform platform;
  private final CaseStore store;
  private final CaseIndex index;
  private final Assignment assignment;
  private final Intake intake;
  private final WeChatIntake wechatIntake;
  private final CaseRoutes routes;
  private final DeadlineSweep sweep;
  private final DeadlineRoutes deadlineRoutes;
  private final SimilarCases similar;
  private final HotIssueRoutes hotIssueRoutes;

  public InboxFeature(Platform platform, AuthFeature auth, AccountsFeature accounts, WeChatFeature wechat,
                      WeiboFeature weibo, EventsFeature events, WorkdaysFeature workdays, SearchFeature search,
                      ContentFeature content) {
    this.platform = platform;
    var clock = platform.clock();
    Routing routing = facts -> Future.succeededFuture(null);  // replaced when routing lands
    assignment = new NoAssignment();  // replaced when routing lands
    Deliveries deliveries = (to, text, purpose) -> Future.succeededFuture(
      new Delivery("miniapp_page", "available", clock.instant(), List.of()));  // replaced when channels land
    Workdays calendar = calendar(workdays);
    Deadlines deadlines = new Deadlines(platform.config().inbox().limits(), calendar);
    store = new CaseStore(platform.db(), clock);
    index = new CaseIndex(platform.redis());
    CaseChanges changes = new CaseChanges(index, assignment, events.events());
    store.onRollForward((before, after) -> changes.followed(before, after, null));
    intake = new Intake(platform.vertx(), store, new CaseNumbers(platform.db(), clock), deadlines, routing,
      assignment, deliveries, changes, platform.redis(), clock);
    wechatIntake = new WeChatIntake(wechat.inboxHandOff(), intake, clock);
    CaseView view = new CaseView(platform.secrets(), clock);
    CaseActions actions = new CaseActions(store, changes, deadlines, assignment, auth.departments(),
      auth::staffMember, platform.audit(), clock);
    routes = new CaseRoutes(store, index, actions, intake, view, auth.departments(), platform.audit(), clock);
    // heads come with the staff's headOf (routing part)
    DepartmentHeads heads = new DepartmentHeads((principal, department) -> false, department -> java.util.Set.of());
    sweep = new DeadlineSweep(store, changes, deadlines, calendar, events.events(), heads::of, platform.redis(), clock);
    changes.also(sweep::follow);
    CaseStats stats = new CaseStats(platform.db(), calendar);
    changes.also(stats::follow);
    Extensions extensions = new Extensions(platform.db(), store, actions, changes, deadlines, deliveries, heads,
      events.events(), platform.audit(), clock);
    deadlineRoutes = new DeadlineRoutes(extensions, stats, index, store, view, auth.departments(), clock);
    var settings = platform.config().inbox();
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

  /** The case store, for the parts built on it (replies, deadlines, rating, statistics). */
  public CaseStore cases() {
    return store;
  }

  @Override
  public Future<?> start() {
    wechatIntake.listen(platform.vertx());
    return index.built().compose(built -> built ? Future.succeededFuture() : repair())
      .compose(v -> sweep.built()).compose(built -> built ? Future.succeededFuture() : sweep.rebuild());
  }

  @Override
  public List<Periodic> periodic() {
    return List.of(
      new Periodic("pending WeChat messages to cases", Duration.ofSeconds(30), wechatIntake::sweep),
      new Periodic("case lists check", INDEX_CHECK, () -> index.built()
        .compose(built -> built && !index.needsRepair() ? Future.succeededFuture() : repair())),
      new Periodic("case lists repair", INDEX_REPAIR, this::repair),
      new Periodic("deadline sweep", platform.config().inbox().sweepEvery(), sweep::sweep),
      new Periodic("similar-case window trim", INDEX_REPAIR, similar::trim),
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
        .compose(v -> sweep.rebuild()).<Void>mapEmpty()
        .andThen(done -> Redis.await(commands.expire(REPAIR_LOCK, 60))));
  }

  @Override
  public void mountStaffApi(Mount mount) {
    routes.mount(mount.root());
    deadlineRoutes.mount(mount.root());
    hotIssueRoutes.mount(mount.root());
  }

  @Override
  public void close() {
    wechatIntake.stop();
  }

  /** The calendar, or Monday–Friday (every day provisional) until the workdays part lands. */
  private static Workdays calendar(WorkdaysFeature workdays) {
    try {
      return workdays.workdays();
    } catch (UnsupportedOperationException notYet) {
      return new MondayToFriday();  // replaced when workdays lands
    }
  }

  /** Stand-in: nobody is picked (cases wait in their department to be claimed). Replaced when routing lands. */
  private static final class NoAssignment implements Assignment {
    @Override
    public Future<String> pick(String departmentId) {
      return Future.succeededFuture(null);
    }

    @Override
    public Future<Void> opened(String staffId, String departmentId) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> released(String staffId, String departmentId) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> reset(String departmentId, java.util.Map<String, Integer> openCases) {
      return Future.succeededFuture();
    }
  }

  /** Stand-in calendar without holidays. Replaced when workdays lands. */
  private static final class MondayToFriday implements Workdays {
    @Override
    public Day add(LocalDate from, int days) {
      LocalDate day = from;
      for (int left = days; left > 0; ) {
        day = day.plusDays(1);
        if (isWorkday(day)) {
          left--;
        }
      }
      return new Day(day, true);
    }

    @Override
    public int between(LocalDate from, LocalDate to) {
      int count = 0;
      for (LocalDate day = from.plusDays(1); !day.isAfter(to); day = day.plusDays(1)) {
        count += isWorkday(day) ? 1 : 0;
      }
      return count;
    }

    @Override
    public boolean isWorkday(LocalDate date) {
      return date.getDayOfWeek() != DayOfWeek.SATURDAY && date.getDayOfWeek() != DayOfWeek.SUNDAY;
    }

    @Override
    public Instant endOf(LocalDate date) {
      return date.atTime(LocalTime.MAX).atZone(Times.ZONE).toInstant().minusNanos(999_999);
    }

    @Override
    public void onTableChanged(IntConsumer year) {
    }
  }
}
