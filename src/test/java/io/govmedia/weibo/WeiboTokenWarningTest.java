package io.govmedia.weibo;

import io.govmedia.Main;
import io.govmedia.platform.Times;
import io.govmedia.support.Client;
import io.govmedia.support.EventStreamClient;
import io.govmedia.support.MovableClock;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weibo tokens run out (a day to 30 days, by the app's level) and cannot be refreshed: admins are warned with a
 * quarter of the lifetime left, at most 7 days, on the account and on their live stream. Time is moved on the clocks
 * of further instances.
 */
@DisplayName("Weibo token expiry warnings")
class WeiboTokenWarningTest {

  static final Duration LIFETIME = Duration.ofDays(4);
  static final Duration WAIT = Duration.ofSeconds(20);

  static Client client;
  static String admin;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
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
  @DisplayName("admins are told on their live stream once a day per account, however often the job runs, and told again, as expired, once it has run out")
  void tellsAdminsOncePerDay() {
    WeiboFixtures.Registered account = WeiboFixtures.account(client, admin);
    WeiboFixtures.bind(client, admin, account, LIFETIME.toSeconds());
    String editorOfIt = client.staffToken(admin, List.of("editor"), List.of(account.departmentId()),
      List.of(account.id()));
    Duration warningDay = awayFromMidnight(Duration.ofHours(80));  // 16 h left: inside the last quarter

    try (EventStreamClient admins = EventStreamClient.open(client, admin);
         EventStreamClient editor = EventStreamClient.open(client, editorOfIt)) {
      jobRunsAt(Duration.ofHours(70));  // 26 h left: nothing yet
      String nothingYet = announce();
      jobRunsAt(warningDay);
      jobRunsAt(warningDay);            // a second instance, the same day
      String onceToday = announce();
      jobRunsAt(Duration.ofHours(97));  // an hour past the token's end

      // Events arrive in the order they were sent: a warning too early or twice would come before an announcement.
      assertEquals(nothingYet, nextOf(admins, account.id()).json().getString("message"), "warned too early");
      JsonObject warned = nextOf(admins, account.id()).json();
      assertEquals(account.id(), warned.getString("accountId"), () -> "no warning on the warning day: " + warned);
      assertFalse(warned.getBoolean("expired"));
      assertTrue(warned.getString("message").contains("重新授权"), warned::encode);
      assertEquals(onceToday, nextOf(admins, account.id()).json().getString("message"), "warned twice in a day");
      JsonObject expired = nextOf(admins, account.id()).json();
      assertTrue(expired.getBoolean("expired", false), expired::encode);
      assertEquals(nothingYet, nextOf(editor, account.id()).json().getString("message"), "only admins are told");
      assertEquals(onceToday, nextOf(editor, account.id()).json().getString("message"), "only admins are told");
    }
  }

  /** Starts an instance whose clock is {@code ahead}; the warning job runs while it starts. */
  static void jobRunsAt(Duration ahead) {
    MovableClock clock = new MovableClock();
    clock.advance(ahead);
    TestServer.get().startAnother(Map.of(), clock).close();
  }

  /** {@code ahead}, or two hours more when that lands within an hour of midnight in Shanghai (a day boundary). */
  static Duration awayFromMidnight(Duration ahead) {
    int hour = Instant.now().plus(ahead).atZone(Times.ZONE).getHour();
    return hour == 23 || hour == 0 ? ahead.plusHours(2) : ahead;
  }

  /** An announcement to everyone, as a marker in the stream; answers its text. */
  static String announce() {
    String message = "例行通知 " + Client.unique();
    Client.Response sent = client.post("/api/v1/events/announcements", admin, new JsonObject().put("message", message));
    assertEquals(201, sent.status(), sent::toString);
    return message;
  }

  /** The next token event of the account or announcement of this test, whichever comes first. */
  static EventStreamClient.Received nextOf(EventStreamClient stream, String accountId) {
    return stream.next(e -> e.is(WeiboTokenWarnings.EVENT) ? accountId.equals(e.json().getString("accountId"))
      : e.is("announcement") && e.json().getString("message").startsWith("例行通知 "), WAIT);
  }

  static boolean warning(Client there, String token, String accountId) {
    Client.Response shown = there.get("/api/v1/accounts/" + accountId, token);
    assertEquals(200, shown.status(), shown.text());
    return shown.json().getBoolean("tokenWarning");
  }
}
