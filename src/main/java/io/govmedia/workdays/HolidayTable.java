package io.govmedia.workdays;

import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One year of the State Council's holiday notice (调休): the days off (weekends inside a holiday included) and the
 * make-up working days (always a Saturday or Sunday). Any other day is a working day Monday to Friday.
 *
 * @param source {@code file} (conf/holidays) or {@code admin} (PUT /api/v1/holidays/{year}, which wins)
 */
record HolidayTable(int year, SortedSet<LocalDate> off, SortedSet<LocalDate> workdays, Source source,
                    Instant updatedAt, String updatedBy) {

  static final int FIRST_YEAR = 2000;
  static final int LAST_YEAR = 2100;
  /** A year has at most 366 days, and no date is in both lists. */
  static final int MAX_DATES = 366;
  private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  enum Source {
    FILE, ADMIN;

    String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  HolidayTable {
    off = Collections.unmodifiableSortedSet(new TreeSet<>(off));
    workdays = Collections.unmodifiableSortedSet(new TreeSet<>(workdays));
  }

  /** Whether {@code date} (in this table's year) is a working day. */
  boolean isWorkday(LocalDate date) {
    if (off.contains(date)) {
      return false;
    }
    return workdays.contains(date) || !isWeekend(date);
  }

  static boolean isWeekend(LocalDate date) {
    return date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY;
  }

  /** Whether both tables give every day of the year the same answer (where they came from aside). */
  boolean sameDays(HolidayTable other) {
    return other != null && off.equals(other.off) && workdays.equals(other.workdays);
  }

  /** A year as a path or query gives it; null when it is not a whole number between 2000 and 2100. */
  static Integer year(String text) {
    if (text == null || !text.matches("\\d{4}")) {
      return null;
    }
    int year = Integer.parseInt(text);
    return year >= FIRST_YEAR && year <= LAST_YEAR ? year : null;
  }

  static Problem invalidYear(String given) {
    return Problem.badRequest("invalid-year", "年份不正确", "年份应为 " + FIRST_YEAR + " 至 " + LAST_YEAR
      + " 之间的四位数字，收到：" + given);
  }

  /**
   * A table from the two lists as sent (or as a file holds them), every mistake a 400 with a code of its own, the
   * dates at fault named in {@code dates}: raw values are read here because a duplicate is itself a mistake.
   */
  static HolidayTable parse(int year, Object rawOff, Object rawWorkdays, Source source, Instant at, String by) {
    JsonArray offList = list("off", rawOff, false);
    JsonArray workList = list("workdays", rawWorkdays, true);
    if (offList.size() + workList.size() > MAX_DATES) {
      throw Problem.badRequest("too-many-dates", "日期过多", "off 与 workdays 合计最多 " + MAX_DATES + " 个日期。");
    }
    List<LocalDate> off = dates("off", offList, year);
    List<LocalDate> workdays = dates("workdays", workList, year);
    duplicates(off, workdays);
    List<String> both = off.stream().filter(workdays::contains).map(LocalDate::toString).toList();
    if (!both.isEmpty()) {
      throw Problem.badRequest("date-in-both-lists", "同一日期既是休息日又是调休上班日", "请从其中一个列表中删除。")
        .with("dates", new JsonArray(both));
    }
    List<String> weekdays = workdays.stream().filter(d -> !isWeekend(d)).map(LocalDate::toString).toList();
    if (!weekdays.isEmpty()) {
      throw Problem.badRequest("workday-not-weekend", "调休上班日应为周六或周日",
        "周一至周五本来就是工作日，无需列入 workdays。").with("dates", new JsonArray(weekdays));
    }
    return new HolidayTable(year, new TreeSet<>(off), new TreeSet<>(workdays), source, at, by);
  }

  /** Both lists are arrays; {@code workdays} may be left out (a year without make-up days). */
  private static JsonArray list(String name, Object raw, boolean optional) {
    if (raw == null && optional) {
      return new JsonArray();
    }
    if (raw instanceof JsonArray array) {
      return array;
    }
    throw Problem.badRequest("invalid-body", "请求内容不符合要求",
      name + (raw == null ? " 必填" : " 应为日期字符串数组") + "，如 [\"2026-10-01\"]。");
  }

  private static List<LocalDate> dates(String name, JsonArray raw, int year) {
    List<LocalDate> dates = new ArrayList<>();
    List<String> malformed = new ArrayList<>();
    List<String> outside = new ArrayList<>();
    for (Object item : raw) {
      LocalDate date = isoDate(item);
      if (date == null) {
        malformed.add(String.valueOf(item));
      } else if (date.getYear() != year) {
        outside.add(date.toString());
      } else {
        dates.add(date);
      }
    }
    if (!malformed.isEmpty()) {
      throw Problem.badRequest("invalid-date", "日期格式不正确", name + " 中的日期应为 YYYY-MM-DD 格式的真实日期。")
        .with("dates", new JsonArray(malformed));
    }
    if (!outside.isEmpty()) {
      throw Problem.badRequest("date-outside-year", "日期不在该年度内", name + " 中的日期都应在 " + year + " 年内。")
        .with("dates", new JsonArray(outside));
    }
    return dates;
  }

  /** A real date written YYYY-MM-DD (ASCII digits); null for anything else. */
  static LocalDate isoDate(Object item) {
    if (!(item instanceof String text) || !ISO_DATE.matcher(text).matches()) {
      return null;
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static void duplicates(List<LocalDate> off, List<LocalDate> workdays) {
    Set<LocalDate> seen = new HashSet<>();
    SortedSet<String> repeated = new TreeSet<>();
    for (List<LocalDate> list : List.of(off, workdays)) {
      Set<LocalDate> inList = new HashSet<>();
      list.stream().filter(date -> !inList.add(date)).forEach(date -> repeated.add(date.toString()));
      seen.addAll(list);
    }
    if (!repeated.isEmpty()) {
      throw Problem.badRequest("duplicate-date", "日期重复", "同一列表中的日期只能出现一次。")
        .with("dates", new JsonArray(new ArrayList<>(repeated)));
    }
  }

  // Stored and shown

  Document toDocument() {
    return new Document("_id", year).append("off", strings(off)).append("workdays", strings(workdays))
      .append("updatedAt", Times.date(updatedAt)).append("updatedBy", updatedBy);
  }

  @SuppressWarnings("unchecked")
  static HolidayTable from(Document d) {
    int year = ((Number) d.get("_id")).intValue();
    return new HolidayTable(year, dates((List<String>) d.get("off")), dates((List<String>) d.get("workdays")),
      Source.ADMIN, Times.instant(d.getDate("updatedAt")), d.getString("updatedBy"));
  }

  private static SortedSet<LocalDate> dates(List<String> stored) {
    SortedSet<LocalDate> dates = new TreeSet<>();
    stored.forEach(text -> dates.add(LocalDate.parse(text)));
    return dates;
  }

  private static List<String> strings(Set<LocalDate> dates) {
    return dates.stream().sorted().map(LocalDate::toString).toList();
  }

  /** What the list shows of a table. */
  JsonObject summary() {
    return new JsonObject().put("year", year).put("source", source.wire()).put("offCount", off.size())
      .put("workdayCount", workdays.size()).put("updatedAt", Times.show(updatedAt)).put("updatedBy", updatedBy);
  }

  JsonObject toJson() {
    return summary().put("off", new JsonArray(strings(off))).put("workdays", new JsonArray(strings(workdays)));
  }

  /** The audit log's record of a table: its dates. */
  JsonObject auditSummary() {
    return new JsonObject().put("off", new JsonArray(strings(off))).put("workdays", new JsonArray(strings(workdays)));
  }
}
