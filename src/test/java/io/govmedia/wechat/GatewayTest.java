package io.govmedia.wechat;

import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountStore;
import io.govmedia.fakes.FakeWeChat;
import io.govmedia.platform.Config;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Redis;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import me.chanjar.weixin.mp.bean.result.WxMpUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import static io.govmedia.wechat.GatewayFixtures.await;
import static io.govmedia.wechat.GatewayFixtures.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WeChat gateway as two server instances run it: each its own Vert.x and Redis connection, both on the same
 * Redis and database, both calling a fake WeChat of this test's own (so scripted failures stay here).
 */
@DisplayName("The WeChat gateway")
class GatewayTest {

  static final String USER_INFO = "/cgi-bin/user/info";
  static final String MENU_CREATE = "/cgi-bin/menu/create";

  static FakeWeChat fake;
  static Vertx vertxA;
  static Vertx vertxB;
  static Redis redisA;
  static Redis redisB;
  static WeChatGateway gatewayA;
  static WeChatGateway gatewayB;
  static AccountStore accounts;
  static Client client;
  static String admin;
  static String department;

  Account account;
  String openid;

  @BeforeAll
  static void start() {
    TestServer server = TestServer.get();
    client = server.client();
    admin = client.adminToken();
    department = client.department(admin, "网信办", null);
    fake = FakeWeChat.start();
    accounts = GatewayFixtures.accountStore();
    vertxA = Vertx.vertx();
    vertxB = Vertx.vertx();
    redisA = Redis.connect(server.redisUri());
    redisB = Redis.connect(server.redisUri());
    gatewayA = new WeChatGateway(vertxA, new Config.WeChat(fake.baseUrl(), 4, 2, java.time.Duration.ofSeconds(10)), redisA, accounts);
    gatewayB = new WeChatGateway(vertxB, new Config.WeChat(fake.baseUrl(), 4, 2, java.time.Duration.ofSeconds(10)), redisB, accounts);
  }

  @AfterAll
  static void stop() throws Exception {
    gatewayA.close();
    gatewayB.close();
    redisA.close();
    redisB.close();
    vertxA.close().await(10, TimeUnit.SECONDS);
    vertxB.close().await(10, TimeUnit.SECONDS);
    fake.close();
  }

  /** Each test its own account, so token counts start from nothing; departments allow one account each. */
  @BeforeEach
  void register() {
    String own = client.department(admin, "网信办-" + Client.unique(), department);
    GatewayFixtures.Registered registered = GatewayFixtures.officialAccount(client, admin, own, fake);
    account = GatewayFixtures.account(accounts, registered.id());
    openid = GatewayFixtures.openid();
    fake.follower(account.appId(), openid, new JsonObject().put("language", "zh_CN"));
  }

  @Test
  @DisplayName("two instances share one access token: WeChat is asked for it once in all")
  void oneTokenForTwoInstances() {
    WxMpUser first = await(gatewayA.call(account, wx -> wx.getUserService().userInfo(openid)));
    WxMpUser second = await(gatewayB.call(account, wx -> wx.getUserService().userInfo(openid)));
    WxMpUser third = await(gatewayA.call(account, wx -> wx.getUserService().userInfo(openid)));

    assertEquals(List.of(openid, openid, openid), List.of(first.getOpenId(), second.getOpenId(), third.getOpenId()));
    assertEquals(1, fake.tokenFetches(account.appId()));
  }

  @Test
  @DisplayName("a refused token (40001) is fetched again once, and the call then succeeds")
  void tokenErrorRefreshesOnce() {
    await(gatewayA.call(account, wx -> wx.getUserService().userInfo(openid)));
    int callsBefore = fake.calls(USER_INFO);
    fake.failNext(USER_INFO, 40001);

    WxMpUser user = await(gatewayB.call(account, wx -> wx.getUserService().userInfo(openid)));

    assertEquals(openid, user.getOpenId());
    assertEquals(2, fake.tokenFetches(account.appId()), "one fetch at first, one after the refusal");
    assertEquals(callsBefore + 2, fake.calls(USER_INFO));
  }

  @Test
  @DisplayName("a token refused twice is a 502 problem with WeChat's errcode, after exactly one refresh")
  void tokenErrorTwiceFails() {
    await(gatewayA.call(account, wx -> wx.getUserService().userInfo(openid)));
    fake.failNext(USER_INFO, 40001, 40001);

    Problem problem = assertInstanceOf(Problem.class, failure(gatewayA.call(account, wx -> wx.getUserService().userInfo(openid))));

    assertEquals(502, problem.status());
    assertEquals("wechat-error", problem.code());
    assertEquals(40001, problem.extensions().getInteger("errcode"));
    assertEquals(2, fake.tokenFetches(account.appId()));
  }

  @Test
  @DisplayName("\"system busy\" (-1) twice is backed off and the third attempt succeeds")
  void busyIsBackedOff() {
    fake.failNext(USER_INFO, -1, -1);
    int callsBefore = fake.calls(USER_INFO);
    long started = System.nanoTime();

    WxMpUser user = await(gatewayA.call(account, wx -> wx.getUserService().userInfo(openid)));

    long tookMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
    assertEquals(openid, user.getOpenId());
    assertEquals(callsBefore + 3, fake.calls(USER_INFO));
    assertTrue(tookMillis >= 1000 && tookMillis < 5000, "backed off 200 ms then 800 ms, took " + tookMillis);
  }

