package io.govmedia.inbox;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountStore;
import io.govmedia.platform.Config;
import io.govmedia.platform.Redis;
import io.govmedia.platform.Secrets;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.govmedia.wechat.WeChatGateway;
import io.govmedia.weibo.WeiboClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The inbox's channel parts as another server instance builds them, on the shared server's stores and the shared
 * fakes: accounts registered through the API, a WeChat gateway and a Weibo client of the test's own, and an intake
 * stand-in that records what the pollers hand over (the cases part builds the real one).
 */
final class ChannelFixtures {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static Vertx vertx;
  private static MongoClient mongo;
  private static Redis redis;
  private static AccountStore accounts;
  private static WeChatGateway gateway;
  private static WeiboClient weibo;

  /** A WeChat official account: its id and AppID. */
  record WeChatAccount(String id, String appId) {}

  /** A Weibo account whose token the fake Weibo knows. */
  record WeiboAccount(String id, String uid, String token) {}

  /** Records every message handed over, in order, and accepts it (as a case intake would, idempotently). */
  static final class RecordingIntake implements CaseIntake {
    final List<Incoming> accepted = new CopyOnWriteArrayList<>();

    @Override
    public Future<Accepted> accept(Incoming incoming) {
      accepted.add(incoming);
      return Future.succeededFuture(new Accepted("case-" + accepted.size(), "2026-" + accepted.size(), false));
    }

    List<String> texts() {
      return accepted.stream().map(Incoming::text).toList();
    }
  }

  private ChannelFixtures() {
  }

  static synchronized void open() {
    if (vertx != null) {
      return;
    }
    TestServer server = TestServer.get();
    vertx = Vertx.vertx();
    mongo = MongoClients.create(server.mongoUri());
    redis = Redis.connect(server.redisUri());
    accounts = new AccountStore(db(), Secrets.fromConfig(Optional.empty(), server.dataDir()));
    gateway = new WeChatGateway(vertx, new Config.WeChat(server.wechat().baseUrl(), 4, 2, Duration.ofSeconds(10)), redis,
      accounts);
    weibo = new WeiboClient(vertx, server.weibo().baseUrl(), Duration.ofSeconds(10));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      redis.close();
      mongo.close();
      vertx.close();
    }));
  }

  static MongoDatabase db() {
    return mongo.getDatabase("govmedia_test");
  }

  static Redis redis() {
    return redis;
  }

  static AccountStore accounts() {
    return accounts;
  }

  static WeiboClient weibo() {
    return weibo;
  }

  static ChannelDeliveries deliveries(Map<String, Config.WeChatTemplate> templates, Clock clock) {
    return new ChannelDeliveries(accounts, gateway, weibo, templates, "https://" + TestServer.PUBLIC_HOST, clock);
  }

  /** Every poller as InboxFeature wires them, handing over to {@code intake}, as one instance. */
  static Pollers pollers(CaseIntake intake, Clock clock) {
    PollerCursors cursors = new PollerCursors(db(), clock);
    Duration lookBack = Duration.ofDays(7);
    return new Pollers(accounts, new PollerGuard(redis, clock), List.of(
      new WeiboPoller(WeiboPoller.Feed.COMMENTS, weibo, accounts, cursors, intake, lookBack, clock),
      new WeiboPoller(WeiboPoller.Feed.MENTIONS, weibo, accounts, cursors, intake, lookBack, clock),
      new ArticleCommentPoller(gateway, db(), cursors, intake, lookBack, clock)));
  }

  static WeChatAccount wechatAccount(Client client, String admin) {
    String appId = "wx" + chars("0123456789abcdef", 16);
    String secret = "Sec" + chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 29);
    Client.Response created = client.post("/api/v1/accounts", admin, new JsonObject().put("type", "wechat_mp")
      .put("name", "公众号-" + Client.unique()).put("departmentId", client.department(admin, "信访", null))
      .put("kind", "service").put("appId", appId).put("originalId", "gh_" + chars("0123456789abcdef", 12))
      .put("appSecret", secret).put("token", "Tok" + chars("abcdefghijklmnopqrstuvwxyz", 17))
      .put("callbackMode", "plain"));
    if (created.status() != 201) {
      throw new AssertionError("account creation failed: " + created);
    }
    TestServer.get().wechat().app(appId, secret);
    return new WeChatAccount(created.json().getString("id"), appId);
  }

  static WeiboAccount weiboAccount(Client client, String admin) {
    String uid = digits(10);
    String token = "2.00" + chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 28);
    Client.Response created = client.post("/api/v1/accounts", admin, new JsonObject().put("type", "weibo")
      .put("name", "微博-" + Client.unique()).put("departmentId", client.department(admin, "网信", null))
      .put("appKey", digits(10)).put("uid", uid).put("appSecret", "Sec" + digits(29)).put("accessToken", token)
      .put("tokenExpiresAt", "2030-06-30T12:00:00+08:00"));
    if (created.status() != 201) {
      throw new AssertionError("account creation failed: " + created);
    }
    TestServer.get().weibo().token(token, uid, Duration.ofDays(30).toSeconds());
    return new WeiboAccount(created.json().getString("id"), uid, token);
  }

  static Account account(String id) {
    return await(accounts.find(id));
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer in time", e);
    }
  }

  static String openid() {
    return "o" + chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", 27);
  }

  static String digits(int length) {
    return chars("123456789", 1) + chars("0123456789", length - 1);
  }

  private static String chars(String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}
