package io.govmedia.inbox;

import io.govmedia.content.WeiboLength;
import io.govmedia.fakes.FakeWeChat;
import io.govmedia.fakes.FakeWeibo;
import io.govmedia.platform.Config;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static io.govmedia.inbox.ChannelFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Texts reach the citizen on the channel they can still be reached on, against the fake WeChat and Weibo: a
 * customer-service message inside WeChat's 48 hours, else the template message, else the case page; a public Weibo
 * reply of at most 140 characters with the number and the link and no personal data. Every attempt is on the result.
 */
@DisplayName("Delivering acknowledgements and replies to citizens")
class DeliveryTest {

  static final String NUMBER = "2026-000123";
  static final String ACK = CaseTexts.acknowledgement(NUMBER, LocalDate.of(2026, 3, 9));
  static Client client;
  static String admin;
  static FakeWeChat wechat;
  static FakeWeibo weibo;

  @BeforeAll
  static void open() {
    ChannelFixtures.open();
    client = TestServer.get().client();
    admin = client.adminToken();
    wechat = TestServer.get().wechat();
    weibo = TestServer.get().weibo();
  }

  static Map<String, Config.WeChatTemplate> template(ChannelFixtures.WeChatAccount account) {
    return Map.of(account.appId(), new Config.WeChatTemplate("TPL-case-progress", "character_string1", "thing2"));
  }

  static Recipient wechatCitizen(ChannelFixtures.WeChatAccount account, String openid, Instant lastMessageAt) {
    return new Recipient("case" + Client.unique(), NUMBER, Channel.WECHAT, account.id(),
      new Citizen(openid, null, null, null), lastMessageAt, null);
  }

  @Test
  @DisplayName("inside the 48 hours the acknowledgement goes as a customer-service message carrying the case number")
  void customerServiceInsideTheWindow() {
    var account = ChannelFixtures.wechatAccount(client, admin);
    String openid = ChannelFixtures.openid();
    MovableClock clock = new MovableClock();

    Delivery delivery = await(ChannelFixtures.deliveries(template(account), clock)
      .deliver(wechatCitizen(account, openid, clock.instant().minus(Duration.ofMinutes(1))), ACK,
        Deliveries.Purpose.ACKNOWLEDGEMENT));

    assertEquals("wechat_kf", delivery.route());
    assertEquals("delivered", delivery.status());
    List<JsonObject> sent = wechat.kefuMessages(account.appId());
    assertEquals(1, sent.size());
    assertEquals(openid, sent.get(0).getString("touser"));
    assertTrue(sent.get(0).getJsonObject("text").getString("content").contains(NUMBER));
    assertEquals(List.of(new Delivery.Attempt("wechat_kf", true, null, delivery.attempts().get(0).at())),
      delivery.attempts());
  }

  @Test
  @DisplayName("47 h 59 min after the citizen's last message it is a customer-service message, at 48 h 1 min a template message")
  void theFortyEightHourEdge() {
    var account = ChannelFixtures.wechatAccount(client, admin);
    MovableClock clock = new MovableClock();
    Recipient citizen = wechatCitizen(account, ChannelFixtures.openid(), clock.instant());
    ChannelDeliveries deliveries = ChannelFixtures.deliveries(template(account), clock);

    clock.advance(Duration.ofHours(47).plusMinutes(59));
    Delivery justInside = await(deliveries.deliver(citizen, ACK, Deliveries.Purpose.ACKNOWLEDGEMENT));
    clock.advance(Duration.ofMinutes(2));
    Delivery justOutside = await(deliveries.deliver(citizen, ACK, Deliveries.Purpose.ACKNOWLEDGEMENT));

    assertEquals("wechat_kf", justInside.route());
    assertEquals("wechat_template", justOutside.route());
    assertEquals("delivered", justOutside.status());
    assertEquals(List.of("wechat_template"), justOutside.attempts().stream().map(Delivery.Attempt::route).toList(),
      "outside the window no customer-service message is even tried");
    assertEquals(1, wechat.kefuMessages(account.appId()).size());
    JsonObject template = wechat.templateMessages(account.appId()).get(0);
    assertEquals("TPL-case-progress", template.getString("template_id"));
    assertEquals(NUMBER, template.getJsonObject("data").getJsonObject("character_string1").getString("value"));
    assertEquals("https://" + TestServer.PUBLIC_HOST + "/c/" + citizen.caseId(), template.getString("url"));
  }

  @Test
  @DisplayName("a customer-service message refused with 45015 falls back to the template message, both attempts recorded")
  void refusedCustomerServiceFallsBackToTemplate() {
    var account = ChannelFixtures.wechatAccount(client, admin);
    MovableClock clock = new MovableClock();
    wechat.failNext("/cgi-bin/message/custom/send", 45015);

    Delivery delivery = await(ChannelFixtures.deliveries(template(account), clock)
      .deliver(wechatCitizen(account, ChannelFixtures.openid(), clock.instant()), "答复内容：请携带身份证到窗口办理。",
        Deliveries.Purpose.REPLY));

    assertEquals("wechat_template", delivery.route());
    assertEquals("delivered", delivery.status());
    assertEquals(List.of("wechat_kf", "wechat_template"), delivery.attempts().stream().map(Delivery.Attempt::route).toList());
    assertEquals("45015", delivery.attempts().get(0).error());
    assertFalse(delivery.attempts().get(0).ok());
    assertEquals(1, wechat.templateMessages(account.appId()).size());
  }

