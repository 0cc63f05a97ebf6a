package io.govmedia.console;

import io.govmedia.Main;
import io.govmedia.support.Browser;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatchers' queue and the supervisors' board in Chromium, on an instance whose clock the test moves (a case
 * becomes overdue when its deadline has passed on the server's clock).
 */
@DisplayName("Console: dispatch and supervision")
class DispatchPagesTest {

  static MovableClock clock;
  static Main.Running instance;
  static Client client;
  static String admin;
  static Browser browser;

  @BeforeAll
  static void start() {
    Browser.assumeInstalled();
    clock = new MovableClock();
    instance = TestServer.get().startAnother(Map.of(), clock);
    client = new Client(instance.port());
    admin = client.adminToken();
    browser = Browser.open(instance.port());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (instance != null) {
      instance.close();
    }
  }

  @Test
  @DisplayName("an unrouted case is assigned to a department from the queue; once overdue it shows on the board "
    + "under that department with its count")
  void assignThenOverdue() {
    String city = client.department(admin, "市政府", null);
    String departmentA = client.department(admin, "城管局", city);
    String nameA = client.get("/api/v1/departments/" + departmentA, admin).json().getString("name");
    Client.Member steward = client.staffMember(admin, "分拨督办员", List.of("dispatcher", "supervisor"), List.of(city),
      List.of());
    String title = "占道经营" + InboxPagesTest.letters();
    Client.Response entered = client.post("/api/v1/cases", steward.token(), new JsonObject().put("channel", "phone")
      .put("category", "complaint").put("title", title).put("content", title + "，早高峰堵塞人行道"));
    assertEquals(201, entered.status(), entered::toString);
    String caseId = entered.json().getString("id");
    String number = entered.json().getString("number");
    assertEquals("dispatching", entered.json().getString("status"));

    Client.Response again = client.post("/api/v1/cases", steward.token(), new JsonObject().put("channel", "phone")
      .put("category", "complaint").put("title", title + "又一起").put("content", title + "，又有人反映"));
    assertEquals(201, again.status(), again::toString);
    Client.Response linked = client.post("/api/v1/cases/" + caseId + "/link", steward.token(),
      new JsonObject().put("caseId", again.json().getString("id")));
    assertEquals(200, linked.status(), linked::toString);

    browser.signIn(steward);
    browser.go("/hot-issues");
    WebElement issue = browser.waitFor(By.xpath("//li[contains(@class,'hot-issue')][contains(., '" + number + "')]"));
    assertTrue(issue.getText().contains("2 件") && issue.getText().contains("近 24 小时新增 2 件"), issue::getText);
    browser.assertNoScriptErrors();
    browser.assertAccessible("hot-issues");
    browser.screenshot("hot-issues");

    browser.go("/dispatch");
    WebElement row = InboxSteps.findRow(browser, number);
    assertTrue(row.getText().contains(title), row::getText);
    browser.assertNoScriptErrors();
    browser.assertAccessible("dispatch");
    browser.screenshot("dispatch");

    Client.Response live = client.post("/api/v1/cases", steward.token(), new JsonObject().put("channel", "phone")
      .put("category", "help").put("title", "独居老人求助" + InboxPagesTest.letters()).put("content", "独居老人家中停电"));
    assertEquals(201, live.status(), live::toString);
    String liveNumber = live.json().getString("number");
    browser.waitUntil(d -> !d.findElements(By.xpath("//table//tr[contains(., '" + liveNumber + "')]")).isEmpty());
    assertEquals(1, browser.driver().findElements(By.xpath("//table//tr[contains(., '" + liveNumber + "')]")).size(),
      "a case that arrives live is listed once");

    new Select(row.findElement(By.tagName("select"))).selectByVisibleText(nameA);
    row.findElement(By.xpath(".//button[normalize-space(.)='分派']")).click();
    browser.waitForText(number + " 已分派到" + nameA);
    browser.waitUntil(d -> d.findElements(By.xpath("//table//tr[contains(., '" + number + "')]")).isEmpty());
    JsonObject assigned = client.get("/api/v1/cases/" + caseId, admin).json();
    assertEquals(departmentA, assigned.getString("departmentId"), assigned::encode);
    assertEquals("assigned", assigned.getString("status"));
    browser.assertNoScriptErrors();

    clock.advance(Duration.ofDays(15));
    browser.signIn(steward);  // the session began 15 days ago on the server's clock
    browser.go("/supervision");
    browser.waitForText(title);
    WebElement group = browser.waitFor(By.xpath("//section[contains(@class,'board-group')][.//h3[contains(., '"
      + nameA + "')]]"));
    assertTrue(group.findElement(By.tagName("h3")).getText().contains("1 件"), group::getText);
    assertTrue(group.getText().contains(number) && group.getText().contains("已超期"), group::getText);
    browser.assertAccessible("supervision");
    browser.screenshot("supervision");
    browser.assertNoScriptErrors("status of 401");

    browser.go("/inbox");
    browser.button("本部门").click();
    WebElement overdue = InboxSteps.findRow(browser, title);
    assertTrue(overdue.getAttribute("class").contains("row-overdue"), overdue::getText);
    assertTrue(overdue.getText().contains("已超期"), overdue::getText);
    browser.assertNoScriptErrors();
  }
}
