package io.govmedia.publishing;

import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountStore;
import io.govmedia.accounts.AccountType;
import io.govmedia.auth.DepartmentStore;
import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.govmedia.platform.AuditLog;
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

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The office-wide views of publishing: the emergency stop ({@code /api/v1/publishing/hold}), the calendar and the
 * inspection guard ({@code /api/v1/accounts/inspection}).
 */
final class PublishingRoutes {

  static final int MAX_CALENDAR_DAYS = 62;

  private final Slots slots;
  private final Hold hold;
  private final MassQuota quota;
  private final Inspection inspection;
  private final AccountStore accounts;
  private final DepartmentStore departments;
  private final AuditLog audit;

  PublishingRoutes(Slots slots, Hold hold, MassQuota quota, Inspection inspection, AccountStore accounts,
                   DepartmentStore departments, AuditLog audit) {
    this.slots = slots;
    this.hold = hold;
    this.quota = quota;
    this.inspection = inspection;
    this.accounts = accounts;
    this.departments = departments;
    this.audit = audit;
  }

  void mount(Router root) {
    root.get("/api/v1/publishing/hold").handler(this::showHold);
    root.post("/api/v1/publishing/hold").handler(this::hold);
    root.post("/api/v1/publishing/release").handler(this::release);
    root.get("/api/v1/calendar").handler(this::calendar);
    root.get("/api/v1/accounts/inspection").handler(this::inspection);
    root.get("/api/v1/stats/posts").handler(this::postsPerWeek);
  }

  // Emergency stop

  private void showHold(RoutingContext ctx) {
    Principal.of(ctx);
    hold.fresh().onSuccess(state -> Reply.ok(ctx, state.toJson())).onFailure(ctx::fail);
  }

