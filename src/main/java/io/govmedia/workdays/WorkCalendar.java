package io.govmedia.workdays;

import io.govmedia.platform.Times;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;

/**
 * {@link Workdays} from the tables in memory: the files' and, winning over them, the admins'. The tables are an
 * immutable map swapped whole, so answers never wait and never see half a change. Every year a counting reaches
 * without a table is handed to {@code reachedWithoutTable} (the alarm), each time: it keeps its own memory.
 */
final class WorkCalendar implements Workdays {

  private static final Logger log = LoggerFactory.getLogger(WorkCalendar.class);
  private static final LocalTime END_OF_DAY = LocalTime.of(23, 59, 59, 999_000_000);

  private final Map<Integer, HolidayTable> files;
  private final IntConsumer reachedWithoutTable;
  private final List<IntConsumer> listeners = new CopyOnWriteArrayList<>();
  private volatile Map<Integer, HolidayTable> tables;
  /** Moves with every table put through this instance, so that a reload read before it cannot undo it. */
  private long generation;

  WorkCalendar(Map<Integer, HolidayTable> files, IntConsumer reachedWithoutTable) {
    this.files = Map.copyOf(files);
    this.reachedWithoutTable = reachedWithoutTable;
    this.tables = this.files;
  }

  @Override
  public Day add(LocalDate from, int days) {
    if (days < 0) {
      throw new IllegalArgumentException("days must not be negative: " + days);
    }
    Map<Integer, HolidayTable> now = tables;
    boolean provisional = false;
    LocalDate date = from;
    int year = Integer.MIN_VALUE;
    for (int counted = 0; counted < days; ) {
      date = date.plusDays(1);
      if (date.getYear() != year) {
        year = date.getYear();
        provisional |= missing(now, year);
      }
      if (isWorkday(now, date)) {
        counted++;
      }
    }
    return new Day(date, provisional);
  }

  @Override
  public int between(LocalDate from, LocalDate to) {
    Map<Integer, HolidayTable> now = tables;
    int counted = 0;
    int year = Integer.MIN_VALUE;
    for (LocalDate date = from.plusDays(1); !date.isAfter(to); date = date.plusDays(1)) {
      if (date.getYear() != year) {
        year = date.getYear();
        missing(now, year);
      }
      if (isWorkday(now, date)) {
        counted++;
      }
    }
    return counted;
  }

  @Override
  public boolean isWorkday(LocalDate date) {
    Map<Integer, HolidayTable> now = tables;
    missing(now, date.getYear());
    return isWorkday(now, date);
  }

  @Override
  public Instant endOf(LocalDate date) {
    return date.atTime(END_OF_DAY).atZone(Times.ZONE).toInstant();
  }

  @Override
  public void onTableChanged(IntConsumer year) {
    listeners.add(year);
  }

  private static boolean isWorkday(Map<Integer, HolidayTable> tables, LocalDate date) {
    HolidayTable table = tables.get(date.getYear());
    return table != null ? table.isWorkday(date) : !HolidayTable.isWeekend(date);
  }

  private boolean missing(Map<Integer, HolidayTable> tables, int year) {
    if (tables.containsKey(year)) {
      return false;
    }
    reachedWithoutTable.accept(year);
    return true;
  }

  // The tables

  boolean hasTable(int year) {
    return tables.containsKey(year);
  }

  Optional<HolidayTable> table(int year) {
    return Optional.ofNullable(tables.get(year));
  }

  List<HolidayTable> tables() {
    return new TreeSet<>(tables.keySet()).stream().map(tables::get).toList();
  }

  /** The moment a reload starts: it may install what it read only if no table was put through here since. */
  synchronized long generation() {
    return generation;
  }

  /** A table an admin put through this instance, in use at once; the listeners are told if its days changed. */
  void put(HolidayTable table) {
    List<Integer> changed;
    synchronized (this) {
      generation++;
      Map<Integer, HolidayTable> next = new HashMap<>(tables);
      next.put(table.year(), table);
      changed = install(next);
    }
    tell(changed);
  }

  /**
   * The admins' tables as the store holds them now, unless a table was put through this instance since the read
   * began ({@code readAt}): then the next reload installs them. Answers whether they were installed. The listeners
   * are told of changed years unless this is the load at start, when nothing has been computed yet.
   */
  boolean reloaded(List<HolidayTable> admin, long readAt, boolean tell) {
    List<Integer> changed;
    synchronized (this) {
      if (readAt != generation) {
        return false;
      }
      Map<Integer, HolidayTable> next = new HashMap<>(files);
      admin.forEach(table -> next.put(table.year(), table));
      changed = install(next);
    }
    if (tell) {
      tell(changed);
    }
    return true;
  }

  /** Swaps the tables; answers the years whose days changed (added ones included). Called holding the lock. */
  private List<Integer> install(Map<Integer, HolidayTable> next) {
    List<Integer> changed = new ArrayList<>();
    next.forEach((year, table) -> {
      if (!table.sameDays(tables.get(year))) {
        changed.add(year);
      }
    });
    tables = Map.copyOf(next);
    return changed;
  }

  private void tell(List<Integer> years) {
    for (int year : years) {
      for (IntConsumer listener : listeners) {
        try {
          listener.accept(year);
        } catch (RuntimeException e) {
          // One listener's failure must not keep the others from hearing of the change.
          log.warn("a listener failed on the changed holiday table of {}", year, e);
        }
      }
    }
  }
}
