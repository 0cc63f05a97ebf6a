package io.govmedia.citizen;

import cn.binarywang.wx.miniapp.bean.WxMaJscode2SessionResult;
import io.govmedia.accounts.Account;
import io.govmedia.platform.Input;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /mp/v1/session {"code", "appId"?}}: the mini-program's login code (wx.login) is exchanged with WeChat
 * (jscode2session) for the citizen's openid, unionid and session key; the answer is an opaque token for 7 days.
 * The session key is sealed in the session store, never answered, never logged.
 */
final class SessionRoutes {

  private static final Logger log = LoggerFactory.getLogger(SessionRoutes.class);
  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private static final Pattern APP_ID = Pattern.compile("wx[0-9a-f]{16}");
  /** WeChat's answers for a login code that is wrong, expired or already used. */
  private static final Set<Integer> BAD_CODE = Set.of(40029, 40163);

  private final MiniappServices miniapps;
  private final CitizenSessions sessions;
  private final SignInThrottle throttle;

  SessionRoutes(MiniappServices miniapps, CitizenSessions sessions, SignInThrottle throttle) {
    this.miniapps = miniapps;
    this.sessions = sessions;
    this.throttle = throttle;
  }

  void signIn(RoutingContext ctx) {
    String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
    throttle.attempt(address)
      .compose(open -> {
        Input input = Input.of(ctx);
        String code = input.matching("code", CODE, "小程序 wx.login 得到的 code");
        String appId = input.optionalMatching("appId", APP_ID, " wx 加 16 位十六进制字符");
        input.validate();
        return miniapps.forSignIn(appId).compose(account -> exchange(account, code)
          .compose(wx -> sessions.create(account.id(), account.appId(), wx.getOpenid(), wx.getUnionid(),
            wx.getSessionKey())));
      })
      .onSuccess(token -> {
        ctx.response().putHeader("Cache-Control", "no-store");
        Reply.ok(ctx, new JsonObject().put("token", token).put("expiresIn", CitizenSessions.LIFETIME.toSeconds()));
      })
      .onFailure(ctx::fail);
  }

  private Future<WxMaJscode2SessionResult> exchange(Account account, String code) {
    return miniapps.call(account, wx -> wx.getUserService().getSessionInfo(code))
      .compose(session -> session == null || session.getOpenid() == null || session.getOpenid().isEmpty()
        ? Future.failedFuture(new IllegalStateException("jscode2session answered no openid"))
        : Future.succeededFuture(session))
      .recover(failure -> Future.failedFuture(problem(account, failure)));
  }

  private static Throwable problem(Account account, Throwable failure) {
    if (failure instanceof Problem) {
      return failure;
    }
    Integer errcode = MiniappServices.errcode(failure);
    if (errcode != null && BAD_CODE.contains(errcode)) {
      return Problem.unauthorized("code-invalid", "登录凭证无效或已过期，请重新进入小程序");
    }
    if (errcode != null && errcode == 40226) {
      return new Problem(403, "sign-in-blocked", "微信已拦截本次登录", "微信判定该用户为高风险用户，暂时不能登录。");
    }
    log.warn("sign-in to mini-program account {} failed: {}", account.id(),
      errcode == null ? failure.getClass().getSimpleName() : "errcode " + errcode);
    return new Problem(503, "wechat-unavailable", "暂时无法连接微信，请稍后再试", null).with("retryAfterSeconds", 10);
  }
}