  @Test
  @DisplayName("without a template, or when the template message fails too, the reply waits on the mini-program's case page")
  void noTemplateOrFailedTemplateLeavesTheCasePage() {
    var account = ChannelFixtures.wechatAccount(client, admin);
    MovableClock clock = new MovableClock();
    Instant longAgo = clock.instant().minus(Duration.ofDays(3));

    Delivery noTemplate = await(ChannelFixtures.deliveries(Map.of(), clock)
      .deliver(wechatCitizen(account, ChannelFixtures.openid(), longAgo), "答复", Deliveries.Purpose.REPLY));
    wechat.failNext("/cgi-bin/message/template/send", 43004);
    Delivery templateFailed = await(ChannelFixtures.deliveries(template(account), clock)
      .deliver(wechatCitizen(account, ChannelFixtures.openid(), longAgo), "答复", Deliveries.Purpose.REPLY));

    assertEquals("miniapp_page", noTemplate.route());
    assertEquals("available", noTemplate.status());
    assertEquals(List.of(), noTemplate.attempts());
    assertEquals("miniapp_page", templateFailed.route());
    assertEquals("available", templateFailed.status());
    assertEquals("43004", templateFailed.attempts().get(0).error());
    assertTrue(wechat.templateMessages(account.appId()).isEmpty());
  }

  @Test
  @DisplayName("a Weibo reply is one public comment of at most 140 characters with the number and the link, and no personal data")
  void weiboReplyIsShortNumberedAndMasked() {
    var account = ChannelFixtures.weiboAccount(client, admin);
    FakeWeibo.Comment asked = weibo.commentTo(account.uid(), "4900000000000001", ChannelFixtures.digits(10), "市民",
      "请问怎么办理？");
    String reply = "张三您好，您反映的问题已转交区住建局，联系人电话13812345678，身份证号110105199003071234已核验。"
      + "我们将持续跟进处理进度并及时反馈。".repeat(6);
    Recipient citizen = new Recipient("case" + Client.unique(), NUMBER, Channel.WEIBO, account.id(),
      new Citizen(null, null, asked.authorUid(), "市民"), Instant.now(),
      new JsonObject().put("statusId", asked.statusId()).put("commentId", String.valueOf(asked.id())));

    Delivery delivery = await(ChannelFixtures.deliveries(Map.of(), new MovableClock())
      .deliver(citizen, reply, Deliveries.Purpose.REPLY));

    assertEquals("weibo_comment", delivery.route());
    assertEquals("delivered", delivery.status());
    FakeWeibo.Comment posted = weibo.repliesBy(account.uid()).get(0);
    assertEquals(String.valueOf(asked.id()), posted.replyTo());
    assertTrue(WeiboLength.count(posted.text()) <= 140, posted.text());
    assertTrue(posted.text().contains(NUMBER));
    assertTrue(posted.text().endsWith("https://" + TestServer.PUBLIC_HOST + "/c/" + citizen.caseId()), posted.text());
    assertFalse(posted.text().contains("13812345678"), posted.text());
    assertFalse(posted.text().contains("110105199003071234"), posted.text());
  }

  @Test
  @DisplayName("a Weibo outage ends the delivery as failed with Weibo's error code, never as a failed future")
  void weiboOutageIsAFailedDelivery() {
    var account = ChannelFixtures.weiboAccount(client, admin);
    weibo.failNext("/2/comments/reply.json", 10023);
    Recipient citizen = new Recipient("case" + Client.unique(), NUMBER, Channel.WEIBO, account.id(),
      new Citizen(null, null, "123", null), Instant.now(), new JsonObject().put("statusId", "1").put("commentId", "2"));

    Delivery delivery = await(ChannelFixtures.deliveries(Map.of(), new MovableClock())
      .deliver(citizen, ACK, Deliveries.Purpose.ACKNOWLEDGEMENT));

    assertEquals("failed", delivery.status());
    assertEquals("weibo_comment", delivery.route());
    assertEquals("10023", delivery.attempts().get(0).error());
  }

  @Test
  @DisplayName("a reply to an article comment goes under that comment, with the number")
  void articleCommentReply() {
    var account = ChannelFixtures.wechatAccount(client, admin);
    String msgDataId = ChannelFixtures.digits(10);
    int commentId = wechat.articleComment(msgDataId, 0, ChannelFixtures.openid(), "小区门口路灯坏了");
    Recipient citizen = new Recipient("case" + Client.unique(), NUMBER, Channel.WECHAT_COMMENT, account.id(),
      Citizen.UNKNOWN, Instant.now(),
      new JsonObject().put("msgDataId", msgDataId).put("index", 0).put("userCommentId", commentId));

    Delivery delivery = await(ChannelFixtures.deliveries(Map.of(), new MovableClock())
      .deliver(citizen, "已安排维修。", Deliveries.Purpose.REPLY));

    assertEquals("wechat_comment", delivery.route());
    assertEquals("delivered", delivery.status());
    JsonObject reply = wechat.commentReplies().stream()
      .filter(r -> msgDataId.equals(r.getString("msg_data_id"))).findFirst().orElseThrow();
    assertEquals(commentId, reply.getInteger("user_comment_id"));
    assertTrue(reply.getString("content").contains(NUMBER));
  }

  @Test
  @DisplayName("a phone case is not sent anywhere: the delivery fails with the reason staff see")
  void staffEnteredChannelsAreAnsweredByHand() {
    Recipient caller = new Recipient("case" + Client.unique(), NUMBER, Channel.PHONE, null, Citizen.UNKNOWN, null, null);

    Delivery delivery = await(ChannelFixtures.deliveries(Map.of(), new MovableClock())
      .deliver(caller, ACK, Deliveries.Purpose.ACKNOWLEDGEMENT));

    assertEquals("none", delivery.route());
    assertEquals("failed", delivery.status());
    assertEquals("需电话/书面答复", delivery.attempts().get(0).error());
  }
}
