package io.govmedia.inbox;

import io.govmedia.auth.DepartmentStore;
import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Input;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.govmedia.platform.RequestLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code /api/v1/cases}: staff enter cases that came by phone, letter, visit or mailbox, list the cases in their
 * scope (most urgent first: the earliest due day, then the oldest; answered and closed ones newest first), read
 * one, and act on it ({@code POST /api/v1/cases/{id}/{action}}, the actions of {@link CaseAction}).
 */
final class CaseRoutes {

  private static final Set<String> STAFF_CHANNELS = Set.of("phone", "letter", "visit", "mailbox");
  private static final Pattern FLAG = Pattern.compile("[a-z_-]{1,32}");

  private final CaseStore store;
  private final CaseIndex index;
  private final CaseActions actions;
  private final Intake intake;
  private final CaseView view;
  private final DepartmentStore departments;
  private final AuditLog audit;
  private final Clock clock;

  CaseRoutes(CaseStore store, CaseIndex index, CaseActions actions, Intake intake, CaseView view,
             DepartmentStore departments, AuditLog audit, Clock clock) {
    this.store = store;
    this.index = index;
    this.actions = actions;
    this.intake = intake;
    this.view = view;
    this.departments = departments;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * On the root router. {@code GET /api/v1/cases/stats} is not a case: the read passes it on to whatever is mounted
   * for it (the statistics), so mounting order does not matter.
   */
  void mount(Router root) {
    root.post("/api/v1/cases").handler(this::create);
    root.get("/api/v1/cases").handler(this::list);
    root.get("/api/v1/cases/:id").handler(this::read);
    for (CaseAction action : CaseAction.values()) {
      if (action.ownRoute()) {
        continue;
      }
      root.post("/api/v1/cases/:id/" + action.wire()).handler(ctx -> act(ctx, action));
    }
  }

  // Entering a case

  private void create(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN, Role.DISPATCHER, Role.REPLIER, Role.SUPERVISOR);
    Input input = Input.of(ctx);
    String channel = input.oneOf("channel", STAFF_CHANNELS);
    String category = input.oneOf("category", wires(Category.values(), Category::wire));
    String urgency = input.has("urgency") ? input.oneOf("urgency", wires(Urgency.values(), Urgency::wire)) : "normal";
    String title = input.string("title", 100);
    String content = input.text("content", 5000);
    String region = input.optionalString("region", 64);
    Boolean consent = input.optionalBoolean("consent");
    JsonObject contact = contact(input);
    input.validate();
    String id = Ids.newId();
    var now = clock.instant();
    Channel from = Channel.parse(channel).orElseThrow();
    Case opened = Case.open(id, null, from, null, null, view.seal(id, contact),
      Category.parse(category).orElseThrow(), Urgency.parse(urgency).orElseThrow(), title,
      new Case.Message(content, now, null, List.of()), region, Boolean.TRUE.equals(consent), null, now);
    intake.numbered(opened)
      .compose(numbered -> intake.start(numbered, new Case.Step(principal.staffId(), principal.username(), now,
        "received", null, CaseStatus.DISPATCHING, null, null, from.label() + "，工作人员录入"), content))
      .compose(c -> audit.append(principal.actor(), "case.create", "case", c.id(), null, CaseActions.summary(c),
        RequestLog.id(ctx)).map(c))
      .onSuccess(c -> Reply.created(ctx, view.detail(c)))
      .onFailure(ctx::fail);
  }

  /** Contact details: each optional, each at most a line; sealed as entered. */
  private static JsonObject contact(Input input) {
    JsonObject given = input.optionalObject("contact");
    if (given == null) {
      return null;
    }
    JsonObject contact = new JsonObject();
    for (String field : given.fieldNames()) {
      Object value = given.getValue(field);
      if (!CaseView.CONTACT_FIELDS.contains(field)) {
        input.error("contact." + field, "不支持的联系方式字段；可用 " + String.join("、", CaseView.CONTACT_FIELDS));
      } else if (!(value instanceof String s) || s.isBlank() || s.length() > 200) {
        input.error("contact." + field, "应为 1–200 个字符的字符串");
      } else {
        contact.put(field, s.strip());
      }
    }
    return contact;
  }

  private static <T> Set<String> wires(T[] values, Function<T, String> wire) {
    return java.util.Arrays.stream(values).map(wire).collect(Collectors.toUnmodifiableSet());
  }

  // Reading

  private void read(RoutingContext ctx) {
    if ("stats".equals(ctx.pathParam("id"))) {
      ctx.next();
      return;
    }
    Principal principal = Principal.of(ctx);
    CaseScope.of(principal, departments)
      .compose(scope -> actions.visible(scope, ctx.pathParam("id")))
      .onSuccess(c -> Reply.ok(ctx, view.detail(c)))
      .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    Page page = Page.of(ctx, cursor -> CaseIndex.CURSOR.matcher(cursor).matches());
    Filters filters = Filters.read(ctx);
    CaseScope.of(principal, departments)
      .compose(scope -> index.page(query(scope, filters, page)))
      .compose(found -> store.written(found.ids()).map(cases -> {
        Map<String, Case> byId = cases.stream().collect(Collectors.toMap(Case::id, c -> c));
        JsonArray items = new JsonArray();
        found.ids().stream().map(byId::get).filter(c -> c != null).forEach(c -> items.add(view.item(c)));
        return new JsonObject().put("items", items).put("next", found.next());
      }))
      .onSuccess(body -> Reply.ok(ctx, body))
      .onFailure(ctx::fail);
  }

