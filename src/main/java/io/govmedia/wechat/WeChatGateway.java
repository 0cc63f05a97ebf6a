package io.govmedia.wechat;

import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountStore;
import io.govmedia.accounts.AccountType;
import io.govmedia.platform.Config;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Redis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import me.chanjar.weixin.common.error.WxError;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.common.error.WxRuntimeException;
import me.chanjar.weixin.common.enums.WxType;
import me.chanjar.weixin.common.util.http.RequestExecutor;
import me.chanjar.weixin.common.util.http.apache.ApacheHttpClientBuilder;
import me.chanjar.weixin.mp.api.WxMpService;
import me.chanjar.weixin.mp.api.impl.WxMpServiceImpl;
import me.chanjar.weixin.mp.config.WxMpConfigStorage;
import me.chanjar.weixin.mp.config.WxMpHostConfig;
import me.chanjar.weixin.mp.config.impl.WxMpRedisConfigImpl;
import org.apache.http.client.HttpRequestRetryHandler;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.conn.ConnectionKeepAliveStrategy;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * Every call to WeChat's official-account API goes through here: one WxJava service per AppID, all sharing one
 * stable access token per AppID in Redis (so instances never invalidate each other's), one sized HTTP pool, and
 * one named worker pool, so WxJava's blocking calls never run on an event loop. The retry policy is ours, not
 * WxJava's: a token error refreshes the token and retries once; "system busy" (-1) backs off twice; every other
 * WeChat error becomes a {@link Problem}. Nothing else is retried: a send whose outcome is unknown is never
 * repeated blindly.
 */
public final class WeChatGateway implements AutoCloseable {

  public static final String WORKER_POOL = "govmedia-wechat-api";
  private static final Logger log = LoggerFactory.getLogger(WeChatGateway.class);

  /** One call to WeChat through a ready service; runs on a worker thread, so it may block. */
  @FunctionalInterface
  public interface WxCall<T> {
    T apply(WxMpService wx) throws WxErrorException;
  }

  static final Set<Integer> TOKEN_ERRORS = Set.of(40001, 40014, 42001);
  static final int BUSY = -1;
  private static final long[] BUSY_BACKOFF_MILLIS = {200, 800};
  /** With the stable token a lapsed lock costs at most one extra, harmless token fetch. */
  private static final Duration LOCK_LEASE = Duration.ofSeconds(10);

  private record Cached(String sealedSecret, WxMpService service) {}

  private final WorkerExecutor workers;
  private final AccountStore accounts;
  private final LettuceWxRedisOps redisOps;
  private final String apiBase;
  private final CloseableHttpClient http;
  private final Map<String, Cached> services = new ConcurrentHashMap<>();

  public WeChatGateway(Vertx vertx, Config.WeChat config, Redis redis, AccountStore accounts) {
    this.workers = vertx.createSharedWorkerExecutor(WORKER_POOL, config.workerThreads());
    this.accounts = accounts;
    this.redisOps = new LettuceWxRedisOps(redis, LOCK_LEASE);
    this.apiBase = config.apiBase();
    this.http = httpClient(config.httpConnections(), (int) config.timeout().toMillis());
  }

  /** Runs the call for the account's AppID on the WeChat worker pool; WeChat's errors fail it as problems. */
  public <T> Future<T> call(Account account, WxCall<T> call) {
    return officialAccount(account).compose(mp -> workers.executeBlocking(() -> withRetries(service(mp), call), false));
  }

  /** The account, if it is an official account; else a 400 problem (menus, followers… are theirs only). */
  public static Future<Account> officialAccount(Account account) {
    return account.type() == AccountType.WECHAT_MP
      ? Future.succeededFuture(account)
      : Future.failedFuture(Problem.badRequest("not-wechat-mp", "该账号不是微信公众号", "此功能只适用于微信公众号。"));
  }

  /**
   * The gateway's one HTTP pool as WxJava wants it, for the other WxJava services that call WeChat (the
   * mini-program's): one sized, certificate-checking pool for all of WeChat.
   */
  public ApacheHttpClientBuilder httpClients() {
    return new SharedClient(http);
  }

  /** Drops the cached service of an AppID, e.g. after its AppSecret changed (a changed secret is also noticed by itself). */
  public void forget(String appId) {
    services.remove(appId);
  }

  private static <T> T withRetries(WxMpService wx, WxCall<T> call) throws InterruptedException {
    boolean tokenRefreshed = false;
    int busy = 0;
    while (true) {
      try {
        return call.apply(wx);
      } catch (WxErrorException e) {
        int code = e.getError().getErrorCode();
        if (TOKEN_ERRORS.contains(code) && !tokenRefreshed) {
          tokenRefreshed = true;  // the refused token is expired: the next attempt fetches the current one
        } else if (code == BUSY && busy < BUSY_BACKOFF_MILLIS.length) {
          Thread.sleep(BUSY_BACKOFF_MILLIS[busy++]);
        } else {
          throw problem(e);
        }
      } catch (WxRuntimeException e) {
        throw problem(e);
      }
    }
  }

  /**
   * The problem a client sees for a failed WeChat call. A network failure after the request may have been sent
   * says {@code outcomeUnknown}: whoever sends something must check before sending it again.
   */
  static Problem problem(Exception failure) {
    IOException io = ioCause(failure);
    if (io != null) {
      log.warn("WeChat API unreachable: {}", io.toString());
      return new Problem(502, "wechat-unreachable", "无法连接微信服务器", "请稍后重试；如持续出现，请检查服务器的网络或代理设置。")
        .with("outcomeUnknown", !neverSent(io));
    }
    if (!(failure instanceof WxErrorException wx)) {
      log.warn("WeChat call failed: {}", failure.toString());
      return new Problem(502, "wechat-error", "微信接口调用失败", "请稍后重试。");
    }
    WxError error = wx.getError();
    String raw = error.getErrorMsgEn() != null ? error.getErrorMsgEn() : error.getErrorMsg();
    Problem problem = switch (error.getErrorCode()) {
      case 45009 -> new Problem(429, "wechat-quota-exceeded", "微信接口今日调用次数已达上限", "请明日再试，或在公众号后台清零接口调用次数。");
      case 45011 -> new Problem(429, "wechat-rate-limited", "微信接口调用过于频繁", "请稍后重试。")
        .with("retryAfterSeconds", 60);
      case 40164 -> new Problem(502, "wechat-ip-not-whitelisted", "服务器 IP 不在公众号的 IP 白名单中",
        "请在公众号后台「设置与开发 → 基本配置」中把本服务器的出口 IP 加入白名单。");
      case BUSY -> new Problem(503, "wechat-busy", "微信系统繁忙", "已多次重试，请稍后再试。").with("retryAfterSeconds", 30);
      default -> new Problem(502, "wechat-error", "微信接口返回错误", error.getErrorMsg());
    };
    return problem.with("errcode", error.getErrorCode()).with("errmsg", raw);
  }

  private static IOException ioCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IOException io) {
        return io;
      }
    }
    return null;
  }

  /** No connection was made (or none was free in the pool), so WeChat never saw the request. */
  private static boolean neverSent(IOException failure) {
    return failure instanceof ConnectException || failure instanceof NoRouteToHostException
      || failure instanceof UnknownHostException || failure instanceof ConnectTimeoutException;
  }

  /** The account's service, built on first use and rebuilt when its sealed AppSecret changed. Worker thread only. */
  private WxMpService service(Account account) {
    String sealed = account.sealedSecrets().get("appSecret");
    if (sealed == null) {
      throw Problem.conflict("wechat-not-configured", "公众号未配置 AppSecret", "请管理员在账号设置中填写 AppSecret。");
    }
    Cached cached = services.compute(account.appId(), (appId, current) ->
      current != null && current.sealedSecret().equals(sealed) ? current : new Cached(sealed, build(account)));
    return cached.service();
  }

  private WxMpService build(Account account) {
    WxMpRedisConfigImpl storage = new WxMpRedisConfigImpl(redisOps, "mp");
    storage.setAppId(account.appId());
    storage.setSecret(accounts.secret(account, "appSecret"));
    storage.useStableAccessToken(true);
    // The mp and open hosts go to the same base: a forward proxy (or a test fake) stands in for all of WeChat.
    storage.setHostConfig(new WxMpHostConfig(apiBase, apiBase, apiBase));
    storage.setApacheHttpClientBuilder(new SharedClient(http));
    WxMpService service = new SingleAttemptService();
    service.setWxMpConfigStorage(storage);  // one config per service: WxJava's switchover ThreadLocal is never consulted
    service.setMaxRetryTimes(0);
    return service;
  }

  /**
   * One attempt per request, {@link #withRetries} deciding what follows. WxJava's own loop sleeps a second and
   * more on -1, then throws without the error code, and retries token errors by itself; and it logs failed
   * requests with their URL, access token and openids included. What is kept: a refused token is expired in the
   * shared store, but only if it still is the stored one (another instance may have stored a fresh one meanwhile).
   */
  private static final class SingleAttemptService extends WxMpServiceImpl {

    @Override
    public <T, E> T execute(RequestExecutor<T, E> executor, String uri, E data) throws WxErrorException {
      return executeInternal(executor, uri, data, true);
    }

    @Override
    protected <T, E> T executeInternal(RequestExecutor<T, E> executor, String uri, E data, boolean doNotAutoRefresh)
      throws WxErrorException {
      String token = getAccessToken(false);
      try {
        return executor.execute(uri + (uri.contains("?") ? "&" : "?") + "access_token=" + token, data, WxType.MP);
      } catch (WxErrorException e) {
        if (TOKEN_ERRORS.contains(e.getError().getErrorCode())) {
          expireIfStored(token);
        }
        throw e;
      } catch (IOException e) {
        throw new WxErrorException(e);
      }
    }

    private void expireIfStored(String refused) {
      WxMpConfigStorage storage = getWxMpConfigStorage();
      Lock lock = storage.getAccessTokenLock();
      lock.lock();
      try {
        if (refused.equals(storage.getAccessToken())) {
          storage.expireAccessToken();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * One pool for every AppID, sized by configuration, verifying TLS certificates (WxJava's default builder trusts
   * any) and retrying nothing itself. WxJava's default builder is a JVM-wide singleton with 10 connections per host.
   */
  private static CloseableHttpClient httpClient(int connections, int socketTimeoutMillis) {
    PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager();
    pool.setMaxTotal(connections);
    pool.setDefaultMaxPerRoute(connections);
    return HttpClients.custom()
      .setConnectionManager(pool)
      .setDefaultRequestConfig(RequestConfig.custom()
        .setConnectionRequestTimeout(3_000).setConnectTimeout(5_000).setSocketTimeout(socketTimeoutMillis).build())
      .disableAutomaticRetries()
      .evictExpiredConnections()
      .evictIdleConnections(60, TimeUnit.SECONDS)
      .setUserAgent("govmedia")
      .build();
  }

  /** Hands WxJava the gateway's one client; per-service proxy settings do not apply (set the API base instead). */
  private record SharedClient(CloseableHttpClient client) implements ApacheHttpClientBuilder {
    @Override
    public CloseableHttpClient build() {
      return client;
    }

    @Override
    public ApacheHttpClientBuilder httpProxyHost(String host) {
      return this;
    }

    @Override
    public ApacheHttpClientBuilder httpProxyPort(int port) {
      return this;
    }

    @Override
    public ApacheHttpClientBuilder httpProxyUsername(String username) {
      return this;
    }

    @Override
    public ApacheHttpClientBuilder httpProxyPassword(String password) {
      return this;
    }

    @Override
    public ApacheHttpClientBuilder httpRequestRetryHandler(HttpRequestRetryHandler handler) {
      return this;
    }

    @Override
    public ApacheHttpClientBuilder keepAliveStrategy(ConnectionKeepAliveStrategy strategy) {
      return this;
    }

    @Override
    public ApacheHttpClientBuilder sslConnectionSocketFactory(SSLConnectionSocketFactory factory) {
      return this;
    }

    @Override
    public ApacheHttpClientBuilder supportedProtocols(String[] protocols) {
      return this;
    }
  }

  @Override
  public void close() {
    workers.close();
    try {
      http.close();
    } catch (IOException e) {
      // closing idle connections only; nothing to recover
    }
  }
}
