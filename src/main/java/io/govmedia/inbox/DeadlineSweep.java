package io.govmedia.inbox;

import io.govmedia.auth.Role;
import io.govmedia.events.Event;
import io.govmedia.events.Events;
import io.govmedia.platform.Redis;
import io.govmedia.platform.Times;
import io.govmedia.workdays.Workdays;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reminders and 督办 at the working-day deadlines of open cases. Redis keeps one sorted set of every open case's next
 * alarm time ({@link Alarm#next}), updated as cases change ({@link #follow}) and rebuilt from MongoDB (the truth) when
 * it is missing; a sweep reads only what is due now from it, never the collection. One instance sweeps at a time (a
 * Redis lease); two at once would still send each alarm once, because the history step that records it is written by
 * a guarded change that finds it already there.
 *
 * <p>A breach flags the case {@code supervised} and tells the department's heads and the supervisors whose reach
 * holds the department ({@code case.overdue}); reminders ({@code case.reminder}) go to the assignee, or to the
 * department while nobody has the case.
 *
 * <p>Cases whose deadline was counted Monday–Friday (a year without a holiday table) are kept in one Redis set per
 * year they span, so that a table's arrival recomputes them ({@link #tableChanged}) without a scan.
 */
final class DeadlineSweep {

  private static final Logger log = LoggerFactory.getLogger(DeadlineSweep.class);
  private static final String PREFIX = Redis.PREFIX + "inbox:";
  static final String ALARMS = PREFIX + "alarms";
  static final String BUILT = PREFIX + "alarms-built";
  private static final String LEASE = PREFIX + "sweep-lease";
  private static final Duration LEASE_FOR = Duration.ofSeconds(60);
  /** Cases read per round of a sweep, and changed at once. */
  private static final int ROUND = 500;
  private static final int AT_ONCE = 32;
  /** Members per command when the sets are rebuilt. */
  private static final int BATCH = 1_000;
  private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
  private static final Set<Role> CASE_ROLES = Set.of(Role.REPLIER, Role.DISPATCHER, Role.SUPERVISOR);
  static final Document PROJECTION = new Document("status", 1).append("deadline", 1).append("history.action", 1)
    .append("history.note", 1);

  private final CaseStore store;
  private final CaseChanges changes;
  private final Deadlines deadlines;
  private final Workdays workdays;
  private final Events events;
  private final Function<String, Set<String>> heads;
  private final Redis redis;
  private final Clock clock;

  DeadlineSweep(CaseStore store, CaseChanges changes, Deadlines deadlines, Workdays workdays, Events events,
                Function<String, Set<String>> heads, Redis redis, Clock clock) {
    this.store = store;
    this.changes = changes;
    this.deadlines = deadlines;
    this.workdays = workdays;
    this.events = events;
    this.heads = heads;
    this.redis = redis;
    this.clock = clock;
  }

  // Keeping the sets

  /** After every write of a case: its next alarm, and its place among the provisional deadlines. Never fails. */
  Future<Void> follow(Case before, Case after) {
    return Future.all(place(after), provisional(before, after)).<Void>mapEmpty().recover(failure -> {
      log.warn("deadline alarms of case {} not updated (Redis unavailable?); rebuilt from MongoDB later", after.id());
      return Future.succeededFuture();
    });
  }

  private Future<Void> place(Case c) {
    return place(c.id(), Alarm.next(c, workdays));
  }

  private Future<Void> place(String id, Alarm.Next next) {
    var commands = redis.commands();
    return (next == null ? Redis.await(commands.zrem(ALARMS, id))
      : Redis.await(commands.zadd(ALARMS, (double) next.at().toEpochMilli(), id))).mapEmpty();
  }

  private Future<Void> provisional(Case before, Case after) {
    Set<String> had = provisionalKeys(before);
    Set<String> has = provisionalKeys(after);
    if (had.equals(has)) {
      return Future.succeededFuture();
    }
    List<Future<?>> writes = new ArrayList<>();
    had.stream().filter(k -> !has.contains(k)).forEach(k -> writes.add(Redis.await(redis.commands().srem(k, after.id()))));
    has.stream().filter(k -> !had.contains(k)).forEach(k -> writes.add(Redis.await(redis.commands().sadd(k, after.id()))));
    return Future.all(writes).mapEmpty();
  }

  /** The years an open provisional deadline spans: a table for any of them may change it. */
  private static Set<String> provisionalKeys(Case c) {
    return c == null ? Set.of() : provisionalKeys(c.status(), c.deadline());
  }

  private static Set<String> provisionalKeys(CaseStatus status, Case.Deadline deadline) {
    if (!status.open() || deadline == null || !deadline.provisional()) {
      return Set.of();
    }
    Set<String> keys = new HashSet<>();
    for (int year = deadline.receivedOn().getYear(); year <= deadline.dueDate().getYear(); year++) {
      keys.add(provisionalKey(year));
    }
    return keys;
  }

  static String provisionalKey(int year) {
    return PREFIX + "provisional:" + year;
  }

  Future<Boolean> built() {
    return Redis.await(redis.commands().exists(BUILT)).map(n -> n != null && n > 0);
  }

  /**
   * The alarm set and the provisional sets from MongoDB, in one read of the collection (projected), written in
   * batches of {@link #BATCH} members per command, one batch after the other (100,000 cases at once would outrun
   * Redis's command timeout). An alarm set member of a case gone or done is left: the sweep drops it when it comes due.
   */
  Future<Long> rebuild() {
    Map<String, Double> alarms = new HashMap<>();
    Map<String, List<String>> provisional = new HashMap<>();
    return store.forEach(PROJECTION, d -> {
      Document stored = d.get("deadline", Document.class);
      CaseStatus status = CaseStatus.parse(d.getString("status")).orElse(null);
      if (stored == null || status == null) {
        return;
      }
      Case.Deadline deadline = Case.Deadline.from(stored);
      List<Case.Step> history = d.getList("history", Document.class, List.of()).stream()
        .map(s -> new Case.Step(null, null, null, s.getString("action"), null, null, null, null, s.getString("note")))
        .toList();
      String id = d.getString("_id");
      Alarm.Next next = Alarm.next(status, deadline, history, workdays);
      if (next != null) {
        alarms.put(id, (double) next.at().toEpochMilli());
      }
      provisionalKeys(status, deadline).forEach(k -> provisional.computeIfAbsent(k, x -> new ArrayList<>()).add(id));
    }).compose(total -> {
      List<Supplier<Future<?>>> writes = new ArrayList<>();
      List<Map.Entry<String, Double>> all = new ArrayList<>(alarms.entrySet());
      for (int i = 0; i < all.size(); i += BATCH) {
        List<Map.Entry<String, Double>> part = all.subList(i, Math.min(all.size(), i + BATCH));
        writes.add(() -> Redis.await(redis.commands().zadd(ALARMS, part.stream()
          .map(e -> ScoredValue.just(e.getValue(), e.getKey())).toArray(ScoredValue[]::new))));
      }
      provisional.forEach((key, ids) -> writes.add(() -> Redis.await(redis.commands().sadd(key, ids.toArray(String[]::new)))));
      return inTurn(writes, 0)
        .compose(v -> Redis.await(redis.commands().set(BUILT, clock.instant().toString())))
        .map(total);
    });
  }

  private static Future<Void> inTurn(List<Supplier<Future<?>>> writes, int from) {
    return from >= writes.size() ? Future.succeededFuture()
      : writes.get(from).get().compose(v -> inTurn(writes, from + 1));
  }

  // Sweeping

  /** One sweep, on the instance that takes the lease; answers the number of alarms sent. */
  Future<Integer> sweep() {
    String token = UUID.randomUUID().toString();
    var commands = redis.commands();
    return Redis.await(commands.set(LEASE, token, SetArgs.Builder.nx().px(LEASE_FOR.toMillis())))
      .compose(taken -> !"OK".equals(taken) ? Future.succeededFuture(0)
        : rounds(clock.instant(), 0, new HashSet<>()).andThen(done -> Redis.await(
          commands.<Long>eval(RELEASE, ScriptOutputType.INTEGER, new String[]{LEASE}, token))));
  }

  /** Reads what is due, round after round, until nothing due is left (each case once per sweep). */
  private Future<Integer> rounds(Instant now, int sent, Set<String> seen) {
    return Redis.await(redis.commands().zrangebyscore(ALARMS, Range.create(Double.NEGATIVE_INFINITY,
        (double) now.toEpochMilli()), Limit.create(0, ROUND + seen.size())))
      .compose(ids -> {
        List<String> fresh = ids.stream().filter(seen::add).toList();
        if (fresh.isEmpty()) {
          return Future.succeededFuture(sent);
        }
        return inGroups(fresh, 0, now, 0).compose(n -> rounds(now, sent + n, seen));
      });
  }

  private Future<Integer> inGroups(List<String> ids, int from, Instant now, int sent) {
    if (from >= ids.size()) {
      return Future.succeededFuture(sent);
    }
    List<Future<Boolean>> group = ids.subList(from, Math.min(ids.size(), from + AT_ONCE)).stream()
      .map(id -> alarm(id, now).recover(failure -> {
        log.warn("deadline alarm of case {} not sent; the next sweep tries again", id, failure);
        return Future.succeededFuture(false);
      })).toList();
    return Future.all(group).compose(all -> inGroups(ids, from + AT_ONCE, now,
      sent + (int) group.stream().filter(Future::result).count()));
  }

  /** Sends the case's due alarm (once: the guarded change finds a step already written) and places its next one. */
  private Future<Boolean> alarm(String id, Instant now) {
    Alarm[] fired = new Alarm[1];
    return store.update(id, c -> {
      Alarm due = Alarm.due(c, workdays, now);
      fired[0] = due;
      return due == null ? null : fire(c, due, now);
    }, "deadline-sweep").compose(moved -> {
      if (moved == null) {
        return Redis.await(redis.commands().zrem(ALARMS, id)).map(false);
      }
      if (!moved.changed()) {
        return place(moved.after()).map(false);
      }
      return changes.followed(moved.before(), moved.after(), null)
        .compose(c -> tell(c, fired[0])).map(true);
    });
  }

  private static Case fire(Case c, Alarm alarm, Instant now) {
    String reason = alarm.label() + "（截止 " + Times.show(c.deadline().dueAt()) + "）";
    Case.Step step = new Case.Step(Case.Step.SYSTEM, null, now, alarm.action(), c.status(), c.status(),
      c.departmentId(), reason, c.deadline().dueDate().toString());
    return c.change(step, e -> {
      if (alarm == Alarm.OVERDUE) {
        e.flags.add(Case.SUPERVISED);
      }
    });
  }

  private Future<Void> tell(Case c, Alarm alarm) {
    JsonObject data = new JsonObject().put("caseId", c.id()).put("number", c.number()).put("alarm", alarm.action())
      .put("label", alarm.label()).put("departmentId", c.departmentId()).put("assigneeId", c.assigneeId())
      .put("dueAt", Times.show(c.deadline().dueAt())).put("title", c.title());
    List<Future<Void>> sent = new ArrayList<>();
    if (alarm == Alarm.OVERDUE) {
      Set<String> headIds = c.departmentId() == null ? Set.of() : heads.apply(c.departmentId());
      if (!headIds.isEmpty()) {
        sent.add(events.publish(new Event("case.overdue", data, new Event.Audience(Set.of(), Set.of(), Set.of(), headIds))));
      }
      sent.add(events.publish(new Event("case.overdue", data, c.departmentId() == null
        ? new Event.Audience(Set.of(Role.SUPERVISOR, Role.DISPATCHER), Set.of(), Set.of(), Set.of())
        : new Event.Audience(Set.of(Role.SUPERVISOR), Set.of(c.departmentId()), Set.of(), Set.of()))));
    }
    Event.Audience owner = c.assigneeId() != null ? Event.Audience.staff(c.assigneeId())
      : c.departmentId() != null ? new Event.Audience(CASE_ROLES, Set.of(c.departmentId()), Set.of(), Set.of())
      : new Event.Audience(Set.of(Role.DISPATCHER), Set.of(), Set.of(), Set.of());
    sent.add(events.publish(new Event(alarm == Alarm.OVERDUE ? "case.overdue" : "case.reminder", data, owner)));
    return Future.all(sent).mapEmpty();
  }

  // Provisional deadlines

  /** A year's table arrived or changed: every open provisional deadline spanning it is counted again. */
  Future<Integer> tableChanged(int year) {
    return Redis.await(redis.commands().smembers(provisionalKey(year))).compose(ids -> {
      List<Future<Boolean>> all = ids.stream().map(id -> recount(id, year).recover(failure -> {
        log.warn("provisional deadline of case {} not recomputed", id, failure);
        return Future.succeededFuture(false);
      })).toList();
      return Future.all(all).map(v -> (int) all.stream().filter(Future::result).count());
    });
  }

  private Future<Boolean> recount(String id, int year) {
    return store.update(id, c -> {
      if (c.deadline() == null || !c.deadline().provisional() || !c.status().open()) {
        return null;
      }
      Case.Deadline again = deadlines.recompute(c.deadline());
      if (again.equals(c.deadline())) {
        return null;
      }
      Instant now = clock.instant();
      String reason = year + " 年节假日安排已发布，截止日期由 " + c.deadline().dueDate() + " 重新计算为 " + again.dueDate()
        + (again.provisional() ? "（仍为暂定）" : "");
      return c.change(new Case.Step(Case.Step.SYSTEM, null, now, "deadline_recomputed", c.status(), c.status(),
        c.departmentId(), reason, null), e -> e.deadline = again);
    }, "deadline-recount").compose(moved -> {
      if (moved == null) {
        return Redis.await(redis.commands().srem(provisionalKey(year), id)).map(false);
      }
      if (!moved.changed()) {
        boolean still = provisionalKeys(moved.after()).contains(provisionalKey(year));
        return still ? Future.succeededFuture(false)
          : Redis.await(redis.commands().srem(provisionalKey(year), id)).map(false);
      }
      return changes.followed(moved.before(), moved.after(), null).map(true);
    });
  }
}
