package io.govmedia.inbox;

import io.govmedia.auth.DepartmentStore;
import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Input;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.govmedia.platform.RequestLog;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Deadline work on cases: {@code POST /api/v1/cases/{id}/extend} and {@code …/approve-extension}, the requests
 * waiting for a decision ({@code GET /api/v1/case-extensions}), and the statistics
 * {@code GET /api/v1/cases/stats?from&to&departmentId} (received, answered, on-time rate, average working days to
 * answer, satisfaction rate, returns, transfers, the overdue list), all within the caller's scope.
 */
final class DeadlineRoutes {

  /** The overdue list of the statistics: the most overdue first, at most this many. */
  static final int OVERDUE_LIST = 200;
  static final int MAX_PERIOD_DAYS = 366;
  /** The waiting extension requests listed at most (oldest first). */
  static final int WAITING_LIST = 200;

  private final Extensions extensions;
  private final CaseStats stats;
  private final CaseIndex index;
  private final CaseStore store;
  private final CaseView view;
  private final DepartmentStore departments;
  private final Clock clock;

  DeadlineRoutes(Extensions extensions, CaseStats stats, CaseIndex index, CaseStore store, CaseView view,
                 DepartmentStore departments, Clock clock) {
    this.extensions = extensions;
    this.stats = stats;
    this.index = index;
    this.store = store;
    this.view = view;
    this.departments = departments;
    this.clock = clock;
  }

  void mount(Router root) {
    root.get("/api/v1/cases/stats").handler(this::stats);
    root.post("/api/v1/cases/:id/extend").handler(this::extend);
    root.post("/api/v1/cases/:id/approve-extension").handler(this::approve);
    root.get("/api/v1/case-extensions").handler(this::waiting);
  }

  // Extensions

  private void extend(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    Input input = Input.of(ctx);
    Long days = input.optionalLong("days");
    String reason = input.text("reason", 500);
    if (days == null || days < 1 || days > Extensions.DISCLOSURE_MAX) {
      input.error("days", "应为 1–" + Extensions.DISCLOSURE_MAX + " 的整数（工作日）");
    }
    input.validate();
    CaseScope.of(principal, departments)
      .compose(scope -> extensions.request(scope, ctx.pathParam("id"), days.intValue(), reason, RequestLog.id(ctx)))
      .onSuccess(pending -> Reply.ok(ctx, new JsonObject().put("extension", pending.toJson())))
      .onFailure(ctx::fail);
  }

  private void approve(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    Input input = Input.of(ctx);
    Boolean approved = input.optionalBoolean("approved");
    String note = input.optionalText("note", 500);
    if (approved == null) {
      input.error("approved", "应为 true（批准）或 false（不批准）");
    }
    input.validate();
    CaseScope.of(principal, departments)
      .compose(scope -> extensions.decide(scope, ctx.pathParam("id"), approved, note, RequestLog.id(ctx)))
      .onSuccess(c -> Reply.ok(ctx, view.detail(c)))
      .onFailure(ctx::fail);
  }

