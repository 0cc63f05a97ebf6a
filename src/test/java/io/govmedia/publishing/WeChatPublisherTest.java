package io.govmedia.publishing;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountStore;
import io.govmedia.content.PostView;
import io.govmedia.fakes.FakeWeChat;
import io.govmedia.media.MediaContent;
import io.govmedia.platform.Config;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Redis;
import io.govmedia.platform.Secrets;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WeChat publisher on its own, as the scheduler drives it: a gateway of this test's own against a fake WeChat
 * of its own, an official account registered on the shared server, and assets served from memory. A slot here
 * keeps what the publisher saves through {@code progress} and what its outcomes carry, as the scheduler's slot does.
 */
@DisplayName("The WeChat publisher")
class WeChatPublisherTest {

  static final String SUBMIT = "/cgi-bin/freepublish/submit";
  static final String SENDALL = "/cgi-bin/message/mass/sendall";
  static final SecureRandom RANDOM = new SecureRandom();

  static FakeWeChat fake;
  static Vertx vertx;
  static Redis redis;
  static MongoClient mongo;
  static io.govmedia.wechat.WeChatGateway gateway;
  static io.govmedia.wechat.WeChatGateway impatientGateway;
  static AccountStore accounts;
  static Client client;
  static String admin;
  static String department;
  static final TestMedia media = new TestMedia();

  Account account;
  WeChatPublisher publisher;
  String cover;
  String photo;

  @BeforeAll
  static void start() {
    TestServer server = TestServer.get();
    client = server.client();
    admin = client.adminToken();
    department = client.department(admin, "宣传科", null);
    fake = FakeWeChat.start();
    vertx = Vertx.vertx();
    redis = Redis.connect(server.redisUri());
    mongo = MongoClients.create(server.mongoUri());
    accounts = new AccountStore(mongo.getDatabase("govmedia_test"), Secrets.fromConfig(Optional.empty(), server.dataDir()));
    gateway = new io.govmedia.wechat.WeChatGateway(vertx, new Config.WeChat(fake.baseUrl(), 4, 2, Duration.ofSeconds(10)),
      redis, accounts);
    impatientGateway = new io.govmedia.wechat.WeChatGateway(vertx,
      new Config.WeChat(fake.baseUrl(), 4, 2, Duration.ofMillis(800)), redis, accounts);
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    impatientGateway.close();
    redis.close();
    mongo.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    fake.close();
  }

