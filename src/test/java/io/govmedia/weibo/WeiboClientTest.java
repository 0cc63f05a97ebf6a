package io.govmedia.weibo;

import io.govmedia.fakes.FakeWeibo;
import io.govmedia.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Weibo client against a fake Weibo of this test's own, so that scripted failures stay here. */
@DisplayName("The Weibo client")
class WeiboClientTest {

  static final String SHARE = "/2/statuses/share.json";
  static final String LINK = "https://" + TestServer.PUBLIC_HOST + "/p/abc?s=def";

  static FakeWeibo fake;
  static Vertx vertx;
  static WeiboClient client;

  String uid;
  String token;

  @BeforeAll
  static void start() {
    fake = FakeWeibo.start(TestServer.PUBLIC_HOST);
    vertx = Vertx.vertx();
    client = new WeiboClient(vertx, fake.baseUrl(), Duration.ofSeconds(2));
  }

  @AfterAll
  static void stop() {
    client.close();
    vertx.close().await();
    fake.close();
  }

  @BeforeEach
  void user() {
    uid = String.valueOf(1_000_000_000L + (long) (Math.random() * 1_000_000_000L));
    token = "2.00token" + uid;
    fake.token(token, uid, 86_400);
  }

  @Test
  @DisplayName("posts a status with its link and the editor's address, and answers Weibo's id and time")
  void sharesText() {
    Instant before = Instant.now().minusSeconds(1);
    WeiboClient.Status status = await(client.share(token, "政策解读：新规十问十答 " + LINK, null, "203.0.113.7"));

    FakeWeibo.Post post = fake.posts(uid).get(0);
    assertEquals(String.valueOf(post.id()), status.id());
    assertFalse(status.createdAt().isBefore(before.minusSeconds(1)), "created_at is read: " + status.createdAt());
    assertTrue(post.text().startsWith("政策解读：新规十问十答 http://t.cn/"), "Weibo shortens the link: " + post.text());
    assertEquals("203.0.113.7", post.rip());
    assertNull(post.pictureMime());
  }