  /** The list's query parameters, checked. */
  record Filters(CaseStatus status, String departmentId, String assigneeId, Boolean overdue, String flag,
                 Category category) {

    static Filters read(RoutingContext ctx) {
      String status = ctx.request().getParam("status");
      String department = ctx.request().getParam("departmentId");
      String assignee = ctx.request().getParam("assigneeId");
      String overdue = ctx.request().getParam("overdue");
      String flag = ctx.request().getParam("flag");
      String category = ctx.request().getParam("category");
      CaseStatus parsed = status == null || status.isEmpty() ? null : CaseStatus.parse(status).orElseThrow(() ->
        invalid("status 应为 dispatching、assigned、in_progress、paused、answered、closed 之一。"));
      Category kind = category == null || category.isEmpty() ? null : Category.parse(category).orElseThrow(() ->
        invalid("category 应为 consultation、complaint、suggestion、help、report、disclosure_request 之一。"));
      if (department != null && !department.isEmpty() && !Ids.valid(department)
        || assignee != null && !assignee.isEmpty() && !Ids.valid(assignee)) {
        throw invalid("departmentId、assigneeId 应为 id。");
      }
      if (overdue != null && !overdue.isEmpty() && !Set.of("true", "false").contains(overdue)) {
        throw invalid("overdue 应为 true 或 false。");
      }
      if (flag != null && !flag.isEmpty() && !FLAG.matcher(flag).matches()) {
        throw invalid("flag 应为标记名，如 supervised。");
      }
      return new Filters(parsed, empty(department), empty(assignee),
        overdue == null || overdue.isEmpty() ? null : Boolean.valueOf(overdue), empty(flag), kind);
    }

    private static String empty(String value) {
      return value == null || value.isEmpty() ? null : value;
    }

    private static Problem invalid(String detail) {
      return Problem.badRequest("invalid-parameter", "查询参数有误", detail);
    }

    /** Answered and closed cases are listed from the done sets (newest first); the rest from the open ones. */
    boolean done() {
      return status != null && !status.open();
    }
  }

  /** Which sets to read: the narrowest the filters name, within the member's scope; the rest is filtered per case. */
  private CaseIndex.Query query(CaseScope scope, Filters f, Page page) {
    List<String> scopes = new ArrayList<>();
    if (f.assigneeId() != null) {
      scopes.add("staff:" + f.assigneeId());
    } else if (f.departmentId() != null) {
      if (scope.everything() || scope.departments().contains(f.departmentId())) {
        scopes.add("dept:" + f.departmentId());
      }
    } else if (f.status() == CaseStatus.DISPATCHING) {
      if (scope.queue()) {
        scopes.add("queue");
      }
    } else if (scope.everything()) {
      scopes.add("all");
    } else {
      scope.departments().stream().sorted().forEach(d -> scopes.add("dept:" + d));
      if (scope.queue() && !f.done()) {
        scopes.add("queue");
      }
    }
    LocalDate today = Deadlines.date(clock.instant());
    long overdueBelow = CaseIndex.overdueBelow(today);
    Predicate<CaseIndex.Entry> keep = scope::sees;
    if (f.status() != null) {
      keep = keep.and(e -> e.status() == f.status());
    }
    if (f.departmentId() != null) {
      keep = keep.and(e -> f.departmentId().equals(e.departmentId()));
    }
    if (f.flag() != null) {
      keep = keep.and(e -> e.flags().contains(f.flag()));
    }
    if (f.category() != null) {
      keep = keep.and(e -> e.category() == f.category());
    }
    if (f.overdue() != null) {
      boolean wanted = f.overdue();
      keep = keep.and(e -> (e.status().open() && e.status() != CaseStatus.PAUSED && e.openScore() < overdueBelow) == wanted);
    }
    Long below = Boolean.TRUE.equals(f.overdue()) && !f.done() ? overdueBelow : null;
    return new CaseIndex.Query(scopes, f.done(), below, page.cursor(), page.limit(), keep);
  }

  // Actions

  private void act(RoutingContext ctx, CaseAction action) {
    Principal principal = Principal.of(ctx);
    Input input = optionalBody(ctx);
    CaseActions.Request request = request(action, input);
    CaseScope.of(principal, departments)
      .compose(scope -> actions.act(scope, ctx.pathParam("id"), request, RequestLog.id(ctx)))
      .onSuccess(c -> Reply.ok(ctx, view.detail(c)))
      .onFailure(ctx::fail);
  }

  /** Actions without fields (claim, resume, close from answered) may come without a body. */
  static Input optionalBody(RoutingContext ctx) {
    boolean none = ctx.body() == null || ctx.body().buffer() == null || ctx.body().buffer().length() == 0;
    return none && ctx.request().getHeader("Content-Type") == null ? Input.of(new JsonObject()) : Input.of(ctx);
  }

  private static CaseActions.Request request(CaseAction action, Input input) {
    String department = null;
    String assignee = null;
    String reason = null;
    switch (action) {
      case ASSIGN -> {
        if (input.has("departmentId") == input.has("assigneeId")) {
          input.error("departmentId", "请给出 departmentId（分派到部门）或 assigneeId（指定办理人），且只给一个");
        } else if (input.has("departmentId")) {
          department = input.matching("departmentId", Ids.FORMAT, "部门 id");
        } else {
          assignee = input.matching("assigneeId", Ids.FORMAT, "人员 id");
        }
      }
      case TRANSFER -> {
        department = input.matching("departmentId", Ids.FORMAT, "部门 id");
        reason = input.text("reason", 500);
      }
      case RETURN, PAUSE, REOPEN -> reason = input.text("reason", 500);
      case RESUME, CLOSE, CLAIM, RELEASE -> reason = input.optionalText("reason", 500);
      default -> throw new IllegalStateException("unhandled action " + action);
    }
    input.validate();
    return new CaseActions.Request(action, department, assignee, reason);
  }
}
