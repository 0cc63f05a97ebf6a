package io.govmedia.workdays;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The calendar the inbox counts deadlines on, from the shipped files, as the inbox sees it. */
@DisplayName("The working-day calendar as the inbox uses it")
class WorkCalendarTest {

  private final List<Integer> reached = new ArrayList<>();
  private final WorkCalendar calendar = new WorkCalendar(HolidayFiles.load(HolidayFiles.DIRECTORY), reached::add);

  @Test
  @DisplayName("the listeners hear of a year whose table is added or whose days change, not of a reload that changes nothing")
  void listenersHearOfChanges() {
    List<Integer> told = new ArrayList<>();
    calendar.onTableChanged(told::add);
    assertTrue(calendar.add(LocalDate.of(2027, 9, 30), 1).provisional());
    assertEquals(List.of(2027), reached, "the year reached without a table is handed to the alarm");

    HolidayTable table2027 = table(2027, "2027-10-01");
    calendar.put(table2027);
    assertEquals(List.of(2027), told);
    assertEquals(new Workdays.Day(LocalDate.of(2027, 10, 4), false), calendar.add(LocalDate.of(2027, 9, 30), 1));

    assertTrue(calendar.reloaded(List.of(table2027), calendar.generation(), true));
    assertEquals(List.of(2027), told, "the same days again: nobody is told");
    assertTrue(calendar.reloaded(List.of(table2027, table(2026, "2026-01-01")), calendar.generation(), true));
    assertEquals(List.of(2027, 2026), told, "an admin's 2026 table differs from the file's");
  }

  @Test
  @DisplayName("a reload read before a put through this instance does not undo it")
  void staleReloadIgnored() {
    long before = calendar.generation();
    calendar.put(table(2028, "2028-01-03"));
    assertFalse(calendar.reloaded(List.of(), before, true));
    assertTrue(calendar.hasTable(2028));
  }

  @Test
  @DisplayName("working days between two dates skip the days off, and a deadline ends at 23:59:59.999 Beijing time")
  void betweenAndEndOf() {
    assertEquals(3, calendar.between(LocalDate.of(2026, 2, 13), LocalDate.of(2026, 2, 25)));
    assertEquals(0, calendar.between(LocalDate.of(2026, 2, 25), LocalDate.of(2026, 2, 13)));
    assertFalse(calendar.isWorkday(LocalDate.of(2026, 10, 7)), "the last day of the National Day holiday");
    assertTrue(calendar.isWorkday(LocalDate.of(2026, 10, 10)), "a make-up Saturday");
    assertEquals(Instant.parse("2026-02-24T15:59:59.999Z"), calendar.endOf(LocalDate.of(2026, 2, 24)));
  }

  private static HolidayTable table(int year, String... off) {
    TreeSet<LocalDate> days = new TreeSet<>();
    for (String date : off) {
      days.add(LocalDate.parse(date));
    }
    return new HolidayTable(year, days, new TreeSet<>(), HolidayTable.Source.ADMIN, Instant.EPOCH, "admin");
  }
}
