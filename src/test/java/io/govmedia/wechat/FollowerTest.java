package io.govmedia.wechat;

import io.govmedia.accounts.AccountStore;
import io.govmedia.fakes.FakeWeChat;
import io.govmedia.platform.Config;
import io.govmedia.platform.Redis;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.govmedia.wechat.GatewayFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Followers as the callback records them (the store called directly, as another instance on the same stores would),
 * and as staff list them over HTTP on the shared server.
 */
@DisplayName("Official account followers")
class FollowerTest {

  static Client client;
  static FakeWeChat fake;
  static String admin;
  static Vertx vertx;
  static Redis redis;
  static WeChatGateway gateway;
  static FollowerStore followers;

  GatewayFixtures.Registered account;
  final Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(3, ChronoUnit.DAYS);

  @BeforeAll
  static void start() {
    TestServer server = TestServer.get();
    client = server.client();
    fake = server.wechat();
    admin = client.adminToken();
    vertx = Vertx.vertx();
    redis = Redis.connect(server.redisUri());
    AccountStore accounts = GatewayFixtures.accountStore();
    gateway = new WeChatGateway(vertx, new Config.WeChat(fake.baseUrl(), 4, 2, java.time.Duration.ofSeconds(10)), redis, accounts);
    followers = new FollowerStore(GatewayFixtures.db(), new FollowerProfiles(gateway, accounts, Clock.systemUTC()));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    redis.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void register() {
    account = GatewayFixtures.officialAccount(client, admin, client.department(admin, "信访局", null), fake);
  }

  /** A subscribe event as the callback hands it on, for a follower the fake WeChat knows. */
  Future<Void> subscribe(String openid, Instant at, String scene) {
    fake.follower(account.appId(), openid, new JsonObject().put("language", "zh_CN"));
    return followers.subscribed(account.id(), openid, at, scene);
  }

  @Test
  @DisplayName("subscribe, unsubscribe and subscribe again keep the first and the latest subscribe time")
  void resubscribe() {
    String openid = GatewayFixtures.openid();

    await(subscribe(openid, t0, "qrscene_spring2026"));
    FollowerStore.Follower first = await(followers.find(account.id(), openid));
    await(followers.unsubscribed(account.id(), openid, t0.plusSeconds(60)));
    FollowerStore.Follower gone = await(followers.find(account.id(), openid));
    await(subscribe(openid, t0.plusSeconds(3600), null));
    FollowerStore.Follower back = await(followers.find(account.id(), openid));

    assertTrue(first.subscribed());
    assertEquals("spring2026", first.scene());
    assertFalse(gone.subscribed());
    assertEquals(t0.plusSeconds(60), gone.unsubscribedAt());
    assertTrue(back.subscribed());
    assertEquals(t0, back.firstSubscribedAt());
    assertEquals(t0.plusSeconds(3600), back.lastSubscribedAt());
    assertEquals(t0.plusSeconds(60), back.unsubscribedAt());
  }

  @Test
  @DisplayName("an older event arriving late (a retry) adds its time but does not undo a newer subscription")
  void lateEvent() {
    String openid = GatewayFixtures.openid();

    await(subscribe(openid, t0.plusSeconds(100), null));
    await(followers.unsubscribed(account.id(), openid, t0.plusSeconds(50)));
    await(subscribe(openid, t0, null));
    FollowerStore.Follower follower = await(followers.find(account.id(), openid));

    assertTrue(follower.subscribed());
    assertEquals(t0, follower.firstSubscribedAt());
    assertEquals(t0.plusSeconds(100), follower.lastSubscribedAt());
    assertEquals(t0.plusSeconds(50), follower.unsubscribedAt());
  }

  @Test
  @DisplayName("an unsubscribe before any recorded subscribe leaves a follower who is not subscribed")
  void unsubscribeFirst() {
    String openid = GatewayFixtures.openid();

    await(followers.unsubscribed(account.id(), openid, t0));
    FollowerStore.Follower follower = await(followers.find(account.id(), openid));

    assertFalse(follower.subscribed());
    assertNull(follower.firstSubscribedAt());
    assertEquals(t0, follower.unsubscribedAt());
  }

  @Test
  @DisplayName("the profile is fetched from WeChat in the background after a subscribe")
  void profileInBackground() throws Exception {
    String openid = GatewayFixtures.openid();
    fake.follower(account.appId(), openid, new JsonObject().put("language", "zh_CN").put("subscribe_time", 1767225600L)
      .put("remark", "").put("tagid_list", new JsonArray().add(2).add(104)).put("subscribe_scene", "ADD_SCENE_QR_CODE")
      .put("qr_scene", 0).put("qr_scene_str", "spring2026"));

    await(followers.subscribed(account.id(), openid, t0, "qrscene_spring2026"));
    FollowerStore.Follower follower = null;
    for (int i = 0; i < 50 && (follower == null || follower.profileFetchedAt() == null); i++) {
      TimeUnit.MILLISECONDS.sleep(100);
      follower = await(followers.find(account.id(), openid));
    }

    assertNotNull(follower.profileFetchedAt(), "no profile within 5 s");
    FollowerProfiles.Profile profile = follower.profile();
    assertEquals("zh_CN", profile.language());
    assertEquals(Instant.ofEpochSecond(1767225600L), profile.subscribeTime());
    assertNull(profile.remark());
    assertEquals(List.of(2L, 104L), profile.tagIds());
    assertEquals("ADD_SCENE_QR_CODE", profile.subscribeScene());
    assertEquals("spring2026", profile.qrSceneStr());
    JsonObject listed = client.get("/api/v1/accounts/" + account.id() + "/followers", admin).items().getJsonObject(0);
    assertEquals("zh_CN", listed.getJsonObject("profile").getString("language"));
  }

  @Test
  @DisplayName("the list counts current followers in total, filters by subscribed, and pages by cursor")
  void listing() {
    List<String> openids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String openid = GatewayFixtures.openid();
      openids.add(openid);
      await(subscribe(openid, t0.plusSeconds(i), null));
    }
    await(followers.unsubscribed(account.id(), openids.get(0), t0.plusSeconds(10)));
    String base = "/api/v1/accounts/" + account.id() + "/followers";

    List<String> seen = new ArrayList<>();
    String cursor = null;
    List<Integer> sizes = new ArrayList<>();
    do {
      Client.Response page = client.get(base + "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), admin);
      assertEquals(200, page.status(), page::toString);
      assertEquals(4, page.json().getLong("total"));
      sizes.add(page.items().size());
      page.items().forEach(item -> seen.add(((JsonObject) item).getString("openid")));
      cursor = page.json().getString("next");
    } while (cursor != null);

    assertEquals(List.of(2, 2, 1), sizes);
    assertEquals(openids.stream().sorted().toList(), seen);
    JsonArray gone = client.get(base + "?subscribed=false", admin).items();
    assertEquals(1, gone.size());
    assertEquals(openids.get(0), gone.getJsonObject(0).getString("openid"));
    assertFalse(gone.getJsonObject(0).getBoolean("subscribed"));
    assertEquals(4, client.get(base + "?subscribed=true", admin).items().size());
    assertEquals("invalid-cursor", client.get(base + "?cursor=not%20an%20openid", admin).problemCode());
    assertEquals("invalid-parameter", client.get(base + "?subscribed=yes", admin).problemCode());
  }

  @Test
  @DisplayName("a replier of another department gets 403; one of the account's department sees the list")
  void scope() {
    await(subscribe(GatewayFixtures.openid(), t0, null));
    String other = client.staffToken(admin, List.of("replier"), List.of(client.department(admin, "民政局", null)), List.of());
    String own = client.staffToken(admin, List.of("replier"), List.of(account.departmentId()), List.of());

    Client.Response refused = client.get("/api/v1/accounts/" + account.id() + "/followers", other);
    Client.Response listed = client.get("/api/v1/accounts/" + account.id() + "/followers", own);

    assertEquals(403, refused.status(), refused::toString);
    assertEquals("forbidden", refused.problemCode());
    assertEquals(200, listed.status(), listed::toString);
    assertEquals(1, listed.json().getLong("total"));
  }
}
