package io.govmedia.citizen;

import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.api.impl.WxMaServiceImpl;
import cn.binarywang.wx.miniapp.config.WxMaConfig;
import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountStore;
import io.govmedia.accounts.AccountType;
import io.govmedia.platform.Config;
import io.govmedia.platform.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import me.chanjar.weixin.common.enums.WxType;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.common.util.http.RequestExecutor;
import me.chanjar.weixin.common.util.http.apache.ApacheHttpClientBuilder;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;

/**
 * WeChat's mini-program API: one WxJava service per mini-program account (its AppID and sealed AppSecret), on a
 * worker pool of its own, through the WeChat gateway's HTTP pool. Each instance keeps its own stable access token
 * (the stable token is the same for every instance while valid, so none invalidates another's). A call is tried
 * once, and once more after a refused token; every other failure is left to the caller, who knows what it means
 * (a sign-in refuses, a content check holds the text for staff).
 */
final class MiniappServices implements AutoCloseable {

  static final String WORKER_POOL = "govmedia-wechat-miniapp";
  private static final Set<Integer> TOKEN_ERRORS = Set.of(40001, 40014, 42001);

  /** One call to WeChat through a ready service; runs on a worker thread, so it may block. */
  @FunctionalInterface
  interface MaCall<T> {
    T apply(WxMaService wx) throws WxErrorException;
  }

  private record Cached(String sealedSecret, WxMaService service) {}

  private final WorkerExecutor workers;
  private final AccountStore accounts;
  private final ApacheHttpClientBuilder http;
  private final String apiBase;
  private final Map<String, Cached> services = new ConcurrentHashMap<>();

  MiniappServices(Vertx vertx, Config.WeChat config, AccountStore accounts, ApacheHttpClientBuilder http) {
    this.workers = vertx.createSharedWorkerExecutor(WORKER_POOL, config.workerThreads());
    this.accounts = accounts;
    this.http = http;
    this.apiBase = config.apiBase();
  }

  /** The active mini-program account of that id, or null (unknown, closed, suspended, or not a mini-program). */
  Future<Account> account(String accountId) {
    return accounts.find(accountId).map(account -> usable(account) ? account : null);
  }

  /**
   * The account a sign-in is for: the one with {@code appId}, or without it the only active mini-program account.
   * 400 {@code unknown-app} for an AppID no active account has; 400 {@code app-id-required} when several could be meant.
   */
  Future<Account> forSignIn(String appId) {
    return accounts.ofType(AccountType.WECHAT_MINIAPP).map(all -> {
      List<Account> active = all.stream().filter(MiniappServices::usable).toList();
      if (appId != null) {
        return active.stream().filter(a -> a.appId().equals(appId)).findFirst().orElseThrow(MiniappServices::unknownApp);
      }
      if (active.size() > 1) {
        throw Problem.badRequest("app-id-required", "请指定小程序 appId", "本单位登记了多个小程序，登录时须提供 appId。");
      }
      return active.stream().findFirst().orElseThrow(MiniappServices::unknownApp);
    });
  }

  /** Runs the call for the account on the mini-program worker pool. */
  <T> Future<T> call(Account account, MaCall<T> call) {
    return workers.executeBlocking(() -> {
      WxMaService service = service(account);
      try {
        return call.apply(service);
      } catch (WxErrorException e) {
        if (!TOKEN_ERRORS.contains(e.getError().getErrorCode())) {
          throw e;
        }
        return call.apply(service);  // the refused token was expired in the service: this fetches the current one
      }
    }, false);
  }

  /** WeChat's error code of a failed call, or null when WeChat was not reached or did not answer. */
  static Integer errcode(Throwable failure) {
    if (failure instanceof WxErrorException wx && wx.getError() != null && wx.getError().getErrorCode() != 0
      && !(wx.getCause() instanceof IOException)) {
      return wx.getError().getErrorCode();
    }
    return null;
  }

  private static boolean usable(Account account) {
    return account != null && account.type() == AccountType.WECHAT_MINIAPP && account.status() == Account.Status.ACTIVE;
  }

  private static Problem unknownApp() {
    return Problem.badRequest("unknown-app", "未登记的小程序", "该 appId 不是本单位登记的小程序。");
  }

  /** The account's service, built on first use and rebuilt when its sealed AppSecret changed. Worker thread only. */
  private WxMaService service(Account account) {
    String sealed = account.sealedSecrets().get("appSecret");
    if (sealed == null) {
      throw Problem.conflict("miniapp-not-configured", "小程序未配置 AppSecret", "请管理员在账号设置中填写 AppSecret。");
    }
    return services.compute(account.appId(), (appId, current) ->
      current != null && current.sealedSecret().equals(sealed) ? current : new Cached(sealed, build(account))).service();
  }

  private WxMaService build(Account account) {
    WxMaDefaultConfigImpl config = new WxMaDefaultConfigImpl();
    config.setAppid(account.appId());
    config.setSecret(accounts.secret(account, "appSecret"));
    config.useStableAccessToken(true);
    config.setApiHostUrl(apiBase);  // a forward proxy (or a test fake) stands in for all of WeChat
    config.setApacheHttpClientBuilder(http);
    WxMaService service = new SingleAttemptService();
    service.setWxMaConfig(config);  // one config per service: WxJava's switchover ThreadLocal is never consulted
    service.setMaxRetryTimes(0);
    return service;
  }

  /**
   * One attempt per request, {@link #call} deciding what follows. WxJava's own loop sleeps on -1 and logs failed
   * requests with their URL, access token, openids and (for jscode2session) the AppSecret; and it puts an access
   * token on jscode2session, which takes none, so a sign-in would wait for a token fetch. What is kept: a refused
   * token is expired, but only if it still is the current one.
   */
  private static final class SingleAttemptService extends WxMaServiceImpl {

    /** Raw, as WxJava's HTTP client service extends its generic base raw (so only the erasure can be overridden). */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Object execute(RequestExecutor executor, String uri, Object data) throws WxErrorException {
      String url = uri.replace(WxMaConfig.DEFAULT_API_HOST_URL, getWxMaConfig().getEffectiveApiHostUrl());
      if (uri.equals(JSCODE_TO_SESSION_URL)) {
        return attempt(executor, url, data);
      }
      String token = getAccessToken(false);
      try {
        return attempt(executor, url + (url.contains("?") ? "&" : "?") + "access_token=" + token, data);
      } catch (WxErrorException e) {
        if (TOKEN_ERRORS.contains(e.getError().getErrorCode())) {
          expireIfCurrent(token);
        }
        throw e;
      }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Object attempt(RequestExecutor executor, String url, Object data) throws WxErrorException {
      try {
        return executor.execute(url, data, WxType.MiniApp);
      } catch (IOException e) {
        throw new WxErrorException(e);
      }
    }

    private void expireIfCurrent(String refused) {
      Lock lock = getWxMaConfig().getAccessTokenLock();
      lock.lock();
      try {
        if (refused.equals(getWxMaConfig().getAccessToken())) {
          getWxMaConfig().expireAccessToken();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  @Override
  public void close() {
    workers.close();
  }
}
