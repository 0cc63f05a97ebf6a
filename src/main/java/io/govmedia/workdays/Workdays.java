package io.govmedia.workdays;

import java.time.Instant;
import java.time.LocalDate;
import java.util.function.IntConsumer;

/**
 * The working-day calendar (调休): the State Council's tables of days off and make-up working days, Monday–Friday
 * for a year without a table (then every answer reaching that year is {@code provisional} and the administrators
 * are alarmed until the table is added). Answers come from memory: callable on an event loop.
 */
public interface Workdays {

  /** A date and whether it was computed Monday–Friday because its year (or a year on the way) has no table. */
  record Day(LocalDate date, boolean provisional) {
  }

  /** The {@code days}-th working day counted from the day after {@code from} (days ≥ 1; 0 answers {@code from}). */
  Day add(LocalDate from, int days);

  /** Working days in ({@code from}, {@code to}]: 0 when {@code to} is not after {@code from}. */
  int between(LocalDate from, LocalDate to);

  boolean isWorkday(LocalDate date);

  /** The last instant of {@code date} in Asia/Shanghai: a deadline is the end of its due working day. */
  Instant endOf(LocalDate date);

  /** Told (on an event loop) of each year whose table is added or changed, so provisional deadlines are recomputed. */
  void onTableChanged(IntConsumer year);
}
