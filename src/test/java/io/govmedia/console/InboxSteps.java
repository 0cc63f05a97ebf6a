package io.govmedia.console;

import io.govmedia.fakes.WeChatCallbacks;
import io.govmedia.support.Browser;
import io.govmedia.support.Client;
import io.govmedia.support.StoreAccess;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static com.mongodb.client.model.Filters.eq;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reply staff's steps in the console, for the inbox tests and the lead's end-to-end test: open a case from the
 * inbox, reply to it, wait for the reply's delivery; and {@link WeChatDesk}, a WeChat official account whose
 * citizens' messages arrive through signed callbacks and are routed to one department.
 */
public final class InboxSteps {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicLong MSG_IDS = new AtomicLong(System.nanoTime());

  private InboxSteps() {
  }

  /**
   * Opens 留言办理 on the department's tab, finds the case whose title (the message's first words) contains
   * {@code textInMessage} (following 加载更多 when the list has more pages) and opens its page.
   */
  public static void openCase(Browser b, String textInMessage) {
    b.go("/inbox");
    b.button("本部门").click();
    WebElement row = findRow(b, textInMessage);
    row.findElement(By.cssSelector("td a")).click();
    b.waitFor(By.cssSelector(".case-page"));
    b.waitForText(textInMessage);
  }

  /** The list row holding {@code text}, loading more pages until it shows. */
  public static WebElement findRow(Browser b, String text) {
    return b.waitUntil(Duration.ofSeconds(60), d -> {
      List<WebElement> rows = d.findElements(By.xpath("//table[contains(@class,'data')]//tr[contains(., '" + text + "')]"));
      if (!rows.isEmpty()) {
        return rows.get(0);
      }
      List<WebElement> more = d.findElements(By.xpath("//button[normalize-space(.)='加载更多']"));
      if (!more.isEmpty() && more.get(0).isEnabled()) {
        more.get(0).click();
      }
      return null;
    });
  }

  /** On a case page: adds {@code text} to the reply being written and sends it; waits until the reply is listed. */
  public static void reply(Browser b, String text) {
    WebElement box = b.labelled("答复内容");
    if (!box.getAttribute("value").isEmpty()) {
      box.sendKeys("\n");
    }
    box.sendKeys(text);
    b.button("发送答复").click();
    b.waitUntil(d -> d.findElements(By.cssSelector(".replies .reply-text")).stream()
      .anyMatch(p -> p.getText().contains(text)));
  }

  /**
   * On a case page: waits until a reply's delivery shows {@code deliveryLabel} (e.g. "公众号客服消息 · 已送达"),
   * without reloading: the page reads the case again by itself while a reply is being delivered.
   */
  public static void waitForDelivery(Browser b, String deliveryLabel) {
    try {
      b.waitUntil(Duration.ofSeconds(40), d -> d.findElements(By.cssSelector(".delivery")).stream()
        .anyMatch(e -> e.getText().contains(deliveryLabel)));
    } catch (org.openqa.selenium.TimeoutException notShown) {
      throw new AssertionError("no delivery \"" + deliveryLabel + "\" on the case page:\n" + b.text(), notShown);
    }
  }

  /**
   * A WeChat official account (plain callback mode, known to the fake WeChat) whose messages a routing rule sends to
   * {@code departmentId}; {@link #send} is a citizen writing in its chat, through a callback signed as WeChat signs.
   */
  public record WeChatDesk(String accountId, String appId, String originalId, WeChatCallbacks wechat, String ruleId) {

    public static WeChatDesk create(Client client, String admin, String departmentId) {
      String appId = "wx" + HexFormat.of().formatHex(bytes(8));
      String secret = HexFormat.of().formatHex(bytes(16));
      String token = "tok" + Client.unique();
      String aesKey = WeChatCallbacks.newAesKey();
      String originalId = "gh_" + HexFormat.of().formatHex(bytes(6));
      TestServer.get().wechat().app(appId, secret);
      Client.Response created = client.post("/api/v1/accounts", admin, new JsonObject().put("type", "wechat_mp")
        .put("name", "市民服务号" + Client.unique()).put("departmentId", departmentId).put("appId", appId)
        .put("appSecret", secret).put("token", token).put("aesKey", aesKey).put("originalId", originalId)
        .put("kind", "service").put("callbackMode", "plain"));
      assertEquals(201, created.status(), created::toString);
      String accountId = created.json().getString("id");
      Client.Response rule = client.post("/api/v1/routing-rules", admin, new JsonObject().put("name", "服务号留言")
        .put("priority", 1).put("accountId", accountId).put("departmentId", departmentId));
      assertEquals(201, rule.status(), rule::toString);
      return new WeChatDesk(accountId, appId, originalId, new WeChatCallbacks(token, aesKey, appId),
        rule.json().getString("id"));
    }

    /** A citizen's text message through the signed callback; answers the case's id once intake made it. */
    public String send(Client client, String openid, String text) {
      long now = Instant.now().getEpochSecond();
      WeChatCallbacks.Delivery delivery = wechat.plain(WeChatCallbacks.textMessage(originalId, openid, now,
        MSG_IDS.incrementAndGet(), text), now);
      Client.Response answer = client.raw("POST", "/wechat/callback/" + accountId + "?" + delivery.query(), null,
        "text/xml", delivery.body().getBytes(StandardCharsets.UTF_8));
      assertEquals(200, answer.status(), answer::toString);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline) {
        Document stored = StoreAccess.first(StoreAccess.collection("cases").find(eq("content", text)));
        if (stored != null && stored.getString("number") != null) {
          return stored.getString("_id");
        }
        pause();
      }
      throw new AssertionError("no case made of the message " + text);
    }

    public void removeRule(Client client, String admin) {
      client.raw("DELETE", "/api/v1/routing-rules/" + ruleId, admin, null, null);
    }
  }

  /** A random openid as WeChat gives one. */
  public static String openid() {
    return "o" + HexFormat.of().formatHex(bytes(12));
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
