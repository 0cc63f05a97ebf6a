package io.govmedia.wechat;

import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountAccess;
import io.govmedia.accounts.AccountType;
import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Input;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.govmedia.platform.RequestLog;
import io.govmedia.wechat.AutoReplyRule.MatchType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * {@code /api/v1/accounts/{id}/auto-replies}: an official account's keyword rules, subscribe greeting and default
 * reply, and the acknowledgement for unmatched text. Admins and the editors scoped to the account change them;
 * whoever may read the account sees them. Every change takes effect on this instance at once and on the others
 * within {@link AutoReplies#TTL}.
 */
final class AutoReplyRoutes {

  static final int KEYWORD_MAX = 60;

  private final AutoReplyStore store;
  private final AutoReplies replies;
  private final AccountAccess access;
  private final AuditLog audit;
  private final Clock clock;

  public AutoReplyRoutes(AutoReplyStore store, AutoReplies replies, AccountAccess access, AuditLog audit, Clock clock) {
    this.store = store;
    this.replies = replies;
    this.access = access;
    this.audit = audit;
    this.clock = clock;
  }

  /** Mount on {@code /api/v1/accounts/:id/auto-replies*}, ahead of the accounts router. */
  public Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.post("/").handler(this::create);
    router.get("/").handler(this::list);
    router.get("/settings").handler(this::settings);
    router.put("/settings").handler(this::saveSettings);
    router.get("/:ruleId").handler(this::get);
    router.patch("/:ruleId").handler(this::update);
    router.delete("/:ruleId").handler(this::delete);
    return router;
  }

  // Rules

  private void create(RoutingContext ctx) {
    Principal principal = writer(ctx);
    Input input = Input.of(ctx);
    JsonObject body = ctx.body().asJsonObject();
    MatchType match = MatchType.parse(input.oneOf("match", MatchType.NAMES)).orElse(null);
    Draft draft = match == null ? null : Draft.read(input, body, match, true);
    input.validate();
    manageable(principal, ctx)
      .compose(account -> store.insert(draft.newRule(account.id(), match, clock.instant())))
      .compose(created -> changed(ctx, principal, "wechat.auto-reply.create", created.id(), null, created).map(created))
      .onSuccess(created -> Reply.created(ctx, created.toJson()))
      .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    Page page = Page.of(ctx);
    readable(ctx)
      .compose(account -> store.rules(account.id()))
      .map(rules -> page.answer(after(rules, page.cursor()), AutoReplyRule::toJson, AutoReplyRule::id))
      .onSuccess(answer -> Reply.ok(ctx, answer))
      .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    readable(ctx)
      .compose(account -> rule(account, ctx))
      .onSuccess(rule -> Reply.ok(ctx, rule.toJson()))
      .onFailure(ctx::fail);
  }

  private void update(RoutingContext ctx) {
    Principal principal = writer(ctx);
    Input input = Input.of(ctx);
    JsonObject body = ctx.body().asJsonObject();
    if (input.has("match")) {
      input.error("match", "匹配方式不可修改；如需更换，请新建规则");
    }
    input.validate();
    manageable(principal, ctx)
      .compose(account -> rule(account, ctx))
      .compose(before -> {
        Draft draft = Draft.read(input, body, before.match(), false);
        input.validate();
        return store.replace(before, draft.applyTo(before, clock.instant()))
          .compose(saved -> changed(ctx, principal, "wechat.auto-reply.update", saved.id(), before, saved).map(saved));
      })
      .onSuccess(saved -> Reply.ok(ctx, saved.toJson()))
      .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    Principal principal = writer(ctx);
    manageable(principal, ctx)
      .compose(account -> rule(account, ctx))
      .compose(rule -> store.delete(rule)
        .compose(deleted -> changed(ctx, principal, "wechat.auto-reply.delete", rule.id(), rule, null)))
      .onSuccess(done -> Reply.noContent(ctx))
      .onFailure(ctx::fail);
  }

  // The acknowledgement for unmatched text

  private void settings(RoutingContext ctx) {
    readable(ctx)
      .compose(account -> store.settings(account.id()))
      .onSuccess(settings -> Reply.ok(ctx, settings.toJson()))
      .onFailure(ctx::fail);
  }

  private void saveSettings(RoutingContext ctx) {
    Principal principal = writer(ctx);
    Input input = Input.of(ctx);
    JsonObject body = ctx.body().asJsonObject();
    String ackText = PassiveReplies.content(input, "ackText", body.getValue("ackText"));
    Boolean ackEnabled = input.optionalBoolean("ackEnabled");
    if (body.getValue("ackEnabled") == null) {
      input.error("ackEnabled", "必填");
    }
    input.validate();
    AutoReplyStore.Settings wanted = new AutoReplyStore.Settings(ackText, ackEnabled, clock.instant());
    manageable(principal, ctx)
      .compose(account -> replaceSettings(ctx, principal, account.id(), wanted))
      .onSuccess(saved -> Reply.ok(ctx, saved.toJson()))
      .onFailure(ctx::fail);
  }

  private Future<AutoReplyStore.Settings> replaceSettings(RoutingContext ctx, Principal principal, String accountId,
                                                          AutoReplyStore.Settings wanted) {
    return store.settings(accountId).compose(before -> store.saveSettings(accountId, wanted).compose(saved -> {
      replies.invalidate(accountId);
      return audit.append(principal.actor(), "wechat.auto-reply.settings.update", "wechat_auto_reply_settings",
        accountId, before.auditSummary(), saved.auditSummary(), RequestLog.id(ctx)).map(saved);
    }));
  }

  // Shared steps

  /** Only admins and editors ever change auto-replies; refuse the others before reading anything. */
  private static Principal writer(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN, Role.EDITOR);
    return principal;
  }

  private Future<Account> readable(RoutingContext ctx) {
    return access.readable(Principal.of(ctx), ctx.pathParam("id")).compose(AutoReplyRoutes::officialAccount);
  }

  private Future<Account> manageable(Principal principal, RoutingContext ctx) {
    return access.manageable(principal, ctx.pathParam("id")).compose(AutoReplyRoutes::officialAccount);
  }

  private static Future<Account> officialAccount(Account account) {
    return account.type() == AccountType.WECHAT_MP ? Future.succeededFuture(account)
      : Future.failedFuture(Problem.badRequest("not-wechat-mp", "该账号不是微信公众号", "自动回复只适用于微信公众号。"));
  }

  private Future<AutoReplyRule> rule(Account account, RoutingContext ctx) {
    return Ids.lookup(ctx.pathParam("ruleId"), id -> store.find(account.id(), id), "自动回复规则");
  }

  /** Drops the account's cached rules on this instance, then records the change. */
  private Future<AuditLog.Entry> changed(RoutingContext ctx, Principal principal, String action, String ruleId,
                                         AutoReplyRule before, AutoReplyRule after) {
    replies.invalidate((after == null ? before : after).accountId());
    return audit.append(principal.actor(), action, "wechat_auto_reply", ruleId,
      before == null ? null : before.auditSummary(), after == null ? null : after.auditSummary(), RequestLog.id(ctx));
  }

  /** The rules after the cursor's one: an account has at most a few hundred, all read in matching order. */
  private static List<AutoReplyRule> after(List<AutoReplyRule> rules, String cursor) {
    if (cursor == null) {
      return rules;
    }
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).id().equals(cursor)) {
        return rules.subList(i + 1, rules.size());
      }
    }
    throw Problem.badRequest("invalid-cursor", "分页游标无效", "该规则已不存在，请从第一页重新读取。");
  }

  /** What a create or an update says about a rule, checked for its match type. Null fields are not given. */
  private record Draft(String keyword, Integer priority, Boolean enabled, PassiveReplies.Stored reply) {

    static Draft read(Input input, JsonObject body, MatchType match, boolean creating) {
      String keyword = keyword(input, match, creating);
      Integer priority = priority(input, body.getValue("priority"));
      Boolean enabled = input.optionalBoolean("enabled");
      PassiveReplies.Stored reply = creating || input.has("reply")
        ? PassiveReplies.read(input, "reply", body.getValue("reply")) : null;
      return new Draft(keyword, priority, enabled, reply);
    }

    private static String keyword(Input input, MatchType match, boolean creating) {
      if (!match.hasKeyword()) {
        if (input.has("keyword")) {
          input.error("keyword", "关注回复和默认回复不设关键词");
        }
        return null;
      }
      int max = match == MatchType.REGEX ? AutoReplies.REGEX_MAX_LENGTH : KEYWORD_MAX;
      String keyword = creating ? input.string("keyword", max) : input.optionalString("keyword", max);
      String problem = keyword != null && match == MatchType.REGEX ? AutoReplies.regexProblem(keyword) : null;
      if (problem != null) {
        input.error("keyword", problem);
        return null;
      }
      return keyword;
    }

    private static Integer priority(Input input, Object value) {
      if (value == null) {
        return null;
      }
      if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 0
        && ((Number) value).longValue() <= AutoReplyRule.MAX_PRIORITY) {
        return ((Number) value).intValue();
      }
      input.error("priority", "应为 0 到 " + AutoReplyRule.MAX_PRIORITY + " 之间的整数，数字越小越先匹配");
      return null;
    }

    AutoReplyRule newRule(String accountId, MatchType match, Instant now) {
      return new AutoReplyRule(Ids.newId(), accountId, match, keyword,
        priority == null ? AutoReplyRule.DEFAULT_PRIORITY : priority, enabled == null || enabled, reply, now, now, 1);
    }

    AutoReplyRule applyTo(AutoReplyRule before, Instant now) {
      return new AutoReplyRule(before.id(), before.accountId(), before.match(),
        keyword == null ? before.keyword() : keyword, priority == null ? before.priority() : priority,
        enabled == null ? before.enabled() : enabled, reply == null ? before.reply() : reply,
        before.createdAt(), now, before.version() + 1);
    }
  }
}
