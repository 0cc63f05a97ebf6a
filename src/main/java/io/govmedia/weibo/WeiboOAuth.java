package io.govmedia.weibo;

import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountStore;
import io.govmedia.accounts.AccountType;
import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Failures;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.govmedia.platform.RequestLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Binds a Weibo account's token through Weibo's OAuth: an admin asks for the authorization URL, signs in to Weibo
 * as the account, and Weibo redirects the browser to {@code /weibo/oauth/callback}, where the code is exchanged,
 * the token sealed and stored, and the change audited in the admin's name.
 */
final class WeiboOAuth {

  private static final Logger log = LoggerFactory.getLogger(WeiboOAuth.class);
  static final String CALLBACK_PATH = "/weibo/oauth/callback";
  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  private final AccountStore accounts;
  private final WeiboClient client;
  private final WeiboOAuthStates states;
  private final AuditLog audit;
  private final Clock clock;
  private final String redirectUri;

  WeiboOAuth(AccountStore accounts, WeiboClient client, WeiboOAuthStates states, AuditLog audit, Clock clock,
             String publicBaseUrl) {
    this.accounts = accounts;
    this.client = client;
    this.states = states;
    this.audit = audit;
    this.clock = clock;
    this.redirectUri = publicBaseUrl + CALLBACK_PATH;
  }

  /** Mounted on {@code /api/v1/accounts*}. */
  Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.post("/:id/weibo/authorize").handler(this::authorize);
    return router;
  }

  private void authorize(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN);
    Ids.lookup(ctx.pathParam("id"), accounts::find, "账号")
      .compose(WeiboOAuth::weiboApp)
      .compose(account -> states.issue(account.id(), principal.actor())
        .map(state -> client.authorizeUrl(account.appKey(), redirectUri, state)))
      .onSuccess(url -> Reply.ok(ctx, new JsonObject().put("url", url)
        .put("expiresInSeconds", WeiboOAuthStates.TTL.toSeconds())))
      .onFailure(ctx::fail);
  }

  /** Weibo's redirect: the state is the credential, the page is for the admin's browser. */
  void callback(RoutingContext ctx) {
    String code = ctx.request().getParam("code");
    states.take(ctx.request().getParam("state"))
      .compose(binding -> binding == null
        ? Future.failedFuture(page(400, "授权链接无效或已使用", "该授权链接无效、已使用或已过期（10 分钟内有效）。请回到系统重新发起授权。"))
        : bind(binding, code, RequestLog.id(ctx)))
      .onSuccess(account -> WeiboPages.reply(ctx, 200, "授权成功", "微博账号「" + account.name() + "」授权成功，可以关闭此页面。"))
      .onFailure(failure -> failed(ctx, failure));
  }

  private Future<Account> bind(WeiboOAuthStates.Binding binding, String code, String requestId) {
    if (code == null || !CODE.matcher(code).matches()) {
      return Future.failedFuture(page(400, "授权未完成", "微博未返回授权码（可能已取消授权）。请回到系统重新发起授权。"));
    }
    return accounts.find(binding.accountId())
      .compose(account -> account == null || account.type() != AccountType.WEIBO
        ? Future.failedFuture(page(400, "账号不存在", "要授权的微博账号已不存在。")) : Future.succeededFuture(account))
      .compose(account -> exchange(account, code)
        .compose(grant -> store(account, grant))
        .compose(saved -> audit.append(binding.admin(), "account.weibo-authorize", "account", saved.id(),
          account.toJson(), saved.toJson(), requestId).map(saved)));
  }

  private Future<WeiboClient.Grant> exchange(Account account, String code) {
    return client.accessToken(account.appKey(), accounts.secret(account, "appSecret"), code, redirectUri)
      .recover(failure -> Future.failedFuture(failure instanceof WeiboException weibo
        ? page(502, "微博授权失败", weibo.getMessage() + "。请稍后回到系统重新发起授权。") : failure))
      .compose(grant -> account.uid() == null || account.uid().equals(grant.uid()) ? Future.succeededFuture(grant)
        : Future.failedFuture(page(409, "授权的微博账号不符", "该账号登记的微博 uid 为 " + account.uid() + "，而授权的是 "
          + grant.uid() + "。请在微博登录正确的账号后重新发起授权。")));
  }

  private Future<Account> store(Account account, WeiboClient.Grant grant) {
    Instant issuedAt = clock.instant();
    return accounts.bindWeiboToken(account, grant.accessToken(), grant.uid(), issuedAt,
      issuedAt.plus(grant.expiresIn()));
  }

  private static Future<Account> weiboApp(Account account) {
    if (account.type() != AccountType.WEIBO) {
      return Future.failedFuture(Problem.badRequest("not-weibo", "该账号不是微博账号", null));
    }
    if (account.appKey() == null || !account.sealedSecrets().containsKey("appSecret")) {
      return Future.failedFuture(Problem.conflict("weibo-app-missing", "该微博账号未设置 App Key 或 App Secret",
        "请先在账号设置中填写微博开放平台应用的 appKey 和 appSecret。"));
    }
    return Future.succeededFuture(account);
  }

  private static Problem page(int status, String title, String detail) {
    return new Problem(status, "weibo-oauth", title, detail);
  }

  private static void failed(RoutingContext ctx, Throwable failure) {
    if (failure instanceof Problem problem) {
      WeiboPages.reply(ctx, problem.status(), problem.title(), Objects.requireNonNullElse(problem.getMessage(), ""));
    } else if (Failures.isStoreUnavailable(failure)) {
      WeiboPages.reply(ctx, 503, "服务暂时不可用", "请稍后回到系统重新发起授权。");
    } else {
      log.error("{} Weibo OAuth callback failed", RequestLog.id(ctx), failure);
      WeiboPages.reply(ctx, 500, "授权失败", "服务器内部错误。请稍后回到系统重新发起授权。");
    }
  }
}
