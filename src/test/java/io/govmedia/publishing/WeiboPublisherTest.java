package io.govmedia.publishing;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountStore;
import io.govmedia.content.PostView;
import io.govmedia.fakes.FakeWeibo;
import io.govmedia.media.MediaContent;
import io.govmedia.platform.Secrets;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.govmedia.weibo.WeiboClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Weibo publisher on its own, as the scheduler drives it: a client of this test's own against a fake Weibo of
 * its own, a Weibo account registered on the shared server with its token, and pictures served from memory. A slot
 * here keeps what the publisher saves through {@code progress} and what its outcomes carry, as the scheduler's does.
 */
@DisplayName("The Weibo publisher")
class WeiboPublisherTest {

  static final String SHARE = "/2/statuses/share.json";
  static final SecureRandom RANDOM = new SecureRandom();

  static FakeWeibo fake;
  static Vertx vertx;
  static MongoClient mongo;
  static AccountStore accounts;
  static WeiboClient weibo;
  static Client client;
  static String admin;
  static final TestMedia media = new TestMedia();

  Account account;
  String token;
  WeiboPublisher publisher;
  Slot slot;

  @BeforeAll
  static void start() {
    TestServer server = TestServer.get();
    client = server.client();
    admin = client.adminToken();
    fake = FakeWeibo.start(TestServer.PUBLIC_HOST);
    vertx = Vertx.vertx();
    mongo = MongoClients.create(server.mongoUri());
    accounts = new AccountStore(mongo.getDatabase("govmedia_test"), Secrets.fromConfig(Optional.empty(), server.dataDir()));
    weibo = new WeiboClient(vertx, fake.baseUrl(), Duration.ofSeconds(1));
  }

  @AfterAll
  static void stop() throws Exception {
    weibo.close();
    mongo.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    fake.close();
  }

  /** Each test its own account (one Weibo account per department) with a token the fake knows. */
  @BeforeEach
  void register() {
    String department = client.department(admin, "微博运营-" + Client.unique(), null);
    String uid = digits(10);
    token = "2.00" + digits(24);
    Client.Response created = client.post("/api/v1/accounts", admin, new JsonObject().put("type", "weibo")
      .put("name", "微博-" + Client.unique()).put("departmentId", department).put("appKey", digits(10))
      .put("uid", uid).put("appSecret", "Sec" + digits(29)).put("accessToken", token)
      .put("tokenExpiresAt", "2030-06-30T12:00:00+08:00"));
    assertEquals(201, created.status(), created.text());
    account = awaitAny(accounts.find(created.json().getString("id")));
    fake.token(token, uid, 86_400);
    publisher = new WeiboPublisher(weibo, accounts, media, Clock.systemUTC());
    slot = new Slot();
  }

  @Test
  @DisplayName("posts the text, the link to the post's page and its picture, and answers Weibo's id and URL")
  void publishes() {
    media.put(new MediaContent("pic-" + account.id(), "image", "image/jpeg", "封面.jpg", "封面",
      Buffer.buffer(new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1, 2, 3})));

    Outcome outcome = await(publisher.send(slot.send(post("一图读懂：2026 年惠民政策", "pic-" + account.id()))));

