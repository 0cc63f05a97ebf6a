package io.govmedia.workdays;

import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Input;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.govmedia.platform.RequestLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.LocalDate;

/**
 * {@code /api/v1/holidays}: every staff member may read the tables (and which years are missing one), admins put a
 * year's table, which wins over the file's and is in use on this instance before it is answered. And
 * {@code GET /api/v1/workdays/add}, the deadline arithmetic for anyone who needs a date.
 */
final class WorkdaysRoutes {

  /** The longest count the API answers: 20 + 20 working days of a disclosure request, with room to spare. */
  static final int MAX_DAYS = 400;

  private final WorkCalendar calendar;
  private final HolidayStore store;
  private final TableReload reload;
  private final MissingTables missing;
  private final AuditLog audit;
  private final Clock clock;

  WorkdaysRoutes(WorkCalendar calendar, HolidayStore store, TableReload reload, MissingTables missing, AuditLog audit,
                 Clock clock) {
    this.calendar = calendar;
    this.store = store;
    this.reload = reload;
    this.missing = missing;
    this.audit = audit;
    this.clock = clock;
  }

  /** Mount on {@code /api/v1/holidays*}. */
  Router holidays(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/").handler(this::list);
    router.get("/:year").handler(this::read);
    router.put("/:year").handler(this::put);
    return router;
  }

  /** Mount on {@code /api/v1/workdays*}. */
  Router workdays(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/add").handler(this::add);
    return router;
  }

  private void list(RoutingContext ctx) {
    Principal.of(ctx);
    JsonArray items = new JsonArray(calendar.tables().stream().map(HolidayTable::summary).toList());
    missing.years(calendar::hasTable)
      .onSuccess(years -> Reply.ok(ctx, new JsonObject().put("items", items).putNull("next")
        .put("missing", new JsonArray(years))))
      .onFailure(ctx::fail);
  }

  /** A year without a table, or no year at all, is the same 404. */
  private void read(RoutingContext ctx) {
    Principal.of(ctx);
    Integer year = HolidayTable.year(ctx.pathParam("year"));
    HolidayTable table = year == null ? null : calendar.table(year).orElse(null);
    if (table == null) {
      throw new Problem(404, "holiday-table-not-found", "该年度的节假日安排尚未录入",
        "没有这一年的调休表；涉及该年的期限按周一至周五计算并标为临时。");
    }
    Reply.ok(ctx, table.toJson());
  }

  private void put(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN);
    Integer year = HolidayTable.year(ctx.pathParam("year"));
    if (year == null) {
      throw HolidayTable.invalidYear(ctx.pathParam("year"));
    }
    Input.of(ctx);  // a JSON object of clean text; the lists are read raw, since a repeated date is a mistake too
    JsonObject body = ctx.body().asJsonObject();
    HolidayTable table = HolidayTable.parse(year, body.getValue("off"), body.getValue("workdays"),
      HolidayTable.Source.ADMIN, clock.instant(), principal.username());
    JsonObject before = calendar.table(year).map(HolidayTable::auditSummary).orElse(null);
    store.put(table)
      .compose(stored -> {
        calendar.put(stored);
        return Future.all(reload.announce(), forget(year));
      })
      .compose(told -> audit.append(principal.actor(), "holidays.put", "holiday_table", String.valueOf(year), before,
        table.auditSummary(), RequestLog.id(ctx)))
      .onSuccess(entry -> Reply.ok(ctx, table.toJson()))
      .onFailure(ctx::fail);
  }

  /** The year is no longer missing; if Redis cannot be told now, the hourly reminder finds the table and forgets it. */
  private Future<Void> forget(int year) {
    return missing.resolved(year).recover(failure -> {
      LoggerFactory.getLogger(WorkdaysRoutes.class).warn("year {} not yet removed from the missing tables", year, failure);
      return Future.succeededFuture();
    });
  }

  private void add(RoutingContext ctx) {
    Principal.of(ctx);
    LocalDate from = date(ctx.request().getParam("from"));
    String days = ctx.request().getParam("days");
    if (from == null || days == null || !days.matches("\\d{1,3}") || Integer.parseInt(days) > MAX_DAYS) {
      throw Problem.badRequest("invalid-parameter", "查询参数有误", "from 应为 " + HolidayTable.FIRST_YEAR + " 至 "
        + HolidayTable.LAST_YEAR + " 年间 YYYY-MM-DD 格式的日期，days 应为 0 至 " + MAX_DAYS + " 的整数。");
    }
    Workdays.Day day = calendar.add(from, Integer.parseInt(days));
    Reply.ok(ctx, new JsonObject().put("date", day.date().toString()).put("provisional", day.provisional()));
  }

  /** A date within the years tables can be added for: 2000 to 2100. */
  private static LocalDate date(String text) {
    LocalDate date = HolidayTable.isoDate(text);
    return date == null || date.getYear() < HolidayTable.FIRST_YEAR || date.getYear() > HolidayTable.LAST_YEAR ? null : date;
  }
}