  private void hold(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN);
    Input input = Input.of(ctx);
    String reason = input.text("reason", 500);
    input.validate();
    Hold.State state = new Hold.State(true, reason, principal.username(), slots.now());
    hold.set(state)
      .compose(set -> audit.append(principal.actor(), "publishing.hold", "publishing", "hold", null, set.toJson(),
        RequestLog.id(ctx)).map(set))
      .onSuccess(set -> Reply.ok(ctx, set.toJson()))
      .onFailure(ctx::fail);
  }

  /** Slots whose time passed during the hold are {@code missed}: editors decide again, told by event. */
  private void release(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN);
    hold.fresh().compose(before -> hold.set(Hold.State.RELEASED)
        .compose(released -> missPassed(principal))
        .compose(missed -> audit.append(principal.actor(), "publishing.release", "publishing", "hold", before.toJson(),
          new JsonObject().put("held", false).put("missed", missed), RequestLog.id(ctx)).map(missed)))
      .onSuccess(missed -> Reply.ok(ctx, Hold.State.RELEASED.toJson().put("missed", missed)))
      .onFailure(ctx::fail);
  }

  private Future<Integer> missPassed(Principal principal) {
    Instant now = slots.now();
    return slots.store().inStatus(Set.of(SlotStatus.SCHEDULED)).compose(found -> Future.join(found.stream()
        .filter(slot -> !slot.dueAt().isAfter(now))
        .map(slot -> slots.move(slot, SlotStatus.MISSED, principal.username(), "暂停发布期间已过发布时间，请重新决定", s -> s))
        .toList()))
      .map(all -> (int) all.list().stream().filter(java.util.Objects::nonNull).count());
  }

  // Calendar

  /** The most slots one calendar answer carries (a month of 50 accounts posting daily is 1,500). */
  static final int MAX_CALENDAR_SLOTS = 2_000;

  private void calendar(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    LocalDate from = day(ctx, "from");
    LocalDate to = day(ctx, "to");
    if (to.isBefore(from) || ChronoUnit.DAYS.between(from, to) >= MAX_CALENDAR_DAYS) {
      throw Problem.badRequest("invalid-range", "日期范围无效", "to 不能早于 from，且最多 " + MAX_CALENDAR_DAYS + " 天。");
    }
    String accountId = ctx.request().getParam("accountId");
    Instant start = from.atStartOfDay(Times.ZONE).toInstant();
    Instant end = to.plusDays(1).atStartOfDay(Times.ZONE).toInstant();
    scope(principal)
      .compose(visible -> slots.store().between(start, end, accountId, MAX_CALENDAR_SLOTS + 1).map(found -> found.stream()
        .filter(slot -> visible.test(slot.accountId(), slot.departmentId()))
        .toList())
        .compose(items -> quotas(items, accountId, visible).map(quotas -> {
        JsonArray listed = new JsonArray();
        items.stream().limit(MAX_CALENDAR_SLOTS).forEach(slot -> listed.add(slot.toJson(hold.heldNow())));
        // more than a view can show: the console narrows the range or picks an account
        boolean truncated = items.size() > MAX_CALENDAR_SLOTS;
        return new JsonObject().put("items", listed).put("quota", quotas).put("truncated", truncated);
      })))
      .onSuccess(body -> Reply.ok(ctx, body))
      .onFailure(ctx::fail);
  }

  private static LocalDate day(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    LocalDate day;
    try {
      day = LocalDate.parse(value == null ? "" : value);
    } catch (DateTimeParseException e) {
      throw Problem.badRequest("invalid-date", "日期格式不正确", name + " 应为 YYYY-MM-DD。");
    }
    // the years slots can have (Input takes times in 2000–2100); beyond them the day's bounds overflow into a 500
    if (day.getYear() < 2000 || day.getYear() > 2100) {
      throw Problem.badRequest("invalid-date", "日期超出范围", name + " 应在 2000 年到 2100 年之间。");
    }
    return day;
  }

  /**
   * Admins see everything; others what concerns their accounts or a department in their reach (a slot by its
   * account or its post's department, an account's quota by the account or its department).
   */
  private Future<java.util.function.BiPredicate<String, String>> scope(Principal principal) {
    if (principal.isAdmin()) {
      return Future.succeededFuture((accountId, departmentId) -> true);
    }
    return departments.reach(principal).map(reach -> (accountId, departmentId) ->
      principal.accountIds().contains(accountId) || reach.contains(departmentId));
  }

  /** What is left of the mass-send quota now, for the WeChat official accounts in view (an account asked for only if in scope). */
  private Future<JsonArray> quotas(List<Slot> items, String accountId,
                                   java.util.function.BiPredicate<String, String> visible) {
    Set<String> ids = new LinkedHashSet<>();
    items.stream().filter(slot -> "wechat".equals(slot.channel())).forEach(slot -> ids.add(slot.accountId()));
    if (accountId != null && io.govmedia.platform.Ids.valid(accountId)) {
      ids.add(accountId);
    }
    Instant now = slots.now();
    return Future.join(ids.stream().map(accounts::find).toList()).compose(found -> {
      List<Account> mp = found.<Account>list().stream()
        .filter(a -> a != null && a.type() == AccountType.WECHAT_MP && visible.test(a.id(), a.departmentId())).toList();
      return Future.join(mp.stream().map(a -> quota.left(a, MassQuota.period(a, now))).toList()).map(left -> {
        JsonArray out = new JsonArray();
        for (int i = 0; i < mp.size(); i++) {
          Account a = mp.get(i);
          out.add(new JsonObject().put("accountId", a.id()).put("massLeft", left.<Integer>resultAt(i))
            .put("period", MassQuota.period(a, now)).put("kind", MassQuota.service(a) ? "service" : "subscription"));
        }
        return out;
      });
    });
  }

  // Inspection guard

  private void inspection(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    accounts.all().compose(all -> visibleAccounts(principal, all)).compose(inspection::rows)
      .onSuccess(rows -> {
        JsonArray items = new JsonArray();
        rows.forEach(row -> items.add(row.toJson()));
        Reply.ok(ctx, new JsonObject().put("items", items));
      })
      .onFailure(ctx::fail);
  }

  private Future<List<Account>> visibleAccounts(Principal principal, List<Account> all) {
    if (principal.isAdmin()) {
      return Future.succeededFuture(all);
    }
    return departments.reach(principal).map(reach -> all.stream()
      .filter(a -> principal.accountIds().contains(a.id()) || reach.contains(a.departmentId())).toList());
  }

  // Statistics

  static final int MAX_STATS_WEEKS = 26;
  /** More published slots than the dashboard's weeks of a busy office hold; beyond it the answer says truncated. */
  static final int MAX_STATS_SLOTS = 50_000;

  /**
   * Posts published per account and week (Monday to Sunday, Asia/Shanghai), the last {@code weeks} weeks with this
   * one last, for the accounts the caller may see (as the inspection guard): one read of the slots' time range
   * instead of a calendar per account.
   */
  private void postsPerWeek(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    int weeks = weeks(ctx);
    LocalDate thisMonday = LocalDate.ofInstant(slots.now(), Times.ZONE)
      .with(java.time.temporal.TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY));
    LocalDate first = thisMonday.minusWeeks(weeks - 1L);
    Instant start = first.atStartOfDay(Times.ZONE).toInstant();
    Instant end = thisMonday.plusWeeks(1).atStartOfDay(Times.ZONE).toInstant();
    // a slot goes out at or after its editor's time; one set a week before the range may have gone out inside it
    Future<List<Slot>> inRange = slots.store().between(start.minus(java.time.Duration.ofDays(7)), end, null,
      MAX_STATS_SLOTS + 1);
    accounts.all().compose(all -> visibleAccounts(principal, all))
      .compose(visible -> inRange.map(found -> weekly(visible, found, first, weeks, start, end)))
      .onSuccess(body -> Reply.ok(ctx, body))
      .onFailure(ctx::fail);
  }

  private static int weeks(RoutingContext ctx) {
    String value = ctx.request().getParam("weeks");
    if (value == null || value.isEmpty()) {
      return 8;
    }
    if (!value.matches("[0-9]{1,2}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > MAX_STATS_WEEKS) {
      throw Problem.badRequest("invalid-parameter", "查询参数有误", "weeks 应为 1 到 " + MAX_STATS_WEEKS + " 之间的整数。");
    }
    return Integer.parseInt(value);
  }

  private static JsonObject weekly(List<Account> visible, List<Slot> inRange, LocalDate first, int weeks,
                                   Instant start, Instant end) {
    Map<String, long[]> counts = new java.util.LinkedHashMap<>();
    visible.stream().filter(a -> a.status() != Account.Status.CLOSED)
      .sorted(java.util.Comparator.comparing(Account::name)).forEach(a -> counts.put(a.id(), new long[weeks]));
    for (Slot slot : inRange.subList(0, Math.min(inRange.size(), MAX_STATS_SLOTS))) {
      if (slot.status() != SlotStatus.PUBLISHED) {
        continue;
      }
      Instant at = slot.publishedAt();
      long[] row = counts.get(slot.accountId());
      if (row != null && !at.isBefore(start) && at.isBefore(end)) {
        row[(int) ChronoUnit.WEEKS.between(first, LocalDate.ofInstant(at, Times.ZONE))] += 1;
      }
    }
    Map<String, Account> byId = visible.stream().collect(Collectors.toMap(Account::id, Function.identity()));
    JsonArray rows = new JsonArray();
    counts.forEach((id, row) -> {
      Account a = byId.get(id);
      JsonArray numbers = new JsonArray();
      java.util.Arrays.stream(row).forEach(numbers::add);
      rows.add(new JsonObject().put("accountId", id).put("name", a.name()).put("type", a.type().wire())
        .put("departmentId", a.departmentId()).put("counts", numbers)
        .put("total", java.util.Arrays.stream(row).sum()));
    });
    JsonArray mondays = new JsonArray();
    for (int i = 0; i < weeks; i++) {
      mondays.add(first.plusWeeks(i).toString());
    }
    return new JsonObject().put("weeks", mondays).put("items", rows)
      .put("truncated", inRange.size() > MAX_STATS_SLOTS);
  }

  /** The hourly job: warnings and alarms as events, once per account, state and day. */
  Future<?> announceInspection() {
    return accounts.all().compose(inspection::announce);
  }
}
