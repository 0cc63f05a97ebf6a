package io.govmedia.weibo;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import io.govmedia.Main;
import io.govmedia.accounts.AccountStore;
import io.govmedia.events.Event;
import io.govmedia.platform.Redis;
import io.govmedia.platform.Secrets;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
import io.govmedia.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weibo tokens run out (a day to 30 days, by the app's level) and cannot be refreshed: admins are warned with a
 * quarter of the lifetime left, at most 7 days. Time is moved on a second instance's clock.
 */
@DisplayName("Weibo token expiry warnings")
class WeiboTokenWarningTest {

  static final Duration LIFETIME = Duration.ofDays(4);

  static Client client;
  static String admin;
  static MongoClient mongo;
  static Redis redis;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    mongo = MongoClients.create(TestServer.get().mongoUri());
    redis = Redis.connect(TestServer.get().redisUri());
  }

  @AfterAll
  static void stop() {
    mongo.close();
    redis.close();
  }

  @Test
  @DisplayName("the account shows tokenWarning from the quarter point of the token's lifetime on, not before")
  void warnsAtTheQuarterPoint() {
    WeiboFixtures.Registered account = WeiboFixtures.account(client, admin);
    assertEquals(200, WeiboFixtures.bind(client, admin, account, LIFETIME.toSeconds()).status());
    MovableClock clock = new MovableClock();
    try (Main.Running later = TestServer.get().startAnother(Map.of(), clock)) {
      Client there = new Client(later.port());
      String adminThere = there.adminToken();

      clock.advance(Duration.ofHours(70));  // 26 h left: more than a quarter (24 h)
      boolean before = warning(there, adminThere, account.id());
      clock.advance(Duration.ofHours(3));   // 23 h left
      boolean after = warning(there, adminThere, account.id());

      assertFalse(before, "26 h of 96 h left is more than a quarter");
      assertTrue(after, "23 h of 96 h left is less than a quarter");
    }
  }

  @Test
  @DisplayName("a 30-day token warns 7 days before it ends, not at the quarter point (7.5 days)")
  void warnsAtMostSevenDaysAhead() {
    WeiboFixtures.Registered account = WeiboFixtures.account(client, admin);
    WeiboFixtures.bind(client, admin, account, Duration.ofDays(30).toSeconds());
    MovableClock clock = new MovableClock();
    try (Main.Running later = TestServer.get().startAnother(Map.of(), clock)) {
      Client there = new Client(later.port());
      String adminThere = there.adminToken();

      clock.advance(Duration.ofDays(22).plusHours(12));
      boolean atQuarter = warning(there, adminThere, account.id());
      clock.advance(Duration.ofHours(13));
      boolean sevenDaysLeft = warning(there, adminThere, account.id());

      assertFalse(atQuarter, "7.5 days left: the 7-day cap applies");
      assertTrue(sevenDaysLeft);
    }
  }

  @Test
  @DisplayName("admins are told once a day per account, and told again, as expired, once it has run out")
  void tellsAdminsOncePerDay() {
    WeiboFixtures.Registered account = WeiboFixtures.account(client, admin);
    WeiboFixtures.bind(client, admin, account, LIFETIME.toSeconds());
    MovableClock clock = new MovableClock();
    List<Event> told = new CopyOnWriteArrayList<>();
    WeiboTokenWarnings warnings = new WeiboTokenWarnings(new AccountStore(mongo.getDatabase("govmedia_test"),
      Secrets.fromConfig(Optional.empty(), TestServer.get().dataDir())), event -> {
        told.add(event);
        return Future.succeededFuture();
      }, redis, clock);

    await(warnings.run());
    boolean early = told.stream().anyMatch(e -> ofAccount(e, account.id()));
    clock.advance(Duration.ofHours(80));
    await(warnings.run());
    await(warnings.run());
    List<JsonObject> warned = events(told, account.id());
    clock.advance(Duration.ofHours(17));
    await(warnings.run());
    List<JsonObject> afterExpiry = events(told, account.id());

    assertFalse(early);
    assertEquals(1, warned.size(), "one warning however often the job runs that day: " + warned);
    assertFalse(warned.get(0).getBoolean("expired"));
    assertTrue(warned.get(0).getString("message").contains("重新授权"));
    assertEquals(2, afterExpiry.size(), afterExpiry.toString());
    assertTrue(afterExpiry.get(1).getBoolean("expired"));
    Event event = told.stream().filter(e -> ofAccount(e, account.id())).findFirst().orElseThrow();
    assertEquals(WeiboTokenWarnings.EVENT, event.type());
    assertEquals(Event.Audience.admins(), event.audience());
  }

  static boolean warning(Client there, String token, String accountId) {
    Client.Response shown = there.get("/api/v1/accounts/" + accountId, token);
    assertEquals(200, shown.status(), shown.text());
    return shown.json().getBoolean("tokenWarning");
  }

  static boolean ofAccount(Event event, String accountId) {
    return accountId.equals(event.data().getString("accountId"));
  }

  static List<JsonObject> events(List<Event> told, String accountId) {
    return told.stream().filter(e -> ofAccount(e, accountId)).map(Event::data).toList();
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the job failed: " + e, e);
    }
  }
}
