package io.govmedia.console;

import io.govmedia.citizen.Newsroom;
import io.govmedia.support.Browser;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reply staff's inbox and case page in Chromium, against the real server and the fake WeChat. */
@DisplayName("Console: the reply staff's inbox")
class InboxPagesTest {

  static Client client;
  static String admin;
  static Browser browser;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    browser = Browser.open(client.port());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  @DisplayName("a WeChat message routed to A appears live in A's replier's inbox with its countdown and the badge; "
    + "the replier answers it with a canned reply and a document link, and the case shows the kf delivery")
  void answerACaseThatArrivedThroughWeChat() {
    String departmentA = client.department(admin, "城管局", null);
    Client.Member replier = client.staffMember(admin, "办理员小周", List.of("replier"), List.of(departmentA), List.of());
    InboxSteps.WeChatDesk desk = InboxSteps.WeChatDesk.create(client, admin, departmentA);
    String cannedText = "您好，您反映的问题已收到，我们已安排人员现场核实。";
    Client.Response canned = client.post("/api/v1/canned-replies", admin, new JsonObject().put("departmentId", departmentA)
      .put("title", "已安排核实").put("text", cannedText));
    assertEquals(201, canned.status(), canned::toString);
    String documentTitle = "路灯维护管理办法" + letters();
    new Newsroom(client).publishedDocument(documentTitle);
    awaitSearchable(replier.token(), documentTitle);

    try {
      browser.signIn(replier);
      browser.go("/inbox");
      browser.waitForText("没有符合条件的留言");
      browser.waitForText("实时已连接");

      String mark = "咨询" + letters();
      String text = mark + "：幸福路的路灯坏了一个月，什么时候修？";
      desk.send(client, InboxSteps.openid(), text);

      WebElement row = InboxSteps.findRow(browser, mark);
      assertTrue(row.getText().contains("微信公众号"), row::getText);
      assertTrue(row.getText().contains("剩 ") && row.getText().contains("个工作日"), row::getText);
      WebElement badge = browser.waitFor(By.cssSelector("header .attention"));
      assertEquals("新提醒 1", badge.getText(), "one new case, one reminder (the shell counts it once)");
      browser.assertNoScriptErrors();
      browser.assertAccessible("inbox");
      browser.screenshot("inbox");

      InboxSteps.openCase(browser, mark);
      browser.waitForText(text);
      browser.waitForText("办理经过");
      browser.waitForText("按规则分办");
      assertEquals("新提醒 1", browser.find(By.cssSelector("header .attention")).getText(),
        "the case's later events add no second reminder");

      new Select(browser.labelled("常用答复")).selectByVisibleText("已安排核实");
      browser.button("插入常用答复").click();
      browser.waitUntil(d -> browser.labelled("答复内容").getAttribute("value").contains(cannedText));

      browser.labelled("搜索已发布文件").sendKeys(documentTitle);
      browser.button("搜索文件").click();
      browser.button("插入链接").click();
      browser.waitForText("《" + documentTitle + "》");

      InboxSteps.reply(browser, "预计本周内修复。");
      InboxSteps.waitForDelivery(browser, "公众号客服消息 · 已送达");
      browser.waitForText("已答复");
      List<JsonObject> sent = TestServer.get().wechat().kefuMessages(desk.appId());
      assertTrue(sent.stream().anyMatch(m -> m.encode().contains("预计本周内修复") && m.encode().contains(documentTitle)),
        () -> "the fake WeChat got " + sent);
      browser.assertNoScriptErrors();
      browser.assertAccessible("inbox-case");
      browser.screenshot("inbox-case");
    } finally {
      desk.removeRule(client, admin);
    }
  }

  @Test
  @DisplayName("a reply WeChat is slow to take shows 正在发送 on the open case page, then its delivery, without a reload")
  void slowDeliveryFollowedByThePage() throws Exception {
    String department = client.department(admin, "水务局", null);
    Client.Member replier = client.staffMember(admin, "办理员小孙", List.of("replier"), List.of(department), List.of());
    InboxSteps.WeChatDesk desk = InboxSteps.WeChatDesk.create(client, admin, department);
    try {
      String mark = "停水" + letters();
      String caseId = desk.send(client, InboxSteps.openid(), mark + "：和平街停水两天了，什么时候恢复？");
      browser.signIn(replier);
      browser.go("/cases/" + caseId);
      browser.waitForText(mark);
      browser.waitForText("实时已连接");
      TestServer.get().wechat().latency(Duration.ofSeconds(3));
      CompletableFuture<Client.Response> sent = CompletableFuture.supplyAsync(() -> client.post(
        "/api/v1/cases/" + caseId + "/reply", replier.token(), new JsonObject().put("text", "明天上午恢复供水。")));
      browser.waitForText("正在发送");
      InboxSteps.waitForDelivery(browser, "公众号客服消息 · 已送达");
      Client.Response answer = sent.get(30, TimeUnit.SECONDS);
      assertEquals(201, answer.status(), answer::toString);
      browser.assertNoScriptErrors();
    } finally {
      TestServer.get().wechat().latency(Duration.ZERO);
      desk.removeRule(client, admin);
    }
  }

