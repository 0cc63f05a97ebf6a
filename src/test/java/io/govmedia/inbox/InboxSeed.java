package io.govmedia.inbox;

import io.govmedia.platform.Config;
import io.govmedia.platform.Ids;
import io.govmedia.workdays.Workdays;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.sync.RedisCommands;
import org.bson.Document;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Case documents for the inbox benchmark, written straight into MongoDB in bulk: as the server would have stored them
 * (the same record, deadline arithmetic and alarm steps), open ones with the alarms already past marked sent (as the
 * sweeps before would have left them) except a chosen few, which the next sweep finds due.
 */
public final class InboxSeed {

  private final Deadlines deadlines;
  private final Workdays workdays;
  private final Random random = new Random(42);

  public InboxSeed(Workdays workdays) {
    this.workdays = workdays;
    this.deadlines = new Deadlines(Config.Inbox.DEFAULT_LIMITS, workdays);
  }

  /**
   * A complaint or consultation received up to {@code spread} before {@code now} in {@code departmentId}: open
   * (assigned) unless {@code closed}; with {@code due}, its latest alarm already reached is left unsent.
   */
  public Document document(String number, String departmentId, boolean closed, boolean due, Instant now,
                           Duration spread) {
    Instant received = now.minusMillis((long) (random.nextDouble() * spread.toMillis()));
    Category category = random.nextBoolean() ? Category.COMPLAINT : Category.CONSULTATION;
    Case.Message first = new Case.Message("关于小区管理的问题 " + number, received, null, List.of());
    Case opened = Case.open(Ids.newId(), number, Channel.PHONE, null, null, null, category, Urgency.NORMAL,
      "小区管理问题 " + number, first, null, false, null, received);
    Case.Deadline deadline = deadlines.start(category, Urgency.NORMAL, received);
    Case c = opened.change(null, e -> {
      e.deadline = deadline;
      e.status = closed ? CaseStatus.CLOSED : CaseStatus.ASSIGNED;
      e.moveTo(departmentId, received);
      e.history.add(new Case.Step(Case.Step.SYSTEM, null, received, "received", null, CaseStatus.DISPATCHING, null,
        null, "电话"));
    });
    if (!closed) {
      Alarm last = null;
      for (Alarm alarm : Alarm.values()) {
        Instant at = alarm.at(deadline, workdays);
        if (at != null && at.isBefore(now)) {
          last = alarm;
        }
      }
      if (last != null && !due) {
        Alarm sent = last;
        c = c.change(new Case.Step(Case.Step.SYSTEM, null, now, sent.action(), c.status(), c.status(), departmentId,
          sent.label(), deadline.dueDate().toString()), e -> {
          if (sent == Alarm.OVERDUE) {
            e.flags.add(Case.SUPERVISED);
          }
        });
      }
    }
    return c.toDocument();
  }

  /** What the server's rebuild would write to Redis for these cases, gathered to be written in bulk. */
  private final Map<String, Map<String, Double>> sets = new HashMap<>();
  private final Map<String, String> summaries = new HashMap<>();

  /** Adds the case to the Redis sets (its lists, its summary, its next alarm) as the server keeps them. */
  public void index(Document document) {
    Case c = Case.from(document);
    CaseIndex.Entry entry = CaseIndex.Entry.of(c);
    entry.memberships().forEach((key, score) -> sets.computeIfAbsent(key, k -> new HashMap<>()).put(c.id(), (double) score));
    summaries.put(c.id(), entry.encode());
    Alarm.Next next = Alarm.next(c, workdays);
    if (next != null) {
      sets.computeIfAbsent(DeadlineSweep.ALARMS, k -> new HashMap<>()).put(c.id(), (double) next.at().toEpochMilli());
    }
  }

  /** Writes what {@link #index} gathered, 1,000 members a command, and marks the sets built. */
  public void write(RedisCommands<String, String> redis) {
    sets.forEach((key, members) -> {
      List<ScoredValue<String>> all = members.entrySet().stream().map(e -> ScoredValue.just(e.getValue(), e.getKey())).toList();
      for (int i = 0; i < all.size(); i += 1000) {
        redis.zadd(key, all.subList(i, Math.min(all.size(), i + 1000)).toArray(ScoredValue[]::new));
      }
    });
    List<Map.Entry<String, String>> all = List.copyOf(summaries.entrySet());
    for (int i = 0; i < all.size(); i += 1000) {
      Map<String, String> part = new HashMap<>();
      all.subList(i, Math.min(all.size(), i + 1000)).forEach(e -> part.put(e.getKey(), e.getValue()));
      redis.hset(CaseIndex.SUMMARY, part);
    }
    redis.set(CaseIndex.BUILT, Instant.now().toString());
    redis.set(DeadlineSweep.BUILT, Instant.now().toString());
  }

  /** Whether the document's case has an alarm due at {@code now}: what the sweep will send. */
  public boolean alarmDue(Document document, Instant now) {
    Case c = Case.from(document);
    return Alarm.due(c, workdays, now) != null;
  }
}
