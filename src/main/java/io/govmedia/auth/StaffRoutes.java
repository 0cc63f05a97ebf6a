package io.govmedia.auth;

import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Input;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.govmedia.platform.RequestLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/staff}: admins manage staff; dispatchers and supervisors read the staff of their departments
 * (they assign cases to them); everyone reads their own record. Availability (on duty / away) is set by the member,
 * a head of one of their departments, or an admin.
 */
final class StaffRoutes {

  static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9_.-]{2,31}");

  private final StaffStore store;
  private final DepartmentStore departments;
  private final Function<Collection<String>, Future<Set<String>>> existingAccounts;
  private final Sessions sessions;
  private final Passwords passwords;
  private final StaffDirectory directory;
  private final AuditLog audit;
  private final Clock clock;

  public StaffRoutes(StaffStore store, DepartmentStore departments,
                     Function<Collection<String>, Future<Set<String>>> existingAccounts, Sessions sessions,
                     Passwords passwords, StaffDirectory directory, AuditLog audit, Clock clock) {
    this.store = store;
    this.directory = directory;
    this.departments = departments;
    this.existingAccounts = existingAccounts;
    this.sessions = sessions;
    this.passwords = passwords;
    this.audit = audit;
    this.clock = clock;
  }

  public Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.post("/").handler(this::create);
    router.get("/").handler(this::list);
    router.get("/:id").handler(this::get);
    router.patch("/:id").handler(this::update);
    router.put("/:id/availability").handler(this::setAvailability);
    return router;
  }

  private void create(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN);
    Input input = Input.of(ctx);
    String username = input.matching("username", USERNAME, "3 到 32 位小写字母、数字或 _ . -，以字母开头");
    String displayName = input.string("displayName", 64);
    String password = input.password("password");
    Set<Role> roles = roles(input, true);
    List<String> departmentIds = input.strings("departmentIds", 50, Ids.FORMAT);
    List<String> accountIds = input.strings("accountIds", 200, Ids.FORMAT);
    List<String> headOf = input.strings("headOf", 50, Ids.FORMAT);
    input.validate();
    requireHeadsWithin(headOf, departmentIds);
    Passwords.requireStrong("password", password);
    var now = clock.instant();
    checkReferences(departmentIds, accountIds)
      .compose(ok -> passwords.hash(password))
      .map(hash -> new Staff(Ids.newId(), username, displayName, hash, roles, departmentIds, accountIds, headOf,
        false, true, now, now, 1))
      .compose(store::insert)
      .compose(created -> directory.changed().map(created))
      .compose(created -> audit.append(principal.actor(), "staff.create", "staff", created.id(), null,
        created.auditSummary(), RequestLog.id(ctx)).map(created))
      .onSuccess(created -> Reply.created(ctx, created.toJson()))
      .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN, Role.DISPATCHER, Role.SUPERVISOR);
    Page page = Page.of(ctx);
    String text = searchText(ctx);
    visibleDepartments(principal)
      .compose(scope -> store.list(page, scope, text))
      .onSuccess(items -> Reply.ok(ctx, page.answer(items, Staff::toJson, Staff::id)))
      .onFailure(ctx::fail);
  }

  /** The optional {@code q} of a list: part of a username or display name. */
  private static String searchText(RoutingContext ctx) {
    String q = ctx.request().getParam("q");
    if (q == null || q.isBlank()) {
      return null;
    }
    if (q.length() > 64) {
      throw Problem.badRequest("invalid-parameter", "查询参数有误", "q 至多 64 个字符。");
    }
    return q.strip();
  }

  private void get(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    load(ctx.pathParam("id"))
      .compose(member -> canSee(principal, member).compose(visible -> visible
        ? Future.succeededFuture(member)
        : Future.failedFuture(Problem.forbidden("只能查看本人或本部门人员。"))))
      .onSuccess(member -> Reply.ok(ctx, member.toJson()))
      .onFailure(ctx::fail);
  }

  /** The fields a PATCH may change; null means unchanged. */
  private record Changes(String displayName, Set<Role> roles, List<String> departmentIds, List<String> accountIds,
                         List<String> headOf, Boolean disabled, String password) {

    static Changes read(RoutingContext ctx) {
      Input input = Input.of(ctx);
      Changes changes = new Changes(input.optionalString("displayName", 64),
        input.has("roles") ? StaffRoutes.roles(input, true) : null,
        input.has("departmentIds") ? input.strings("departmentIds", 50, Ids.FORMAT) : null,
        input.has("accountIds") ? input.strings("accountIds", 200, Ids.FORMAT) : null,
        input.has("headOf") ? input.strings("headOf", 50, Ids.FORMAT) : null,
        input.optionalBoolean("disabled"),
        input.has("password") ? input.password("password") : null);
      input.validate();
      if (changes.password != null) {
        Passwords.requireStrong("password", changes.password);
      }
      return changes;
    }

    Staff applyTo(Staff s, String passwordHash, java.time.Instant now) {
      return new Staff(s.id(), s.username(), displayName == null ? s.displayName() : displayName, passwordHash,
        roles == null ? s.roles() : roles, departmentIds == null ? s.departmentIds() : departmentIds,
        accountIds == null ? s.accountIds() : accountIds, headOf == null ? s.headOf() : headOf,
        disabled == null ? s.disabled() : disabled, s.available(), s.createdAt(), now, s.version() + 1);
    }
  }

  private void update(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN);
    Changes changes = Changes.read(ctx);
    Long expected = Input.ifMatch(ctx);
    String id = ctx.pathParam("id");
    if (id.equals(principal.staffId()) && (Boolean.TRUE.equals(changes.disabled)
      || changes.roles != null && !changes.roles.contains(Role.ADMIN))) {
      throw Problem.conflict("self-lockout", "不能停用自己或取消自己的管理员角色", "请由另一位管理员操作。");
    }
    load(id)
      .compose(before -> {
        Input.requireVersion(expected, before.version());
        return Future.succeededFuture(before);
      })
      .compose(before -> checkReferences(orEmpty(changes.departmentIds), orEmpty(changes.accountIds))
        .compose(ok -> changes.password == null ? Future.succeededFuture(before.passwordHash()) : passwords.hash(changes.password))
        .map(hash -> changes.applyTo(before, hash, clock.instant()))
        .compose(after -> {
          requireHeadsWithin(after.headOf(), after.departmentIds());
          return endSessionsIfNeeded(after, changes).compose(v -> store.replace(before, after));
        })
        .compose(after -> keepAnAdmin(before, after))
        .compose(after -> directory.changed().map(after))
        .onSuccess(after -> {
          if (takesCases(before) && !takesCases(after)) {
            directory.wentAway(after.id());
          }
        })
        .compose(after -> audit.append(principal.actor(), "staff.update", "staff", after.id(), before.auditSummary(),
          after.auditSummary().put("passwordReset", changes.password != null), RequestLog.id(ctx)).map(after)))
      .onSuccess(after -> Reply.ok(ctx, after.toJson()))
      .onFailure(ctx::fail);
  }

  /** Disabling a member or resetting a password ends their sessions, before the change is saved. */
  private Future<Void> endSessionsIfNeeded(Staff after, Changes changes) {
    return after.disabled() || changes.password != null
      ? sessions.revokeAll(after.id(), "staff-updated")
      : Future.succeededFuture();
  }

  /**
   * Never leaves the office without an active administrator. Two admins demoting each other at once would
   * both pass a check made before writing, so the count is taken after: whoever finds none puts its change back.
   */
  private Future<Staff> keepAnAdmin(Staff before, Staff after) {
    boolean wasAdmin = before.roles().contains(Role.ADMIN) && !before.disabled();
    boolean isAdmin = after.roles().contains(Role.ADMIN) && !after.disabled();
    if (!wasAdmin || isAdmin) {
      return Future.succeededFuture(after);
    }
    return store.countActiveAdmins().compose(count -> count > 0
      ? Future.succeededFuture(after)
      : store.replace(after, before.withPassword(after.passwordHash(), clock.instant()).withVersion(after.version() + 1))
        .transform(undone -> Future.failedFuture(Problem.conflict("last-admin", "不能停用或降级最后一位管理员",
          "请先指定另一位管理员。"))));
  }

  private void setAvailability(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    Input input = Input.of(ctx);
    Boolean available = input.optionalBoolean("available");
    input.validate();
    if (available == null) {
      throw Problem.invalidFields(new JsonArray().add(new JsonObject().put("field", "available").put("message", "必填")));
    }
    load(ctx.pathParam("id"))
      .compose(member -> mayChangeAvailability(principal, member)
        ? store.setAvailable(member.id(), available, clock.instant())
        : Future.failedFuture(Problem.forbidden("只能设置本人的值班状态；部门负责人可设置本部门人员的，管理员可设置所有人的。")))
      .compose(changedFrom -> changedFrom == null ? Future.succeededFuture() : availabilityChanged(ctx, principal, changedFrom))
      .compose(v -> load(ctx.pathParam("id")))
      .onSuccess(member -> Reply.ok(ctx, member.toJson()))
      .onFailure(ctx::fail);
  }

  /** An on-duty replier: disabling them or taking the role away is, for their open cases, like going away. */
  private static boolean takesCases(Staff member) {
    return member.available() && !member.disabled() && member.roles().contains(Role.REPLIER);
  }

  private static boolean mayChangeAvailability(Principal principal, Staff member) {
    return principal.isAdmin() || principal.staffId().equals(member.id()) || principal.headsAnyOf(member.departmentIds());
  }

  /** Audited; the directory shows it before the answer; listeners hear of a going-away after that. */
  private Future<Void> availabilityChanged(RoutingContext ctx, Principal principal, Staff before) {
    boolean available = !before.available();
    return audit.append(principal.actor(), "staff.availability", "staff", before.id(),
        new JsonObject().put("available", before.available()), new JsonObject().put("available", available),
        RequestLog.id(ctx))
      .compose(v -> directory.changed())
      .onSuccess(v -> {
        if (!available) {
          directory.wentAway(before.id());
        }
      });
  }

  /** A member heads only departments they belong to. */
  private static void requireHeadsWithin(List<String> headOf, List<String> departmentIds) {
    List<String> outside = headOf.stream().filter(id -> !departmentIds.contains(id)).toList();
    if (!outside.isEmpty()) {
      throw Problem.invalidFields(new JsonArray().add(new JsonObject().put("field", "headOf")
        .put("message", "只能是本人所属部门（departmentIds）中的部门：" + String.join("、", outside))));
    }
  }

  private static Set<Role> roles(Input input, boolean required) {
    List<String> names = input.strings("roles", 6, Pattern.compile("[a-z]{1,32}"));
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String name : names) {
      Role.parse(name).ifPresentOrElse(roles::add,
        () -> input.error("roles", "未知角色 " + name + "，可选：" + String.join("、", Role.NAMES.stream().sorted().toList())));
    }
    if (required && names.isEmpty()) {
      input.error("roles", "至少需要一个角色");
    }
    return Set.copyOf(roles);
  }

  private Future<Void> checkReferences(List<String> departmentIds, List<String> accountIds) {
    Future<DepartmentTree> tree = departmentIds.isEmpty() ? Future.succeededFuture(null) : departments.tree();
    Future<Set<String>> accounts = accountIds.isEmpty() ? Future.succeededFuture(Set.of()) : existingAccounts.apply(accountIds);
    return Future.all(tree, accounts).compose(both -> {
      List<String> unknownDepartments = departmentIds.stream().filter(id -> !tree.result().contains(id)).toList();
      List<String> unknownAccounts = accountIds.stream().filter(id -> !accounts.result().contains(id)).toList();
      if (!unknownDepartments.isEmpty() || !unknownAccounts.isEmpty()) {
        return Future.failedFuture(Problem.badRequest("unknown-reference", "引用的部门或账号不存在", null)
          .with("departmentIds", unknownDepartments).with("accountIds", unknownAccounts));
      }
      return Future.succeededFuture();
    });
  }

  /** Null for admins (everyone); otherwise the principal's departments with everything below them. */
  private Future<Set<String>> visibleDepartments(Principal principal) {
    return principal.isAdmin()
      ? Future.succeededFuture(null)
      : departments.reach(principal);
  }

  private Future<Boolean> canSee(Principal principal, Staff member) {
    if (principal.isAdmin() || principal.staffId().equals(member.id())) {
      return Future.succeededFuture(true);
    }
    if (!principal.hasAny(Role.DISPATCHER, Role.SUPERVISOR)) {
      return Future.succeededFuture(false);
    }
    return visibleDepartments(principal).map(scope -> member.departmentIds().stream().anyMatch(scope::contains));
  }

  private Future<Staff> load(String id) {
    return Ids.lookup(id, store::find, "人员");
  }

  private static List<String> orEmpty(List<String> ids) {
    return ids == null ? List.of() : ids;
  }
}