  @Test
  @DisplayName("posts a status with a picture as multipart, keeping the Chinese text intact")
  void sharesPicture() {
    Buffer png = Buffer.buffer(new byte[]{(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13});
    await(client.share(token, "图解：一图读懂 " + LINK, picture("image/png", png), "203.0.113.7"));

    FakeWeibo.Post post = fake.posts(uid).get(0);
    assertEquals("image/png", post.pictureMime());
    assertEquals(png.length(), post.pictureBytes());
    assertTrue(post.text().startsWith("图解：一图读懂 "), post.text());
  }

  @Test
  @DisplayName("refuses a picture of 5 MB or one that is not a JPEG, GIF or PNG before sending anything")
  void refusesBadPictures() {
    int calls = fake.calls(SHARE);
    WeiboException tooBig = failure(client.share(token, "大图 " + LINK,
      picture("image/jpeg", Buffer.buffer(new byte[(int) WeiboClient.MAX_PICTURE_BYTES])), "203.0.113.7"));
    WeiboException webp = failure(client.share(token, "新格式 " + LINK,
      picture("image/webp", Buffer.buffer(new byte[10])), "203.0.113.7"));

    assertEquals(WeiboException.Kind.REFUSED, tooBig.kind());
    assertEquals(WeiboException.Kind.REFUSED, webp.kind());
    assertEquals(calls, fake.calls(SHARE), "nothing reached Weibo");
  }

  @Test
  @DisplayName("deletes a status, and reports one that is gone already as Weibo's 20101")
  void destroys() {
    WeiboClient.Status status = await(client.share(token, "将要删除的微博 " + LINK, null, "203.0.113.7"));

    await(client.destroy(token, status.id()));
    WeiboException again = failure(client.destroy(token, status.id()));

    assertTrue(fake.posts(uid).isEmpty());
    assertEquals(20101, again.errorCode());
  }

  @Test
  @DisplayName("reads the user's timeline newest first, and only what is newer than since_id")
  void readsTimeline() {
    WeiboClient.Status first = await(client.share(token, "第一条 " + LINK, null, "203.0.113.7"));
    WeiboClient.Status second = await(client.share(token, "第二条 " + LINK, null, "203.0.113.7"));

    List<WeiboClient.Status> all = await(client.userTimeline(token, uid, null, 20));
    List<WeiboClient.Status> newer = await(client.userTimeline(token, uid, first.id(), 20));

    assertEquals(List.of(second.id(), first.id()), all.stream().map(WeiboClient.Status::id).toList());
    assertEquals(List.of(second.id()), newer.stream().map(WeiboClient.Status::id).toList());
    assertTrue(all.get(1).text().startsWith("第一条 http://t.cn/"));
  }

  @Test
  @DisplayName("reads comments to the user's statuses and mentions of the user, newest first, only what is newer than since_id")
  void readsCommentsAndMentions() {
    FakeWeibo.Comment first = fake.commentTo(uid, "4900000000000101", "2000000001", "市民", "第一条评论");
    FakeWeibo.Comment second = fake.commentTo(uid, "4900000000000101", "2000000002", "网友", "第二条评论");
    FakeWeibo.Comment mention = fake.mention(uid, "2000000003", "热心网友", "@政务 提个建议");

    List<WeiboClient.Message> all = await(client.commentsToMe(token, null, 50, 1));
    List<WeiboClient.Message> newer = await(client.commentsToMe(token, String.valueOf(first.id()), 50, 1));
    List<WeiboClient.Message> mentions = await(client.mentions(token, null, 50, 1));

    assertEquals(List.of(String.valueOf(second.id()), String.valueOf(first.id())),
      all.stream().map(WeiboClient.Message::id).toList());
    assertEquals(new WeiboClient.Message(String.valueOf(second.id()), "4900000000000101", "2000000002", "网友", "第二条评论",
      all.get(0).createdAt()), all.get(0));
    assertEquals(1, newer.size());
    assertEquals(String.valueOf(mention.id()), mentions.get(0).statusId(), "a mention is its own status");
  }

  @Test
  @DisplayName("replies to a comment, and a reply over 140 Weibo characters is refused as Weibo refuses it")
  void repliesToComments() {
    FakeWeibo.Comment asked = fake.commentTo(uid, "4900000000000102", "2000000004", "市民", "请问？");

    String id = await(client.reply(token, asked.statusId(), String.valueOf(asked.id()), "您好，已答复。", "203.0.113.7"));
    WeiboException tooLong = failure(client.reply(token, asked.statusId(), String.valueOf(asked.id()), "长".repeat(141),
      "203.0.113.7"));

    assertEquals(List.of(id), fake.repliesBy(uid).stream().map(c -> String.valueOf(c.id())).toList());
    assertEquals(String.valueOf(asked.id()), fake.repliesBy(uid).get(0).replyTo());
    assertEquals(20012, tooLong.errorCode());
    assertEquals(WeiboException.Kind.REFUSED, tooLong.kind());
  }

  @ParameterizedTest(name = "error_code {0} is {1}")
  @CsvSource({
    "10022, RATE_LIMITED, 3600", "10023, RATE_LIMITED, 3600", "10024, RATE_LIMITED, 3600", "20016, RATE_LIMITED, 300",
    "21314, TOKEN_EXPIRED, -1", "21315, TOKEN_EXPIRED, -1", "21327, TOKEN_EXPIRED, -1", "21332, TOKEN_EXPIRED, -1",
    "21301, TOKEN_EXPIRED, -1", "20019, REPEATED, -1", "20017, REPEATED, -1", "20012, REFUSED, -1",
    "10017, REFUSED, -1"})
  @DisplayName("sorts Weibo's error codes into what the caller can do, and never puts the token in a message")
  void mapsErrors(int code, WeiboException.Kind kind, long retryAfterSeconds) {
    fake.failNext(SHARE, code);

    WeiboException failure = failure(client.share(token, "错误映射 " + code + " " + LINK, null, "203.0.113.7"));

    assertEquals(kind, failure.kind());
    assertEquals(code, failure.errorCode());
    assertEquals(retryAfterSeconds < 0 ? null : Duration.ofSeconds(retryAfterSeconds), failure.retryAfter());
    assertFalse(failure.getMessage().contains(token), failure.getMessage());
    assertTrue(fake.posts(uid).isEmpty());
  }

  @Test
  @DisplayName("reports an expired token as TOKEN_EXPIRED, as Weibo answers it")
  void expiredToken() {
    fake.token("2.00expired" + uid, uid, -10);

    WeiboException failure = failure(client.share("2.00expired" + uid, "过期 " + LINK, null, "203.0.113.7"));

    assertEquals(WeiboException.Kind.TOKEN_EXPIRED, failure.kind());
    assertEquals(21327, failure.errorCode());
  }

  @Test
  @DisplayName("reports an answer that came too late as UNKNOWN_OUTCOME: the status may well be out")
  void lateAnswerIsUnknown() {
    fake.delayNext(SHARE, 3000);

    WeiboException failure = failure(client.share(token, "迟到的答复 " + LINK, null, "203.0.113.7"));

    assertEquals(WeiboException.Kind.UNKNOWN_OUTCOME, failure.kind());
    assertEquals(1, fake.posts(uid).size(), "Weibo did post it");
  }

  @Test
  @DisplayName("reports a connection dropped after the request as UNKNOWN_OUTCOME")
  void resetIsUnknown() {
    fake.resetNext(SHARE);

    WeiboException failure = failure(client.share(token, "断开的连接 " + LINK, null, "203.0.113.7"));

    assertEquals(WeiboException.Kind.UNKNOWN_OUTCOME, failure.kind());
    assertEquals(1, fake.posts(uid).size());
  }

  @Test
  @DisplayName("reports a refused connection as UNREACHABLE: nothing was sent")
  void refusedConnectionIsUnreachable() {
    WeiboClient nowhere = new WeiboClient(vertx, "http://127.0.0.1:" + TestServer.freePort(), Duration.ofSeconds(1));
    try {
      WeiboException failure = failure(nowhere.share(token, "无法连接 " + LINK, null, "203.0.113.7"));
      assertEquals(WeiboException.Kind.UNREACHABLE, failure.kind());
    } finally {
      nowhere.close();
    }
  }

  static WeiboClient.Picture picture(String mime, Buffer bytes) {
    return new WeiboClient.Picture(mime, bytes);
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the call failed: " + e, e);
    }
  }

  static WeiboException failure(Future<?> future) {
    try {
      future.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return assertInstanceOf(WeiboException.class, e);
    }
    throw new AssertionError("the call succeeded");
  }
}
