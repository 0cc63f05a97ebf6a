package io.govmedia.inbox;

import io.govmedia.platform.Config;
import io.govmedia.platform.Ids;
import io.govmedia.workdays.Workdays;
import org.bson.Document;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

  /** Whether the document's case has an alarm due at {@code now}: what the sweep will send. */
  public boolean alarmDue(Document document, Instant now) {
    Case c = Case.from(document);
    return Alarm.due(c, workdays, now) != null;
  }
}
