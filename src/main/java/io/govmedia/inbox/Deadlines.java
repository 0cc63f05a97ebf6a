package io.govmedia.inbox;

import io.govmedia.platform.Times;
import io.govmedia.workdays.Workdays;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * Answer deadlines in working days (DOMAIN.md §2, {@code inbox.limits}): counted from the day after receipt by the
 * working-day calendar, {@code dueAt} the end of the due day, extended on resume by the working days spent paused.
 */
final class Deadlines {

  private final Map<String, Integer> limits;
  private final Workdays workdays;

  Deadlines(Map<String, Integer> limits, Workdays workdays) {
    this.limits = limits;
    this.workdays = workdays;
  }

  /** An urgent case has the urgent limit, except an information request, which keeps its statutory 20 days. */
  int limit(Category category, Urgency urgency) {
    if (urgency == Urgency.URGENT && category != Category.DISCLOSURE_REQUEST) {
      return limits.getOrDefault("urgent", 1);
    }
    return limits.getOrDefault(category.wire(), category.workingDays());
  }

  Case.Deadline start(Category category, Urgency urgency, Instant received) {
    return due(date(received), limit(category, urgency), 0, null);
  }

  /** A reopened case gets its full limit again, counted from the reopening. */
  Case.Deadline restart(Case.Deadline before, Instant at) {
    return due(date(at), before.limitDays(), 0, null);
  }

  Case.Deadline pause(Case.Deadline before, Instant at) {
    return new Case.Deadline(before.receivedOn(), before.limitDays(), before.pausedDays(), before.dueDate(),
      before.dueAt(), before.provisional(), at);
  }

  /** The working days in (paused day, resumed day] no longer count: the due day moves by as many. */
  Case.Deadline resume(Case.Deadline before, Instant at) {
    int paused = before.pausedAt() == null ? 0 : workdays.between(date(before.pausedAt()), date(at));
    return due(before.receivedOn(), before.limitDays(), before.pausedDays() + paused, null);
  }

  /** The same limit on another category or urgency (staff corrected it): recomputed from the receipt day. */
  Case.Deadline recount(Case.Deadline before, Category category, Urgency urgency) {
    return due(before.receivedOn(), limit(category, urgency), before.pausedDays(), before.pausedAt());
  }

  /** The same deadline counted again (a holiday table arrived for a year it spans). */
  Case.Deadline recompute(Case.Deadline before) {
    return due(before.receivedOn(), before.limitDays(), before.pausedDays(), before.pausedAt());
  }

  /** The deadline with {@code days} more working days (an approved extension). */
  Case.Deadline extend(Case.Deadline before, int days) {
    return due(before.receivedOn(), before.limitDays() + days, before.pausedDays(), before.pausedAt());
  }

  private Case.Deadline due(LocalDate received, int limit, int pausedDays, Instant pausedAt) {
    Workdays.Day day = workdays.add(received, limit + pausedDays);
    return new Case.Deadline(received, limit, pausedDays, day.date(), workdays.endOf(day.date()), day.provisional(),
      pausedAt);
  }

  static LocalDate date(Instant at) {
    return at.atZone(Times.ZONE).toLocalDate();
  }
}