  /** {@code GET /api/v1/case-extensions}: the requests the caller may decide, for the supervision board. */
  private void waiting(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN, Role.REPLIER, Role.SUPERVISOR);
    CaseScope.of(principal, departments)
      .compose(scope -> extensions.waiting(scope, WAITING_LIST))
      .onSuccess(items -> Reply.ok(ctx, new JsonObject().put("items", new JsonArray(items)).put("next", null)))
      .onFailure(ctx::fail);
  }

  // Statistics

  /** The query of the statistics, checked: a period of Asia/Shanghai days (default the last 30), one department or all. */
  record Period(LocalDate from, LocalDate to, String departmentId) {

    static Period read(RoutingContext ctx, LocalDate today) {
      LocalDate to = date(ctx, "to", today);
      LocalDate from = date(ctx, "from", to.minusDays(29));
      String department = ctx.request().getParam("departmentId");
      if (department != null && !department.isEmpty() && !Ids.valid(department)) {
        throw invalid("departmentId 应为部门 id。");
      }
      if (from.isAfter(to) || ChronoUnit.DAYS.between(from, to) >= MAX_PERIOD_DAYS) {
        throw invalid("from 不能晚于 to，统计区间最长 " + MAX_PERIOD_DAYS + " 天。");
      }
      return new Period(from, to, department == null || department.isEmpty() ? null : department);
    }

    private static LocalDate date(RoutingContext ctx, String name, LocalDate otherwise) {
      String value = ctx.request().getParam(name);
      if (value == null || value.isEmpty()) {
        return otherwise;
      }
      try {
        return LocalDate.parse(value);
      } catch (DateTimeParseException e) {
        throw invalid(name + " 应为日期 YYYY-MM-DD。");
      }
    }

    private static Problem invalid(String detail) {
      return Problem.badRequest("invalid-parameter", "查询参数有误", detail);
    }
  }

  private void stats(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN, Role.DISPATCHER, Role.REPLIER, Role.SUPERVISOR);
    Period period = Period.read(ctx, Deadlines.date(clock.instant()));
    CaseScope.of(principal, departments)
      .compose(scope -> {
        List<String> rows = rows(scope, period.departmentId());
        return Future.all(stats.sum(rows, period.from(), period.to()), overdue(scope, period.departmentId()))
          .map(both -> body(period, both.resultAt(0), both.resultAt(1)));
      })
      .onSuccess(body -> Reply.ok(ctx, body))
      .onFailure(ctx::fail);
  }

  /** Which counter rows the caller may add up: the department asked (in scope), else all of theirs. */
  private static List<String> rows(CaseScope scope, String departmentId) {
    if (departmentId != null) {
      if (!scope.everything() && !scope.departments().contains(departmentId)) {
        throw Problem.notFound("部门");
      }
      return List.of(departmentId);
    }
    return scope.everything() ? List.of(CaseStats.ALL) : List.copyOf(scope.departments());
  }

  /** Open cases past their due day, from the lists' Redis sets (read up to the first not yet due), most overdue first. */
  private Future<JsonArray> overdue(CaseScope scope, String departmentId) {
    List<String> scopes = new ArrayList<>();
    if (departmentId != null) {
      scopes.add("dept:" + departmentId);
    } else if (scope.everything()) {
      scopes.add("all");
    } else {
      scope.departments().stream().sorted().forEach(d -> scopes.add("dept:" + d));
    }
    long below = CaseIndex.overdueBelow(Deadlines.date(clock.instant()));
    CaseIndex.Query query = new CaseIndex.Query(scopes, false, below, null, OVERDUE_LIST,
      e -> scope.sees(e) && e.status() != CaseStatus.PAUSED);
    return index.page(query).compose(found -> store.written(found.ids())).map(cases -> {
      JsonArray items = new JsonArray();
      cases.stream().filter(c -> c.overdue(clock.instant()))
        .sorted(java.util.Comparator.comparing((Case c) -> c.deadline().dueAt()))
        .forEach(c -> items.add(new JsonObject().put("id", c.id()).put("number", c.number())
          .put("departmentId", c.departmentId()).put("assigneeId", c.assigneeId()).put("title", c.title())
          .put("dueAt", Times.show(c.deadline().dueAt())).put("flags", new JsonArray(List.copyOf(c.flags())))));
      return items;
    });
  }

  private static JsonObject body(Period period, Map<String, Long> sums, JsonArray overdue) {
    long answered = sums.get("answered");
    long rated = sums.get("rated");
    return new JsonObject().put("from", period.from().toString()).put("to", period.to().toString())
      .put("departmentId", period.departmentId())
      .put("received", sums.get("received")).put("answered", answered).put("answeredOnTime", sums.get("onTime"))
      .put("onTimeRate", answered == 0 ? null : round((double) sums.get("onTime") / answered))
      .put("averageWorkdaysToAnswer", answered == 0 ? null : round((double) sums.get("answerDays") / answered))
      .put("rated", rated).put("satisfied", sums.get("satisfied"))
      .put("satisfactionRate", rated == 0 ? null : round((double) sums.get("satisfied") / rated))
      .put("returns", sums.get("returns")).put("transfers", sums.get("transfers"))
      .put("overdue", overdue).put("overdueCount", overdue.size());
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
