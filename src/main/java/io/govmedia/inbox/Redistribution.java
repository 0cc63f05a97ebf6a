package io.govmedia.inbox;

import io.govmedia.platform.Redis;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * When a replier goes away (离岗, disabled, no longer a replier), each of their open cases goes through
 * {@link Assignment#pick} again in the case's department: to the colleague with the fewest open cases, or, when
 * nobody is available or the department lets cases wait to be claimed, to nobody (the case stays in the department
 * to be claimed). The person's cases come from their own list ({@link CaseIndex#openOf}), not a scan. One instance
 * does it per person at a time: a Redis lock, given back when done.
 */
final class Redistribution {

  private static final Logger log = LoggerFactory.getLogger(Redistribution.class);
  static final String ACTION = "redistributed";
  static final String REASON = "离岗";
  private static final String LOCK = Redis.PREFIX + "inbox:redistribute:";
  /** The people whose cases are to be redistributed and not known to be done yet. */
  private static final String PENDING = Redis.PREFIX + "inbox:redistribute-pending";
  /** How long a lock outlives an instance that died while redistributing. */
  private static final Duration LOCK_FOR = Duration.ofMinutes(5);

  /** Thrown inside a change when the case is no longer the away person's (claimed, reassigned meanwhile). */
  private static final class NotTheirs extends RuntimeException {
    NotTheirs() {
      super("no longer theirs", null, false, false);
    }
  }

  private final CaseStore store;
  private final CaseIndex index;
  private final CaseChanges changes;
  private final Assignment assignment;
  private final Redis redis;
  private final Clock clock;

  Redistribution(CaseStore store, CaseIndex index, CaseChanges changes, Assignment assignment, Redis redis,
                 Clock clock) {
    this.store = store;
    this.index = index;
    this.changes = changes;
    this.assignment = assignment;
    this.redis = redis;
    this.clock = clock;
  }

  /** For {@code StaffDirectory.onAway}: never throws; failures are logged (the person's cases stay theirs). */
  void away(String staffId) {
    // Noted first, so that a redistribution this instance does not finish (it dies, Redis fails) is resumed.
    Redis.await(redis.commands().sadd(PENDING, staffId)).recover(failure -> Future.succeededFuture(0L))
      .compose(noted -> redistribute(staffId))
      .onFailure(failure -> log.warn("cases of {} not redistributed", staffId, failure));
  }

  /** Redistributes the person's open cases unless another instance is at it; answers how many were moved. */
  Future<Integer> redistribute(String staffId) {
    var commands = redis.commands();
    String lock = LOCK + staffId;
    return Redis.await(commands.set(lock, "1", SetArgs.Builder.nx().ex(LOCK_FOR.toSeconds())))
      .compose(locked -> !"OK".equals(locked) ? Future.succeededFuture(0) : index.openOf(staffId)
        .compose(ids -> one(staffId, ids, 0, 0))
        .compose(moved -> Redis.await(commands.srem(PENDING, staffId)).map(moved))
        .andThen(done -> Redis.await(commands.del(lock))));
  }

  /**
   * Finishes the redistributions noted when someone went away but not completed (the instance doing it died, or
   * Redis failed on the way), once their lock has expired; a person who is back on duty is crossed off instead.
   * Only those noted: a head who claimed a case, or someone a dispatcher chose by hand, keeps it. Answers how many
   * cases were moved.
   */
  Future<Integer> resume(Predicate<String> onDuty) {
    return Redis.await(redis.commands().smembers(PENDING)).compose(pending -> {
      Future<Integer> moved = Future.succeededFuture(0);
      for (String staffId : pending) {
        moved = moved.compose(sum -> onDuty.test(staffId)
          ? Redis.await(redis.commands().srem(PENDING, staffId)).map(sum)
          : redistribute(staffId).map(n -> sum + n));
      }
      return moved;
    });
  }

  /** One case after the other: each pick sees the counts the previous one left. */
  private Future<Integer> one(String staffId, List<String> ids, int at, int moved) {
    if (at == ids.size()) {
      if (moved > 0) {
        log.info("{} open cases of {} redistributed", moved, staffId);
      }
      return Future.succeededFuture(moved);
    }
    return move(staffId, ids.get(at))
      .recover(failure -> {
        log.warn("case {} of {} not redistributed", ids.get(at), staffId, failure);
        return Future.succeededFuture(false);
      })
      .compose(done -> one(staffId, ids, at + 1, done ? moved + 1 : moved));
  }

  private Future<Boolean> move(String staffId, String caseId) {
    return store.find(caseId).compose(c -> {
      if (c == null || !theirs(c, staffId)) {
        return Future.succeededFuture(false);
      }
      String departmentId = c.departmentId();
      return assignment.pick(departmentId).recover(failure -> Future.succeededFuture(null))
        .compose(picked -> store.update(caseId, current -> reassigned(current, staffId, departmentId, picked),
            Case.Step.SYSTEM)
          .compose(moved -> moved == null || moved.after() == moved.before()
            ? giveBack(picked, departmentId).map(false)
            : changes.followed(moved.before(), moved.after(), picked).map(true),
            failure -> giveBack(picked, departmentId).transform(v -> failure instanceof NotTheirs
              ? Future.succeededFuture(false) : Future.failedFuture(failure))));
    });
  }

  private Future<Void> giveBack(String picked, String departmentId) {
    return picked == null ? Future.succeededFuture()
      : assignment.released(picked, departmentId).recover(failure -> Future.succeededFuture());
  }

  private static boolean theirs(Case c, String staffId) {
    return c.status().open() && staffId.equals(c.assigneeId()) && c.departmentId() != null;
  }

  /**
   * The case given to {@code picked} (or to nobody): a case in progress starts over as assigned to the new person, a
   * paused one stays paused (its clock too) and resumes as assigned.
   */
  private Case reassigned(Case c, String staffId, String departmentId, String picked) {
    if (!theirs(c, staffId) || !departmentId.equals(c.departmentId())) {
      throw new NotTheirs();
    }
    CaseStatus to = c.status() == CaseStatus.PAUSED ? CaseStatus.PAUSED : CaseStatus.ASSIGNED;
    Instant now = clock.instant();
    return c.change(new Case.Step(Case.Step.SYSTEM, null, now, ACTION, c.status(), to, departmentId, REASON,
      picked == null ? "无在岗办理人员，待签收" : null), e -> {
        e.assigneeId = picked;
        e.status = to;
        if (to == CaseStatus.PAUSED) {
          e.pausedFrom = CaseStatus.ASSIGNED; // resumed, it waits for the new person (or a claim) to start
        }
      });
  }
}
