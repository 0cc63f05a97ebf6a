package io.govmedia.inbox;

import io.govmedia.accounts.AccountStore;
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
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/routing-rules}: admins write the rules that send cases to departments; dispatchers, supervisors and
 * admins read them. Every write is audited and reaches routing on every instance within moments.
 */
final class RoutingRuleRoutes {

  /** 1 to 20 characters, no control characters, no blank at either end. */
  private static final Pattern KEYWORD = Pattern.compile("[^\\s\\p{Cntrl}](?:[^\\p{Cntrl}]{0,18}[^\\s\\p{Cntrl}])?");
  private static final int MAX_PRIORITY = 9999;

  private final RoutingRuleStore store;
  private final RoutingRules routing;
  private final DepartmentStore departments;
  private final AccountStore accounts;
  private final AuditLog audit;
  private final Clock clock;

  RoutingRuleRoutes(RoutingRuleStore store, RoutingRules routing, DepartmentStore departments, AccountStore accounts,
                    AuditLog audit, Clock clock) {
    this.store = store;
    this.routing = routing;
    this.departments = departments;
    this.accounts = accounts;
    this.audit = audit;
    this.clock = clock;
  }

  Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.post("/").handler(this::create);
    router.get("/").handler(this::list);
    router.get("/:id").handler(this::get);
    router.put("/:id").handler(this::replace);
    router.delete("/:id").handler(this::delete);
    return router;
  }

  private void create(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN);
    RoutingRule.Fields fields = fields(ctx);
    if (routing.size() >= RoutingRuleStore.MAX_RULES) {
      throw Problem.conflict("too-many-rules", "分拨规则数量已达上限", "最多 " + RoutingRuleStore.MAX_RULES + " 条，请先合并或删除。");
    }
    checkReferences(fields)
      .compose(ok -> store.insert(fields.created(Ids.newId(), clock.instant())))
      .compose(created -> audit.append(principal.actor(), "routing-rule.create", "routing-rule", created.id(), null,
        created.auditSummary(), RequestLog.id(ctx)).map(created))
      .compose(created -> routing.changed().map(created))
      .onSuccess(created -> Reply.created(ctx, created.toJson()))
      .onFailure(ctx::fail);
  }

  /** In the order rules are tried; the cursor is the number of rules already listed. */
  private void list(RoutingContext ctx) {
    Principal.of(ctx).require(Role.ADMIN, Role.DISPATCHER, Role.SUPERVISOR);
    Page page = Page.of(ctx, cursor -> cursor.matches("[0-9]{1,4}"));
    int offset = page.cursor() == null ? 0 : Integer.parseInt(page.cursor());
    store.all()
      .onSuccess(all -> {
        List<RoutingRule> items = all.subList(Math.min(offset, all.size()), Math.min(offset + page.limit(), all.size()));
        JsonArray array = new JsonArray();
        items.forEach(rule -> array.add(rule.toJson()));
        String next = offset + page.limit() < all.size() ? String.valueOf(offset + page.limit()) : null;
        Reply.ok(ctx, new JsonObject().put("items", array).put("next", next));
      })
      .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    Principal.of(ctx).require(Role.ADMIN, Role.DISPATCHER, Role.SUPERVISOR);
    load(ctx.pathParam("id"))
      .onSuccess(rule -> Reply.ok(ctx, rule.toJson()))
      .onFailure(ctx::fail);
  }

  /** Replaces the whole rule (the body is the same as a create's); If-Match refuses an edit of a stale version. */
  private void replace(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN);
    RoutingRule.Fields fields = fields(ctx);
    Long expected = Input.ifMatch(ctx);
    load(ctx.pathParam("id"))
      .compose(before -> {
        Input.requireVersion(expected, before.version());
        return checkReferences(fields)
          .compose(ok -> store.replace(before, fields.replacing(before, clock.instant())))
          .compose(after -> audit.append(principal.actor(), "routing-rule.update", "routing-rule", after.id(),
            before.auditSummary(), after.auditSummary(), RequestLog.id(ctx)).map(after));
      })
      .compose(after -> routing.changed().map(after))
      .onSuccess(after -> Reply.ok(ctx, after.toJson()))
      .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN);
    load(ctx.pathParam("id"))
      .compose(rule -> store.delete(rule.id()).compose(deleted -> deleted
        ? audit.append(principal.actor(), "routing-rule.delete", "routing-rule", rule.id(), rule.auditSummary(), null,
          RequestLog.id(ctx))
        : Future.failedFuture(Problem.notFound("分拨规则"))))
      .compose(v -> routing.changed())
      .onSuccess(v -> Reply.noContent(ctx))
      .onFailure(ctx::fail);
  }

  private static RoutingRule.Fields fields(RoutingContext ctx) {
    Input input = Input.of(ctx);
    String name = input.string("name", 50);
    Long priority = input.optionalLong("priority");
    List<String> keywords = input.strings("keywords", 50, KEYWORD);
    String category = input.optionalString("category", 64);
    String accountId = input.optionalMatching("accountId", Ids.FORMAT, "账号 id");
    String region = input.optionalString("region", 50);
    String departmentId = input.matching("departmentId", Ids.FORMAT, "部门 id");
    if (priority == null && !input.has("priority")) {
      input.error("priority", "必填");
    } else if (priority != null && (priority < 0 || priority > MAX_PRIORITY)) {
      input.error("priority", "应为 0 到 " + MAX_PRIORITY + " 之间的整数，数字小的先匹配");
    }
    Category parsed = category == null ? null : Category.parse(category).orElse(null);
    if (category != null && parsed == null) {
      input.error("category", "取值应为 " + String.join(" / ", Arrays.stream(Category.values()).map(Category::wire).toList())
        + " 之一");
    }
    if (keywords.isEmpty() && parsed == null && accountId == null && region == null) {
      input.error("keywords", "至少需要一个条件：keywords、category、accountId 或 region");
    }
    input.validate();
    return new RoutingRule.Fields(name, priority.intValue(), keywords, parsed, accountId, region, departmentId);
  }

  /** The department must exist, and the account when one is named. */
  private Future<Void> checkReferences(RoutingRule.Fields fields) {
    Future<Void> account = fields.accountId() == null ? Future.succeededFuture()
      : accounts.find(fields.accountId()).compose(found -> found == null
        ? Future.failedFuture(Problem.badRequest("unknown-account", "账号不存在", "accountId: " + fields.accountId()))
        : Future.succeededFuture());
    return account.compose(ok -> departments.requireExisting(fields.departmentId(), "departmentId", "部门不存在"));
  }

  private Future<RoutingRule> load(String id) {
    return Ids.lookup(id, store::find, "分拨规则");
  }
}
