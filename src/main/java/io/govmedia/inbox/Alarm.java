package io.govmedia.inbox;

import io.govmedia.workdays.Workdays;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the deadline sweep tells about a case, in rising order: a reminder when 75% of its working days are used, a
 * reminder one working day before the due day ends, and the breach (督办). Each is sent once per deadline: the history
 * step it writes names the due date it was about ({@code note}), so a changed deadline re-arms them, and a later
 * alarm covers the earlier ones (an extension approved late does not send a stale 75% reminder after the last-day one).
 */
enum Alarm {
  REMINDER("已用时限的 75%"), LAST_DAY("距截止仅剩一个工作日"), OVERDUE("已超期，转督办");

  private final String label;

  Alarm(String label) {
    this.label = label;
  }

  String action() {
    return name().toLowerCase(Locale.ROOT);
  }

  String label() {
    return label;
  }

  static Optional<Alarm> ofAction(String action) {
    return Arrays.stream(values()).filter(a -> a.action().equals(action)).findFirst();
  }

  /**
   * When this alarm is due for {@code d}, counted in working days (paused days included): null when it does not
   * apply (a limit too short for a separate 75% reminder).
   */
  Instant at(Case.Deadline d, Workdays workdays) {
    int days = d.limitDays() + d.pausedDays();
    return switch (this) {
      case REMINDER -> {
        int used = (int) Math.floor(days * 0.75);
        yield used < 1 || used >= days - 1 ? null : endOfWorkday(d.receivedOn(), used, workdays);
      }
      case LAST_DAY -> endOfWorkday(d.receivedOn(), days - 1, workdays);
      case OVERDUE -> d.dueAt();
    };
  }

  private static Instant endOfWorkday(LocalDate received, int days, Workdays workdays) {
    return workdays.endOf(workdays.add(received, days).date());
  }

  /** Whether this alarm, or a later one, was sent for the deadline {@code d}. */
  boolean sent(Case.Deadline d, List<Case.Step> history) {
    String due = d.dueDate().toString();
    return history.stream().anyMatch(s -> due.equals(s.note())
      && ofAction(s.action()).map(a -> a.compareTo(this) >= 0).orElse(false));
  }

  /** The next alarm of the case still to send and when, or null: none (closed, answered, paused, all sent). */
  record Next(Alarm alarm, Instant at) {
  }

  static Next next(Case c, Workdays workdays) {
    return next(c.status(), c.deadline(), c.history(), workdays);
  }

  static Next next(CaseStatus status, Case.Deadline deadline, List<Case.Step> history, Workdays workdays) {
    if (!status.open() || status == CaseStatus.PAUSED || deadline == null) {
      return null;
    }
    for (Alarm alarm : values()) {
      Instant at = alarm.at(deadline, workdays);
      if (at != null && !alarm.sent(deadline, history)) {
        return new Next(alarm, at);
      }
    }
    return null;
  }

  /** The latest alarm due at {@code now} and not yet sent, or null. */
  static Alarm due(Case c, Workdays workdays, Instant now) {
    if (next(c, workdays) == null) {
      return null;
    }
    Alarm due = null;
    for (Alarm alarm : values()) {
      Instant at = alarm.at(c.deadline(), workdays);
      if (at != null && !at.isAfter(now) && !alarm.sent(c.deadline(), c.history())) {
        due = alarm;
      }
    }
    return due;
  }
}