  @Test
  @DisplayName("\"system busy\" three times is a 503 problem, not a longer wait")
  void busyThenGivesUp() {
    fake.failNext(USER_INFO, -1, -1, -1);

    Problem problem = assertInstanceOf(Problem.class, failure(gatewayA.call(account, wx -> wx.getUserService().userInfo(openid))));

    assertEquals(503, problem.status());
    assertEquals("wechat-busy", problem.code());
    assertEquals(-1, problem.extensions().getInteger("errcode"));
  }

  @Test
  @DisplayName("a spent quota (45009) is a 429 problem at once, not retried")
  void quota() {
    fake.failNext(MENU_CREATE, 45009);
    int callsBefore = fake.calls(MENU_CREATE);

    Problem problem = assertInstanceOf(Problem.class, failure(gatewayA.call(account,
      wx -> wx.getMenuService().menuCreate("{\"button\":[{\"type\":\"click\",\"name\":\"a\",\"key\":\"k\"}]}"))));

    assertEquals(429, problem.status());
    assertEquals("wechat-quota-exceeded", problem.code());
    assertEquals(45009, problem.extensions().getInteger("errcode"));
    assertEquals(callsBefore + 1, fake.calls(MENU_CREATE));
  }

  @Test
  @DisplayName("an IP missing from the whitelist (40164) and other errors keep WeChat's errcode")
  void otherErrors() {
    fake.failNext(USER_INFO, 40164, 40003);

    Problem ip = assertInstanceOf(Problem.class, failure(gatewayA.call(account, wx -> wx.getUserService().userInfo(openid))));
    Problem other = assertInstanceOf(Problem.class, failure(gatewayA.call(account, wx -> wx.getUserService().userInfo(openid))));

    assertEquals(List.of(502, "wechat-ip-not-whitelisted", 40164), List.of(ip.status(), ip.code(), ip.extensions().getInteger("errcode")));
    assertEquals(List.of(502, "wechat-error", 40003), List.of(other.status(), other.code(), other.extensions().getInteger("errcode")));
  }

  @Test
  @DisplayName("an unreachable WeChat is a 502 wechat-unreachable problem that says nothing was sent")
  void unreachable() {
    Vertx vertx = Vertx.vertx();
    try (WeChatGateway nowhere = new WeChatGateway(vertx, new Config.WeChat("http://127.0.0.1:" + TestServer.freePort(), 2, 1, java.time.Duration.ofSeconds(10)),
      redisA, accounts)) {
      Problem problem = assertInstanceOf(Problem.class, failure(nowhere.call(account, wx -> wx.getUserService().userInfo(openid))));
      assertEquals(502, problem.status());
      assertEquals("wechat-unreachable", problem.code());
      assertEquals(false, problem.extensions().getBoolean("outcomeUnknown"), "refused connections never reached WeChat");
    } finally {
      vertx.close();
    }
  }

  @Test
  @DisplayName("calls run on the named WeChat worker pool, never on an event loop, even when made from one")
  void runsOnWorkers() {
    Promise<String> thread = Promise.promise();
    vertxA.runOnContext(v -> gatewayA.call(account, wx -> {
      wx.getUserService().userInfo(openid);
      return Thread.currentThread().getName() + (Context.isOnEventLoopThread() ? " (event loop)" : "");
    }).onComplete(thread));

    String name = await(thread.future());

    assertTrue(name.matches("govmedia-wechat-api-\\d+"), name);
  }

  @Test
  @DisplayName("the Redis lock keeps out a second holder, lapses after its lease, and never frees another's")
  void redisLock() throws Exception {
    LettuceWxRedisOps opsA = new LettuceWxRedisOps(redisA, Duration.ofMillis(300));
    LettuceWxRedisOps opsB = new LettuceWxRedisOps(redisB, Duration.ofMillis(300));
    String key = "test:lock:" + Client.unique();
    Lock mine = opsA.getLock(key);
    Lock theirs = opsB.getLock(key);

    mine.lock();
    assertFalse(theirs.tryLock(), "held by the first instance");
    long started = System.nanoTime();
    assertTrue(theirs.tryLock(2, TimeUnit.SECONDS), "free once the lease ran out");
    long waitedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
    assertTrue(waitedMillis >= 150, "waited only " + waitedMillis + " ms");

    mine.unlock();  // late: the lease lapsed and the lock is someone else's now
    assertFalse(opsA.getLock(key).tryLock(), "a lapsed holder's unlock must not free the new holder's lock");
    theirs.unlock();
    assertTrue(opsA.getLock(key).tryLock());
  }

  @Test
  @DisplayName("the token store keeps values with their time to live under govmedia:wechat:")
  void tokenStore() {
    LettuceWxRedisOps ops = new LettuceWxRedisOps(redisA, Duration.ofSeconds(1));
    String key = "test:value:" + Client.unique();

    assertEquals(-2L, ops.getExpire(key));
    ops.setValue(key, "v", 60, TimeUnit.SECONDS);
    assertEquals("v", ops.getValue(key));
    assertEquals("v", redisA.sync().get("govmedia:wechat:" + key));
    assertTrue(ops.getExpire(key) > 55);
    ops.expire(key, 0, TimeUnit.SECONDS);
    assertEquals(null, ops.getValue(key));
  }

  @Test
  @DisplayName("only official accounts can be called")
  void notAnOfficialAccount() {
    Account weibo = new Account(account.id(), io.govmedia.accounts.AccountType.WEIBO, "微博", department,
      Account.Status.ACTIVE, null, null, null, null, "123456", "654321", null, java.util.Map.of(), null, null, null, 1);

    Problem problem = assertInstanceOf(Problem.class, failure(gatewayA.call(weibo, wx -> wx.getUserService().userInfo(openid))));

    assertEquals(400, problem.status());
    assertEquals("not-wechat-mp", problem.code());
  }
}