  /** Each test its own account (departments allow one official account each) and its own images. */
  @BeforeEach
  void register() {
    String own = client.department(admin, "宣传科-" + Client.unique(), department);
    String appId = "wx" + chars("0123456789abcdef", 16);
    String secret = "Sec" + chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 29);
    Client.Response created = client.post("/api/v1/accounts", admin, new JsonObject().put("type", "wechat_mp")
      .put("name", "公众号-" + Client.unique()).put("departmentId", own).put("kind", "service").put("appId", appId)
      .put("originalId", "gh_" + chars("0123456789abcdef", 12)).put("appSecret", secret)
      .put("token", "Tok" + chars("abcdefghijklmnopqrstuvwxyz", 17)).put("callbackMode", "plain"));
    assertEquals(201, created.status(), created.toString());
    fake.app(appId, secret);
    account = await(accounts.find(created.json().getString("id")));
    publisher = new WeChatPublisher(gateway, media, Clock.systemUTC());
    cover = asset("image/jpeg", image("jpg", 64));
    photo = asset("image/png", image("png", 32));
  }

  @Test
  @DisplayName("a free publish is submitted and pending, and the check then finds it published with its URL")
  void freePublish() {
    Slot slot = new Slot("freepublish", post(null));

    Outcome.Pending pending = assertInstanceOf(Outcome.Pending.class, slot.send(publisher));
    Outcome.Published published = assertInstanceOf(Outcome.Published.class, slot.check(publisher));

    assertNotNull(pending.state().getString("publishId"));
    assertTrue(published.url().startsWith("https://mp.weixin.qq.com/s/"), published.url());
    assertEquals(published.channelId(), slot.state.getString("articleId"));
    assertEquals(1, fake.submits(slot.id));
  }

  @Test
  @DisplayName("a free publish job that fails WeChat's audit is a failure for good, with the reason for the editor")
  void auditFailure() {
    Slot slot = new Slot("freepublish", post(null));
    fake.nextJobsEnd(4);

    assertInstanceOf(Outcome.Pending.class, slot.send(publisher));
    Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class, slot.check(publisher));

    assertEquals("wechat-audit-failed", failed.code());
    assertFalse(failed.retryable());
    assertTrue(failed.message().contains("审核"), failed.message());
  }

  @Test
  @DisplayName("an article deleted in WeChat's console after publishing is reported as such, not sent again")
  void deletedAfterPublishing() {
    Slot slot = new Slot("freepublish", post(null));
    slot.send(publisher);
    slot.check(publisher);
    await(publisher.withdraw(slot.send()));

    Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class, slot.check(publisher));

    assertEquals("wechat-article-deleted", failed.code());
    assertFalse(failed.retryable());
    assertEquals(1, fake.submits(slot.id));
  }

  @Test
  @DisplayName("the article's images go to WeChat and its HTML points at WeChat's URLs; its source link carries the slot")
  void imagesRewritten() {
    Slot slot = new Slot("freepublish", post(null));

    assertInstanceOf(Outcome.Pending.class, slot.send(publisher));

    List<JsonObject> drafts = fake.drafts(slot.id);
    assertEquals(1, drafts.size());
    String content = drafts.get(0).getString("content");
    assertFalse(content.contains("/media/"), content);
    assertTrue(content.contains("<img src=\"http://mmbiz.qpic.cn/mmbiz_png/"), content);
    assertEquals(slot.pageUrl, drafts.get(0).getString("content_source_url"));
    assertEquals(1, drafts.get(0).getInteger("need_open_comment"));
  }

  @Test
  @DisplayName("an attempt after a refused submit reuses the draft: WeChat holds one draft of the slot")
  void resumedSendReusesDraft() {
    Slot slot = new Slot("freepublish", post(null));
    fake.failNext(SUBMIT, 45011);

    Outcome.Failed refused = assertInstanceOf(Outcome.Failed.class, slot.send(publisher));
    Outcome second = slot.send(publisher);

    assertTrue(refused.retryable());
    assertEquals(Duration.ofSeconds(60), refused.retryAfter());
    assertInstanceOf(Outcome.Pending.class, second);
    assertEquals(1, fake.draftsPerSlot().get(slot.id));
    assertEquals(1, fake.submits(slot.id));
  }

  @Test
  @DisplayName("a submit answered after the client gave up is unknown, and the check finds it through batchget")
  void submitTimeout() {
    Slot slot = new Slot("freepublish", post(null));
    WeChatPublisher impatient = new WeChatPublisher(impatientGateway, media, Clock.systemUTC());
    fake.delayAnswer(SUBMIT, 2_000);
    Outcome sent;
    try {
      sent = slot.send(impatient);
    } finally {
      fake.delayAnswer(SUBMIT, 0);
    }

    Outcome.Unknown unknown = assertInstanceOf(Outcome.Unknown.class, sent);
    Outcome.Published published = assertInstanceOf(Outcome.Published.class, slot.check(impatient));

    assertEquals(null, unknown.state().getString("publishId"), "the answer never arrived");
    assertTrue(published.url().startsWith("https://mp.weixin.qq.com/s/"));
    assertEquals(1, fake.submits(slot.id), "asked, never submitted again");
  }

  @Test
  @DisplayName("a send again of a free publish whose outcome is unknown asks first and does not submit twice")
  void unknownIsNotResentBlind() {
    Slot slot = new Slot("freepublish", post(null));
    WeChatPublisher impatient = new WeChatPublisher(impatientGateway, media, Clock.systemUTC());
    fake.delayAnswer(SUBMIT, 2_000);
    try {
      assertInstanceOf(Outcome.Unknown.class, slot.send(impatient));
    } finally {
      fake.delayAnswer(SUBMIT, 0);
    }

    assertInstanceOf(Outcome.Published.class, slot.send(publisher));

    assertEquals(1, fake.submits(slot.id));
  }

  @Test
  @DisplayName("with the editor's own source link, an article whose submit timed out is found by that link, title and digest")
  void editorsSourceUrl() {
    Slot other = new Slot("freepublish", post(null, "https://www.example.gov.cn/zcjd/other.html"));
    other.send(publisher);
    Outcome.Published otherArticle = assertInstanceOf(Outcome.Published.class, other.check(publisher));
    Slot slot = new Slot("freepublish", post(null, "https://www.example.gov.cn/zcjd/2026/12/01.html"));
    WeChatPublisher impatient = new WeChatPublisher(impatientGateway, media, Clock.systemUTC());
    int submitsBefore = fake.submits();
    fake.delayAnswer(SUBMIT, 2_000);
    try {
      assertInstanceOf(Outcome.Unknown.class, slot.send(impatient));
    } finally {
      fake.delayAnswer(SUBMIT, 0);
    }

    Outcome.Published published = assertInstanceOf(Outcome.Published.class, slot.check(publisher));

    assertNotEquals(otherArticle.channelId(), published.channelId(), "the other article has another source link");
    assertEquals(submitsBefore + 1, fake.submits());
  }

  @Test
  @DisplayName("a mass send goes to all followers with the slot's clientMsgId and is published with WeChat's msg_id")
  void massSend() {
    Slot slot = new Slot("mass", post(null));

    Outcome.Published published = assertInstanceOf(Outcome.Published.class, slot.send(publisher));

    assertNotNull(published.channelId());
    assertEquals(published.channelId(), published.state().getString("msgId"));
    assertEquals(1, fake.massSends(slot.clientMsgId));
  }

  @Test
  @DisplayName("checking a mass send asks again with the same clientMsgId: WeChat's 45065 says it went out, once")
  void massCheck() {
    Slot slot = new Slot("mass", post(null));
    assertInstanceOf(Outcome.Published.class, slot.send(publisher));

    Outcome.Published checked = assertInstanceOf(Outcome.Published.class, slot.check(publisher));

    assertEquals(slot.state.getString("msgId"), checked.channelId());
    assertEquals(1, fake.massSends(slot.clientMsgId));
    assertEquals(0, fake.duplicateMassSends());
  }

  @Test
  @DisplayName("a mass send over WeChat's quota (45028) fails for good with mass-quota-exceeded")
  void massQuota() {
    Slot slot = new Slot("mass", post(null));
    fake.failNext(SENDALL, 45028);

    Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class, slot.send(publisher));

    assertEquals("mass-quota-exceeded", failed.code());
    assertFalse(failed.retryable());
    assertTrue(failed.message().contains("45028"), failed.message());
    assertEquals(0, fake.massSends(slot.clientMsgId));
  }

  @Test
  @DisplayName("no permission (48001) fails for good with WeChat's errcode in a Chinese message")
  void noPermission() {
    Slot slot = new Slot("freepublish", post(null));
    fake.failNext(SUBMIT, 48001);

    Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class, slot.send(publisher));

    assertEquals("wechat-no-permission", failed.code());
    assertFalse(failed.retryable());
    assertTrue(failed.message().contains("48001") && failed.message().contains("权限"), failed.message());
  }

  @Test
  @DisplayName("an article image WeChat cannot take (a GIF) fails for good naming the asset, before any draft")
  void imageNotAccepted() {
    String gif = asset("image/gif", image("gif", 16));
    Slot slot = new Slot("freepublish", post("<p>动图</p><img src=\"/media/" + gif + "\">"));

    Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class, slot.send(publisher));

    assertEquals("image-not-accepted", failed.code());
    assertFalse(failed.retryable());
    assertTrue(failed.message().contains(gif), failed.message());
    assertEquals(List.of(), fake.drafts(slot.id));
  }

  @Test
  @DisplayName("withdrawing deletes the free publish's article; a second withdrawal is refused with 409")
  void withdrawFreePublish() {
    Slot slot = new Slot("freepublish", post(null));
    slot.send(publisher);
    String articleId = ((Outcome.Published) slot.check(publisher)).channelId();

    await(publisher.withdraw(slot.send()));
    Problem again = assertInstanceOf(Problem.class, failure(publisher.withdraw(slot.send())));

    assertTrue(fake.articleDeleted(articleId));
    assertEquals(409, again.status());
    assertEquals("withdraw-refused", again.code());
  }

  @Test
  @DisplayName("withdrawing a mass send deletes the mass message")
  void withdrawMass() {
    Slot slot = new Slot("mass", post(null));
    String msgId = ((Outcome.Published) slot.send(publisher)).channelId();

    await(publisher.withdraw(slot.send()));

    assertTrue(fake.massMessageDeleted(msgId));
  }

  @Test
  @DisplayName("a video interpretation is mass-sent as mpvideo, uploaded as video material first")
  void massVideo() {
    String video = asset("video/mp4", Buffer.buffer(new byte[]{0, 0, 0, 24, 'f', 't', 'y', 'p', 'm', 'p', '4', '2'}));
    PostView base = post(null);
    Slot slot = new Slot("mass", new PostView(base.id(), 1, "approved", department, base.title(), base.html(), "src",
      "interpretation", base.wechat(), null, false, video, null));

    Outcome.Published published = assertInstanceOf(Outcome.Published.class, slot.send(publisher));

    assertNotNull(published.state().getString("videoMediaId"));
    assertEquals(List.of(), fake.drafts(slot.id), "a video goes without a draft");
    assertEquals(1, fake.massSends(slot.clientMsgId));
  }

  @Test
  @DisplayName("a mass send of unknown outcome is not re-asked with its clientMsgId after 24 hours, when WeChat no longer refuses a repeat")
  void massCheckAfterADayDoesNotResend() {
    Slot slot = new Slot("mass", post(null));
    WeChatPublisher impatient = new WeChatPublisher(impatientGateway, media, Clock.systemUTC());
    fake.delayAnswer(SENDALL, 2_000);
    Outcome sent;
    try {
      sent = slot.send(impatient);
    } finally {
      fake.delayAnswer(SENDALL, 0);
    }
    int asked = fake.calls(SENDALL);

    WeChatPublisher aDayLater = new WeChatPublisher(gateway, media, Clock.offset(Clock.systemUTC(), Duration.ofHours(25)));
    Outcome checked = slot.check(aDayLater);

    assertInstanceOf(Outcome.Unknown.class, sent);
    assertInstanceOf(Outcome.Unknown.class, checked, checked::toString);
    assertEquals(asked, fake.calls(SENDALL), "no sendall after the clientMsgId's 24 hours");
    assertEquals(1, fake.massSends(slot.clientMsgId));
  }

  @Test
  @DisplayName("a preview goes to one editor's WeChat as mpnews")
  void preview() {
    String openid = "o" + chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", 27);

    await(publisher.preview(account, post(null), openid));

    assertTrue(fake.previews().stream().anyMatch(p -> openid.equals(p.getString("touser"))
      && p.getJsonObject("mpnews").getString("media_id") != null));
  }

  /** A slot as the scheduler keeps it: what progress saved and what the outcomes carried, merged. */
  class Slot {
    final String id = "sl" + chars("0123456789abcdef", 20);
    final String clientMsgId = "cm" + id;
    final String pageUrl = "https://www.example.gov.cn/p/post1?s=" + id;
    final String mode;
    final PostView post;
    JsonObject state = new JsonObject();
    int attempt;

    Slot(String mode, PostView post) {
      this.mode = mode;
      this.post = post;
    }

    Send send() {
      return new Send(id, ++attempt, "wechat", mode, post, account, clientMsgId, "10.0.0.1", pageUrl, state.copy(),
        saved -> {
          state = state.copy().mergeIn(saved);
          return Future.succeededFuture();
        });
    }

    Outcome send(WeChatPublisher publisher) {
      return keep(await(publisher.send(send())));
    }

    Outcome check(WeChatPublisher publisher) {
      return keep(await(publisher.check(send())));
    }

    private Outcome keep(Outcome outcome) {
      JsonObject learned = outcome instanceof Outcome.Published p ? p.state()
        : outcome instanceof Outcome.Pending p ? p.state()
        : outcome instanceof Outcome.Unknown u ? u.state() : null;
      if (learned != null) {
        state = state.copy().mergeIn(learned);
      }
      return outcome;
    }
  }

  /** A post with a WeChat article: a JPEG cover and, unless other HTML is given, one PNG image in the body. */
  PostView post(String html) {
    return post(html, null);
  }

  PostView post(String html, String sourceUrl) {
    String body = html != null ? html : "<p>政策解读正文</p><p><img src=\"/media/" + photo + "\" alt=\"图\"></p>";
    PostView.WeChat wechat = new PostView.WeChat("关于做好秋季防汛工作的通知", "宣传科", "防汛要点一览", cover, body, sourceUrl, true);
    return new PostView("post" + Client.unique(), 1, "approved", department, wechat.title(), body, null, "news", wechat,
      null, false, null, null);
  }

  String asset(String mime, Buffer bytes) {
    String id = chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 22);
    media.put(new MediaContent(id, mime.startsWith("video") ? "video" : "image", mime, id, "素材", bytes));
    return id;
  }

  static Buffer image(String format, int size) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    image.setRGB(size / 2, size / 2, 0xC00000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(out.toByteArray());
  }

  static String chars(String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer in time", e);
    }
  }

  static Throwable failure(Future<?> future) {
    try {
      future.await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("expected a failure, got " + future.result());
  }
}