  @Test
  @DisplayName("at a tablet's width the inbox and its filters still work")
  void tabletWidth() {
    String department = client.department(admin, "住建局", null);
    Client.Member replier = client.staffMember(admin, "办理员小吴", List.of("replier"), List.of(department), List.of());
    Client.Response entered = client.post("/api/v1/cases", admin, new JsonObject().put("channel", "phone")
      .put("category", "complaint").put("title", "楼道堆放杂物" + letters()).put("content", "楼道堆放杂物影响通行"));
    assertEquals(201, entered.status(), entered::toString);
    String caseId = entered.json().getString("id");
    assertEquals(200, client.post("/api/v1/cases/" + caseId + "/assign", admin,
      new JsonObject().put("departmentId", department)).status());
    String title = entered.json().getString("title");
    browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(820, 1180));
    try {
      browser.signIn(replier);
      browser.go("/inbox");
      browser.button("本部门").click();
      InboxSteps.findRow(browser, title);
      new Select(browser.labelled("类别")).selectByVisibleText("咨询");
      browser.waitForText("没有符合条件的留言");
      new Select(browser.labelled("类别")).selectByVisibleText("投诉");
      InboxSteps.findRow(browser, title);
      browser.assertNoScriptErrors();
      browser.assertAccessible("inbox-tablet");
      browser.screenshot("inbox-tablet");
    } finally {
      browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1366, 900));
    }
  }

  @Test
  @DisplayName("on the case page a replier claims a case and asks for more days, the department's head approves them "
    + "and transfers the case to another department, which takes it out of A's sight")
  void claimExtendApproveTransfer() {
    String departmentA = client.department(admin, "城管局", null);
    String departmentB = client.department(admin, "住建局", null);
    String nameB = client.get("/api/v1/departments/" + departmentB, admin).json().getString("name");
    Client.Response claimMode = client.raw("PUT", "/api/v1/reply-settings/" + departmentA, admin, "application/json",
      new JsonObject().put("assignment", "claim").encode().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(200, claimMode.status(), claimMode::toString);
    Client.Member replier = client.staffMember(admin, "办理员小郑", List.of("replier"), List.of(departmentA), List.of());
    Client.Member head = client.staffMember(admin, "科长老李", List.of("replier"), List.of(departmentA), List.of());
    assertEquals(200, client.patch("/api/v1/staff/" + head.id(), admin,
      new JsonObject().put("headOf", new io.vertx.core.json.JsonArray().add(departmentA))).status());
    String title = "井盖缺失" + letters();
    Client.Response entered = client.post("/api/v1/cases", admin, new JsonObject().put("channel", "phone")
      .put("category", "complaint").put("title", title).put("content", title + "，夜间行人容易跌落")
      .put("contact", new JsonObject().put("name", "王小明").put("phone", "13912345678")));
    assertEquals(201, entered.status(), entered::toString);
    String caseId = entered.json().getString("id");
    assertEquals(200, client.post("/api/v1/cases/" + caseId + "/assign", admin,
      new JsonObject().put("departmentId", departmentA)).status());

    browser.signIn(replier);
    browser.go("/cases/" + caseId);
    browser.waitForText("王**");
    browser.waitForText("139****5678");
    browser.button("认领").click();
    browser.waitForText("办理中");
    browser.button("申请延期").click();
    WebElement days = browser.labelled("延期天数（工作日）");
    days.clear();
    days.sendKeys("2");
    browser.labelled("理由").sendKeys("需要协调燃气公司共同处置");
    browser.assertAccessible("case-dialog");
    browser.button("确定").click();
    browser.waitForText("延期申请待审批");
    browser.assertNoScriptErrors();

    browser.signIn(head);
    browser.go("/inbox");
    browser.button("本部门督办看板").click();
    browser.waitForText("待审批的延期申请");
    WebElement waiting = InboxSteps.findRow(browser, "需要协调燃气公司共同处置");
    assertTrue(waiting.getText().contains("延期 2 个工作日"), waiting::getText);
    browser.assertAccessible("supervision-department");
    browser.assertNoScriptErrors();
    waiting.findElement(By.cssSelector("td a")).click();
    browser.waitFor(By.cssSelector(".case-page"));
    browser.button("批准延期").click();
    browser.waitUntil(d -> d.findElement(By.cssSelector(".timeline")).getText().contains("批准延期"));
    browser.button("转办").click();
    new Select(browser.labelled("转办到部门")).selectByVisibleText(nameB);
    browser.labelled("理由").sendKeys("属住建局职责");
    browser.button("确定").click();
    browser.waitUntil(d -> d.getCurrentUrl().endsWith("#/inbox"));
    JsonObject after = client.get("/api/v1/cases/" + caseId, admin).json();
    assertEquals(departmentB, after.getString("departmentId"), after::encode);
    browser.assertNoScriptErrors("status of 404");
  }

  /** The search index is kept current asynchronously: wait until the document can be found. */
  private static void awaitSearchable(String token, String title) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      Client.Response found = client.get("/api/v1/search?kind=document&q=" + java.net.URLEncoder.encode(title,
        java.nio.charset.StandardCharsets.UTF_8), token);
      if (found.status() == 200 && found.text().contains(title)) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new AssertionError("the document " + title + " was not found by search");
  }

  /** Unique letters (a run of digits could look like a phone number to the content checks). */
  static String letters() {
    return Client.unique().chars().mapToObj(c -> String.valueOf((char) ('a' + c % 26)))
      .collect(java.util.stream.Collectors.joining());
  }
}
