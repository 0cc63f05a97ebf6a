package io.govmedia.wechat;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.govmedia.wechat.CallbackTest.deliver;
import static io.govmedia.wechat.CallbackTest.now;
import static io.govmedia.wechat.CallbackTest.register;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** WeChat's free publish results (PUBLISHJOBFINISH) reach publishing through the callback, once per delivery. */
@DisplayName("A free publish result pushed by WeChat")
class PublishJobEventTest {

  static Client client;
  static String admin;

  CallbackTest.Mp mp;
  List<JsonObject> handedOver;
  MessageConsumer<JsonObject> consumer;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
  }

  @BeforeEach
  void listen() throws Exception {
    mp = register(client, admin);
    handedOver = new CopyOnWriteArrayList<>();
    consumer = TestServer.get().running().vertx().eventBus().<JsonObject>consumer(WeChatFeature.PUBLISH_JOB_ADDRESS, m -> {
      if (mp.id().equals(m.body().getString("accountId"))) {
        handedOver.add(m.body());
      }
    });
    consumer.completion().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void unlisten() throws Exception {
    consumer.unregister().await(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("is handed to publishing with its publish_id, status, article id and URL, and a repeat is not handed over again")
  void handedOverOnce() throws InterruptedException {
    long createTime = now();
    String success = job(createTime, "2247483001", "<publish_status>0</publish_status>"
      + "<article_id><![CDATA[art_001]]></article_id><article_detail><count>1</count><item><idx>1</idx>"
      + "<article_url><![CDATA[https://mp.weixin.qq.com/s/art_001]]></article_url></item></article_detail>");

    assertEquals(200, deliver(client, mp, mp.wechat().plain(success, now())).status());
    assertEquals(200, deliver(client, mp, mp.wechat().plain(success, now())).status());  // WeChat's retry
    assertEquals(200, deliver(client, mp, mp.wechat().plain(job(createTime, "2247483002",
      "<publish_status>1</publish_status>"), now())).status());
    awaitHandedOver(2);

    assertEquals(new JsonObject().put("accountId", mp.id()).put("publishId", "2247483001").put("publishStatus", 0)
      .put("articleId", "art_001").put("articleUrl", "https://mp.weixin.qq.com/s/art_001"), handedOver.get(0));
    assertEquals("2247483002", handedOver.get(1).getString("publishId"));
  }

  @Test
  @DisplayName("a failed job is handed over with its status and no article")
  void failedJob() throws InterruptedException {
    String failed = job(now(), "2247483003", "<publish_status>4</publish_status><fail_idx>1</fail_idx>");

    assertEquals(200, deliver(client, mp, mp.wechat().plain(failed, now())).status());
    awaitHandedOver(1);

    assertEquals(4, handedOver.get(0).getInteger("publishStatus"));
    assertNull(handedOver.get(0).getString("articleId"));
    assertNull(handedOver.get(0).getString("articleUrl"));
  }

  private String job(long createTime, String publishId, String fields) {
    return "<xml><ToUserName><![CDATA[" + mp.originalId() + "]]></ToUserName>"
      + "<FromUserName><![CDATA[oSystem000000000000000000001]]></FromUserName><CreateTime>" + createTime + "</CreateTime>"
      + "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event>"
      + "<PublishEventInfo><publish_id>" + publishId + "</publish_id>" + fields + "</PublishEventInfo></xml>";
  }

  /** Polls until {@code n} results were handed over; the deliveries above were answered after handing over. */
  private void awaitHandedOver(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (handedOver.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(n, handedOver.size(), () -> "handed over: " + handedOver);
  }
}
