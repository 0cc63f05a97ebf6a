package io.govmedia.console;

import io.govmedia.publishing.Desk;
import io.govmedia.support.Browser;
import io.govmedia.support.Client;
import io.govmedia.support.StoreAccess;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.List;

import static io.govmedia.console.CalendarSteps.BEIJING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The publishing calendar in Chromium")
class CalendarPageTest {

  static Client client;
  static Desk desk;
  static Client.Member editor;
  static Client.Member admin;
  static Browser browser;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    desk = new Desk(client);
    editor = client.staffMember(desk.admin, "排期编辑" + Client.unique(), List.of("editor"), List.of(desk.department),
      List.of(desk.miniapp, desk.subscription, desk.service, desk.weibo));
    admin = client.staffMember(desk.admin, "值班管理员" + Client.unique(), List.of("admin"), List.of(), List.of());
    browser = Browser.open(client.port());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  @DisplayName("a post scheduled through the page a few seconds ahead turns 已发布 on its card when the fake WeChat has sent it, without a reload")
  void scheduledAndPublishedLive() {
    String title = "日历群发" + Client.unique();
    String post = desk.approvedPost(title, true);
    browser.signIn(editor);
    browser.go("/calendar");
    browser.waitFor(By.cssSelector("table.cal-week"));
    browser.script("window.__marker = 'same page'");

    CalendarSteps.schedule(browser, title, accountName(desk.service), Instant.now().plusSeconds(5));
    CalendarSteps.waitForStatus(browser, title, "已发布");

    assertEquals("same page", browser.script("return window.__marker"), "the page was not reloaded");
    WebElement card = browser.find(By.xpath(CalendarSteps.card(title)));
    assertEquals("false", card.getAttribute("draggable"), "a published slot cannot be moved");
    assertTrue(card.getText().contains("群发"), card.getText());
    browser.waitUntil(d -> quotaRow(desk.service).contains("剩余 3/4 次"));
    JsonObject slot = client.get("/api/v1/posts/" + post + "/slots", desk.editor).items().getJsonObject(0);
    assertEquals("published", slot.getString("status"), slot::encode);
    assertEquals("mass", slot.getString("mode"));
    browser.assertNoScriptErrors();
    browser.assertAccessible("calendar week");
    browser.screenshot("calendar-week");

    browser.find(By.xpath(CalendarSteps.card(title) + "//button[contains(@class,'slot-open')]")).click();
    browser.waitFor(By.xpath("//dialog[@open]//h2[normalize-space(.)='排期详情']"));
    browser.waitFor(By.xpath("//dialog[@open]//legend[normalize-space(.)='撤回']"));
    assertTrue(browser.findAll(By.xpath("//dialog[@open]//legend[normalize-space(.)='改期']")).isEmpty(),
      "a published slot offers no reschedule");
    browser.assertAccessible("calendar slot dialog");
    browser.screenshot("calendar-slot");
    browser.button("×").click();
  }

