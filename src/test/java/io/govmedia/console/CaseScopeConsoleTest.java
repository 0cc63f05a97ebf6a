package io.govmedia.console;

import io.govmedia.support.Browser;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A replier of another department finds a case nowhere in the console: not listed, not readable, not in any source. */
@DisplayName("Console: a case outside one's departments")
class CaseScopeConsoleTest {

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
  @DisplayName("B's replier sees A's WeChat case in no inbox tab or filter, not by its address, not among hot issues, "
    + "and its text is nowhere in the page source")
  void otherDepartmentSeesNothing() {
    String departmentA = client.department(admin, "城管局", null);
    String departmentB = client.department(admin, "住建局", null);
    Client.Member replierA = client.staffMember(admin, "办理员甲", List.of("replier"), List.of(departmentA), List.of());
    Client.Member replierB = client.staffMember(admin, "办理员乙", List.of("replier"), List.of(departmentB), List.of());
    InboxSteps.WeChatDesk desk = InboxSteps.WeChatDesk.create(client, admin, departmentA);
    String mark = "投诉" + InboxPagesTest.letters();
    String caseId;
    try {
      caseId = desk.send(client, InboxSteps.openid(), mark + "：小区门口的垃圾三天没人清运");
      String second = desk.send(client, InboxSteps.openid(), mark + "又来：小区门口的垃圾还没清运");
      Client.Response linked = client.post("/api/v1/cases/" + caseId + "/link", admin, new JsonObject().put("caseId", second));
      assertEquals(200, linked.status(), linked::toString);
    } finally {
      desk.removeRule(client, admin);
    }
    // B's own case, so that B's lists are not empty for want of cases
    String ownTitle = "楼道灯不亮" + InboxPagesTest.letters();
    Client.Response own = client.post("/api/v1/cases", admin, new JsonObject().put("channel", "phone")
      .put("category", "complaint").put("title", ownTitle).put("content", ownTitle));
    assertEquals(201, own.status(), own::toString);
    assertEquals(200, client.post("/api/v1/cases/" + own.json().getString("id") + "/assign", admin,
      new JsonObject().put("departmentId", departmentB)).status());

    // A's replier does see it (the test would prove nothing otherwise)
    browser.signIn(replierA);
    InboxSteps.openCase(browser, mark);

    browser.signIn(replierB);
    browser.go("/inbox");
    for (String tab : List.of("我的", "本部门")) {
      browser.button(tab).click();
      for (String status : List.of("全部未办结", "待分拨", "已分派", "办理中", "已暂停计时", "已答复", "已办结")) {
        new Select(browser.labelled("状态")).selectByVisibleText(status);
        settled();
        assertNowhere(mark);
      }
      new Select(browser.labelled("状态")).selectByVisibleText("全部未办结");
      for (String filter : List.of("只看已超期", "只看督办")) {
        browser.labelled(filter).click();
        settled();
        assertNowhere(mark);
        browser.labelled(filter).click();
      }
    }
    browser.button("本部门").click();
    InboxSteps.findRow(browser, ownTitle);
    browser.assertNoScriptErrors();

    browser.go("/cases/" + caseId);
    browser.waitForText("留言不存在或无权查看");
    assertNowhere(mark);
    browser.assertAccessible("case-not-found");
    browser.assertNoScriptErrors("status of 404");

    browser.go("/hot-issues");
    browser.waitFor(By.cssSelector(".hot-issues"));
    assertNowhere(mark);
    browser.assertNoScriptErrors();

    for (String path : List.of("/dispatch", "/supervision", "/supervision/department")) {
      browser.go(path);
      browser.waitUntil(d -> d.findElements(By.cssSelector("main#main [role=alert]")).size() > 0);
      assertNowhere(mark);
    }
    browser.assertNoScriptErrors();
  }

  /** The list has been read again after a filter changed. */
  private static void settled() {
    browser.waitUntil(d -> d.findElements(By.cssSelector("main#main .loading")).isEmpty()
      && !d.findElements(By.cssSelector("table.data")).isEmpty());
  }

  private static void assertNowhere(String mark) {
    assertFalse(browser.text().contains(mark), () -> "shown: " + browser.text());
    assertFalse(browser.driver().getPageSource().contains(mark), "in the page source");
    assertTrue(browser.findAll(By.cssSelector("a[href*='cases/']")).stream().noneMatch(a -> a.getText().contains(mark)));
  }
}