    Outcome.Published published = assertInstanceOf(Outcome.Published.class, outcome);
    FakeWeibo.Post post = fake.posts(account.uid()).get(0);
    assertEquals(String.valueOf(post.id()), published.channelId());
    assertEquals("https://weibo.com/" + account.uid() + "/" + post.id(), published.url());
    assertTrue(post.text().startsWith("一图读懂：2026 年惠民政策 http://t.cn/"), post.text());
    assertEquals("image/jpeg", post.pictureMime());
    assertEquals("203.0.113.9", post.rip());
    assertEquals(List.of(0), slot.sharesWhenSending, "marked as sending before the share left");
  }

  @Test
  @DisplayName("Weibo's rate limit fails the slot as retryable after Weibo's hour, and nothing is posted")
  void rateLimited() {
    fake.failNext(SHARE, 10023);

    Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class, await(publisher.send(slot.send(post("限流测试", null)))));

    assertTrue(failed.retryable());
    assertEquals(Duration.ofHours(1), failed.retryAfter());
    assertTrue(fake.posts(account.uid()).isEmpty());
  }

  @Test
  @DisplayName("an expired token fails the slot for good with the hint to re-authorize")
  void expiredToken() {
    fake.token(token, account.uid(), -1);

    Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class, await(publisher.send(slot.send(post("过期测试", null)))));

    assertFalse(failed.retryable());
    assertEquals("weibo-token-expired", failed.code());
    assertTrue(failed.message().contains("管理员需在账号设置中重新授权微博"), failed.message());
  }

  @Test
  @DisplayName("a share answered too late is unknown, and the check then finds it on the timeline: one post in all")
  void timeoutThenCheck() {
    fake.delayNext(SHARE, 2500);
    PostView post = post("关于延迟答复的说明", null);

    Outcome first = await(publisher.send(slot.send(post)));
    Outcome checked = await(publisher.check(slot.send(post)));

    assertInstanceOf(Outcome.Unknown.class, first);
    Outcome.Published published = assertInstanceOf(Outcome.Published.class, checked);
    assertEquals(String.valueOf(fake.posts(account.uid()).get(0).id()), published.channelId());
    assertEquals(1, fake.posts(account.uid()).size());
    assertEquals(0, fake.duplicateShares());
  }

  @Test
  @DisplayName("a send whose answer was lost, sent again, is recognised as ours when Weibo calls it a repeat")
  void repeatIsOurs() {
    fake.resetNext(SHARE);
    PostView post = post("重复内容识别", null);

    Outcome lost = await(publisher.send(slot.send(post)));
    Outcome again = await(publisher.send(slot.send(post)));

    assertInstanceOf(Outcome.Unknown.class, lost);
    assertInstanceOf(Outcome.Published.class, again);
    assertEquals(1, fake.posts(account.uid()).size(), "Weibo refused the repeat: one post");
  }

  @Test
  @DisplayName("the check answers NotFound when the timeline has no such status, so the slot can be sent again")
  void checkNotFound() {
    await(publisher.send(slot.send(post("另一条已发的微博", null))));

    Outcome checked = await(publisher.check(new Slot().send(post("从未发出的微博", null))));

    assertInstanceOf(Outcome.NotFound.class, checked);
  }

  @Test
  @DisplayName("withdrawing deletes the status on Weibo")
  void withdraws() {
    PostView post = post("将被撤回的微博", null);
    Outcome.Published published = assertInstanceOf(Outcome.Published.class, await(publisher.send(slot.send(post))));

    awaitAny(publisher.withdraw(slot.send(post)));

    assertTrue(fake.posts(account.uid()).isEmpty());
    assertEquals(String.valueOf(published.channelId()), slot.state.getString("weiboId"));
  }

  /** A slot's saved state, as the scheduler keeps it between attempts. */
  final class Slot {
    final String id = Client.unique();
    JsonObject state = new JsonObject();
    final List<Integer> sharesWhenSending = new CopyOnWriteArrayList<>();
    int attempt;

    Send send(PostView post) {
      attempt++;
      return new Send(id, attempt, "weibo", null, post, account, null, "203.0.113.9",
        "https://" + TestServer.PUBLIC_HOST + "/p/" + post.id() + "?s=" + id, state.copy(), saved -> {
          sharesWhenSending.add(fake.posts(account.uid()).size());
          state = saved.copy();
          return Future.succeededFuture();
        });
    }
  }

  Outcome await(Future<Outcome> future) {
    Outcome outcome = awaitAny(future);
    JsonObject carried = outcome instanceof Outcome.Published p ? p.state()
      : outcome instanceof Outcome.Unknown u ? u.state() : null;
    if (carried != null) {
      slot.state = carried.copy();
    }
    return outcome;
  }

  static <T> T awaitAny(Future<T> future) {
    try {
      return future.await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("failed: " + e, e);
    }
  }

  static PostView post(String text, String pictureAssetId) {
    return new PostView(Client.unique() + "000000000000", 1, "approved", null, text, "<p>" + text + "</p>", null, null,
      null, new PostView.Weibo(text, pictureAssetId), false, null, null);
  }

  static String digits(int length) {
    StringBuilder out = new StringBuilder().append(1 + RANDOM.nextInt(9));
    while (out.length() < length) {
      out.append(RANDOM.nextInt(10));
    }
    return out.toString();
  }
}