  @Test
  @DisplayName("dragging a far-future card to another day and hour reschedules it; the detail dialog's 改期 does the same by keyboard")
  void dragAndDialogReschedule() {
    String title = "远期排期" + Client.unique();
    String post = desk.approvedPost(title, false);
    LocalDate day = LocalDate.now(BEIJING).plusDays(30);
    Instant at = day.atTime(10, 20).atZone(BEIJING).toInstant();
    String id = desk.scheduled(post, Desk.miniappSlot(desk.miniapp, at)).getString("id");
    LocalDate target = day.getDayOfWeek().getValue() == 7 ? day.minusDays(1) : day.plusDays(1);

    browser.signIn(editor);
    CalendarSteps.open(browser, day, false);
    browser.waitFor(By.xpath(CalendarSteps.card(title)));
    assertEquals(day + "|10", CalendarSteps.cellOf(browser, title));
    CalendarSteps.dragToHour(browser, title, target, 15);

    browser.waitForText("已改期至");
    Instant moved = target.atTime(15, 20).atZone(BEIJING).toInstant();
    assertEquals(moved, at(desk.slot(post, id)));
    assertEquals(target + "|15", CalendarSteps.cellOf(browser, title));
    browser.assertNoScriptErrors();

    browser.find(By.xpath(CalendarSteps.card(title) + "//button[contains(@class,'slot-open')]")).click();
    WebElement date = browser.labelled("新日期");
    browser.script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))", date,
      day.toString());
    browser.script("arguments[0].value = '08:05'; arguments[0].dispatchEvent(new Event('input'))",
      browser.labelled("新时间（北京时间）"));
    browser.button("改期").click();
    browser.waitUntil(d -> at(desk.slot(post, id)).equals(day.atTime(8, 5).atZone(BEIJING).toInstant()));
    browser.button("×").click();
    browser.waitUntil(d -> CalendarSteps.cellOf(browser, title).equals(day + "|8"));

    browser.button("月").click();
    browser.waitFor(By.cssSelector("table.cal-month"));
    browser.waitFor(By.xpath(CalendarSteps.card(title)));
    browser.assertNoScriptErrors();
    browser.assertAccessible("calendar month");
    browser.screenshot("calendar-month");
  }

  @Test
  @DisplayName("a card whose slot another editor moved meanwhile is refused with the problem's title and goes back, then shows the slot where it is")
  void refusedMoveGoesBack() {
    String title = "他人改过的排期" + Client.unique();
    String post = desk.approvedPost(title, false);
    LocalDate day = LocalDate.now(BEIJING).plusDays(40);
    String id = desk.scheduled(post, Desk.miniappSlot(desk.miniapp, day.atTime(10, 0).atZone(BEIJING).toInstant()))
      .getString("id");

    browser.signIn(editor);
    CalendarSteps.open(browser, day, false);
    browser.waitFor(By.xpath(CalendarSteps.card(title)));
    Instant elsewhere = day.atTime(11, 0).atZone(BEIJING).toInstant();
    Client.Response byOther = client.patch("/api/v1/posts/" + post + "/slots/" + id, desk.editor,
      new JsonObject().put("at", Desk.iso(elsewhere)));
    assertEquals(200, byOther.status(), byOther::toString);
    assertEquals(day + "|10", CalendarSteps.cellOf(browser, title), "a reschedule sends no event: the page is stale");

    CalendarSteps.dragToHour(browser, title, day, 16);

    browser.waitForText("数据已被他人修改");
    browser.waitUntil(d -> CalendarSteps.cellOf(browser, title).equals(day + "|11"));
    assertEquals(elsewhere, at(desk.slot(post, id)), "the other editor's time stands");
    browser.assertNoScriptErrors("409");

    openCard(title);
    browser.button("取消排期").click();
    browser.button("确认取消排期").click();
    browser.waitUntil(d -> "cancelled".equals(desk.slot(post, id).getString("status")));
    browser.button("×").click();
    CalendarSteps.waitForStatus(browser, title, "已取消");
    browser.assertNoScriptErrors();
  }

  @Test
  @DisplayName("a mass send WeChat refuses turns 发布失败 live; 重试 in the detail dialog publishes it and 撤回 takes it back")
  void failedRetriedAndWithdrawn() {
    String title = "被拒的群发" + Client.unique();
    String post = desk.approvedPost(title, true);
    browser.signIn(editor);
    browser.go("/calendar");
    browser.waitFor(By.cssSelector("table.cal-week"));
    TestServer.get().wechat().failNext("/cgi-bin/message/mass/sendall", 45028);
    desk.scheduled(post, Desk.massSlot(desk.service, null));

    CalendarSteps.waitForStatus(browser, title, "发布失败");
    openCard(title);
    browser.button("重试").click();
    browser.waitFor(By.xpath("//dialog[@open]//legend[normalize-space(.)='撤回']"));
    CalendarSteps.waitForStatus(browser, title, "已发布");
    browser.labelled("撤回原因").sendKeys("内容需更正");
    browser.button("撤回").click();
    CalendarSteps.waitForStatus(browser, title, "已撤回");
    browser.button("×").click();
    assertEquals("withdrawn", client.get("/api/v1/posts/" + post + "/slots", desk.editor).items().getJsonObject(0)
      .getString("status"));
    browser.assertNoScriptErrors();
  }

  private static void openCard(String title) {
    browser.find(By.xpath(CalendarSteps.card(title) + "//button[contains(@class,'slot-open')]")).click();
    browser.waitFor(By.xpath("//dialog[@open]//h2[normalize-space(.)='排期详情']"));
  }

  @Test
  @DisplayName("an admin's emergency hold shows a banner to everyone on the calendar; the release removes it")
  void holdAndRelease() {
    browser.signIn(admin);
    browser.go("/calendar");
    browser.waitFor(By.cssSelector("table.cal-week"));
    try {
      browser.button("紧急暂停").click();
      browser.labelled("暂停原因").sendKeys("全国哀悼日（测试）");
      browser.button("确认暂停").click();
      WebElement banner = browser.waitFor(By.cssSelector(".hold-banner"));
      assertTrue(banner.getText().contains("紧急暂停中") && banner.getText().contains("全国哀悼日（测试）"), banner.getText());
      browser.assertAccessible("calendar held");
      browser.screenshot("calendar-hold");

      browser.button("解除暂停").click();
      browser.button("确认解除").click();
      browser.waitUntil(d -> d.findElements(By.cssSelector(".hold-banner")).isEmpty());
      browser.button("紧急暂停");
      browser.assertNoScriptErrors();
    } finally {
      client.raw("POST", "/api/v1/publishing/release", desk.admin, null, null);
    }
  }

  @Test
  @DisplayName("the side panel shows mass sends left per official account and each account's days since its last post in its warning colour")
  void quotaAndInspection() {
    Instant now = Instant.now();
    setLastPublished(desk.miniapp, now.minus(Duration.ofDays(11)));
    setLastPublished(desk.weibo, now.minus(Duration.ofDays(15)));
    String post = desk.approvedPost("用完订阅号群发" + Client.unique(), true);
    String id = desk.scheduled(post, Desk.massSlot(desk.subscription, null)).getString("id");
    desk.awaitSlot(post, id, CalendarSteps.PUBLISH_WAIT, Desk.status("published"));

    browser.signIn(editor);
    browser.go("/calendar");
    browser.waitFor(By.cssSelector(".inspection-row[data-account-id='" + desk.weibo + "']"));

    assertBadge(".inspection-row[data-account-id='" + desk.miniapp + "']", "badge-warn", "11 天未更新 · 提醒");
    assertBadge(".inspection-row[data-account-id='" + desk.weibo + "']", "badge-danger", "15 天未更新 · 告警");
    assertBadge(".inspection-row[data-account-id='" + desk.subscription + "']", "badge-ok", "0 天未更新 · 正常");
    browser.waitFor(By.cssSelector(".quota-row[data-account-id='" + desk.subscription + "']"));
    assertBadge(".quota-row[data-account-id='" + desk.subscription + "']", "badge-danger", "剩余 0/1 次");
    assertTrue(quotaRow(desk.subscription).contains("订阅号 今日"), quotaRow(desk.subscription));
    browser.assertNoScriptErrors();
    browser.assertAccessible("calendar side panel");

    org.openqa.selenium.Dimension laptop = browser.driver().manage().window().getSize();
    try {
      browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(820, 1180));
      browser.waitFor(By.cssSelector(".inspection-row[data-account-id='" + desk.weibo + "']"));
      browser.assertAccessible("calendar on a tablet");
      browser.screenshot("calendar-tablet");
    } finally {
      browser.driver().manage().window().setSize(laptop);
    }
  }

  private static void assertBadge(String row, String tone, String text) {
    WebElement badge = browser.waitFor(By.cssSelector(row + " .badge"));
    assertEquals(text, badge.getText());
    assertTrue(badge.getAttribute("class").contains(tone), badge.getAttribute("class"));
  }

  private static String quotaRow(String accountId) {
    List<WebElement> rows = browser.findAll(By.cssSelector(".quota-row[data-account-id='" + accountId + "']"));
    return rows.isEmpty() ? "" : rows.get(0).getText();
  }

  private static void setLastPublished(String accountId, Instant at) {
    // the guard counts from the last publication: one made long ago, as the publishing feature records it
    StoreAccess.first(StoreAccess.collection("account_publications").replaceOne(new Document("_id", accountId),
      new Document("_id", accountId).append("lastPublishedAt", Date.from(at)),
      new com.mongodb.client.model.ReplaceOptions().upsert(true)));
  }

  private static String accountName(String accountId) {
    return client.get("/api/v1/accounts/" + accountId, desk.admin).json().getString("name");
  }

  private static Instant at(JsonObject slot) {
    return OffsetDateTime.parse(slot.getString("at")).toInstant();
  }
}
