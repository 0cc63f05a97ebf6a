package io.govmedia.console;

import io.govmedia.publishing.Desk;
import io.govmedia.support.Browser;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.govmedia.publishing.Desk.miniappSlot;
import static io.govmedia.publishing.Desk.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The dashboard in Chromium: charts of posts, followers and cases, their tables and CSV downloads")
class DashboardPageTest {

  static Client client;
  static Desk desk;
  static Browser browser;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    desk = new Desk(client);
    browser = Browser.open(client.port());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  static String accountName(String id) {
    return client.get("/api/v1/accounts/" + id, desk.admin).json().getString("name");
  }

  static String enterAndAssign(String dispatcher) {
    Client.Response created = client.post("/api/v1/cases", dispatcher, new JsonObject().put("channel", "phone")
      .put("category", "consultation").put("title", "供暖开始时间").put("content", "今年什么时候开始供暖？" + Client.unique()));
    assertEquals(201, created.status(), created::toString);
    String id = created.json().getString("id");
    Client.Response assigned = client.post("/api/v1/cases/" + id + "/assign", dispatcher,
      new JsonObject().put("departmentId", desk.department));
    assertEquals(200, assigned.status(), assigned::toString);
    return id;
  }

  /** Each chart panel's heading and its data table's cells, as the page shows them. */
  @SuppressWarnings("unchecked")
  static Map<String, List<List<String>>> tables() {
    List<Map<String, Object>> panels = (List<Map<String, Object>>) browser.script("""
      return [...document.querySelectorAll('.chart-panel')].map(p => ({
        title: p.querySelector('h2').textContent,
        rows: [...p.querySelectorAll('tbody tr')].map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent))
      }));""");
    Map<String, List<List<String>>> out = new java.util.LinkedHashMap<>();
    panels.forEach(p -> out.put((String) p.get("title"), (List<List<String>>) p.get("rows")));
    return out;
  }

  static List<String> row(List<List<String>> rows, String first) {
    return rows.stream().filter(r -> r.get(0).equals(first)).findFirst()
      .orElseThrow(() -> new AssertionError(first + " not in " + rows));
  }

  static List<String> numbers(JsonArray values) {
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(String.valueOf(v)));
    return out;
  }

  @Test
  @DisplayName("with posts published and cases received through the API, each chart draws and its table and CSV hold the API's numbers")
  void chartsTablesAndCsv() {
    for (int i = 0; i < 2; i++) {
      String post = desk.approvedPost("看板统计稿件" + i, false);
      String slot = desk.scheduled(post, miniappSlot(desk.miniapp, null)).getString("id");
      desk.awaitSlot(post, slot, Duration.ofSeconds(30), status("published"));
    }
    Client.Member viewer = client.staffMember(desk.admin, "看板主任", List.of("editor", "supervisor", "dispatcher"),
      List.of(desk.department), List.of(desk.miniapp, desk.subscription, desk.service, desk.weibo));
    enterAndAssign(viewer.token());
    enterAndAssign(viewer.token());
    String casesQuery = "/api/v1/cases/stats?departmentId=" + desk.department;
    browser.waitUntil(Duration.ofSeconds(20), d -> client.get(casesQuery, viewer.token()).json().getLong("received") == 2);

    browser.signIn(viewer.username(), viewer.password());
    browser.go("/dashboard");
    browser.waitUntil(d -> d.findElements(By.cssSelector(".chart-box canvas")).size() == 3);
    Object drawn = browser.script("return [...document.querySelectorAll('.chart-box canvas')]"
      + ".every(c => window.Chart.getChart(c) && c.width > 0 && c.getAttribute('aria-label'))");
    assertEquals(Boolean.TRUE, drawn, "every canvas holds a chart and says what it shows");

    Map<String, List<List<String>>> tables = tables();
    JsonObject posts = client.get("/api/v1/stats/posts?weeks=8", viewer.token()).json();
    JsonObject miniappStats = posts.getJsonArray("items").stream().map(JsonObject.class::cast)
      .filter(r -> desk.miniapp.equals(r.getString("accountId"))).findFirst().orElseThrow();
    List<String> expected = new ArrayList<>(List.of(accountName(desk.miniapp)));
    expected.addAll(numbers(miniappStats.getJsonArray("counts")));
    expected.add("2");
    assertEquals(expected, row(tables.get("各账号每周发布量"), accountName(desk.miniapp)));
    assertEquals(posts.getJsonArray("items").size(), tables.get("各账号每周发布量").size(), "one row per account");

    long followers = client.get("/api/v1/accounts/" + desk.subscription + "/followers?limit=1", viewer.token()).json()
      .getLong("total");
    assertEquals(List.of(accountName(desk.subscription), String.valueOf(followers)),
      row(tables.get("各公众号粉丝数"), accountName(desk.subscription)));

    JsonObject cases = client.get(casesQuery, viewer.token()).json();
    String departmentName = client.get("/api/v1/departments/" + desk.department, desk.admin).json().getString("name");
    List<String> caseRow = row(tables.get("各部门留言办理情况"), departmentName);
    assertEquals(List.of(departmentName, "2", String.valueOf(cases.getLong("answered")),
      String.valueOf(cases.getLong("answeredOnTime"))), caseRow.subList(0, 4));

    browser.assertAccessible("dashboard");
    browser.screenshot("dashboard");

    browser.script("""
      window.capturedCsv = [];
      const original = URL.createObjectURL.bind(URL);
      URL.createObjectURL = (blob) => { window.capturedCsv.push(blob); return original(blob); };""");
    browser.findAll(By.xpath("//section[h2='各账号每周发布量']//button[normalize-space(.)='下载 CSV']")).get(0).click();
    browser.waitUntil(d -> ((Number) browser.script("return window.capturedCsv.length")).intValue() == 1);
    String csv = ((String) browser.script("return window.capturedCsv[0].text()")).replace("\ufeff", "");
    List<String> lines = List.of(csv.split("\r?\n"));
    assertTrue(lines.get(0).startsWith("账号,") && lines.get(0).endsWith(",合计"), lines.get(0));
    assertTrue(lines.contains(String.join(",", expected)), "the CSV has the numbers drawn: " + csv);
    assertEquals(tables.get("各账号每周发布量").size() + 1, lines.size());

    browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(820, 1180));
    browser.waitUntil(d -> ((Number) browser.script("return window.innerWidth")).intValue() <= 820);
    browser.assertAccessible("dashboard on a tablet");
    browser.screenshot("dashboard-tablet");
    browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1366, 900));

    browser.button("显示数据表").click();
    browser.waitFor(By.xpath("//caption[normalize-space(.)='各账号每周发布量（条）']"));
    browser.assertAccessible("dashboard with a data table shown");
    browser.assertNoScriptErrors();
  }

  @Test
  @DisplayName("one account's followers that cannot be read leave its row out and say 部分数据加载失败; the other charts are whole")
  void oneFailedRequestFailsOnlyItsRow() {
    Client.Member viewer = client.staffMember(desk.admin, "看板编辑", List.of("editor"), List.of(desk.department),
      List.of(desk.subscription, desk.service));
    ChromeDriver chrome = (ChromeDriver) browser.driver();
    chrome.executeCdpCommand("Network.enable", Map.of());
    chrome.executeCdpCommand("Network.setBlockedURLs",
      Map.of("urls", List.of("*/api/v1/accounts/" + desk.subscription + "/followers*")));
    try {
      browser.signIn(viewer.username(), viewer.password());
      browser.go("/dashboard");
      browser.waitFor(By.xpath("//section[h2='各公众号粉丝数']//p[contains(.,'部分数据加载失败')]"));
      browser.waitFor(By.xpath("//section[h2='各账号每周发布量']//table"));
      Map<String, List<List<String>>> tables = tables();
      String blocked = accountName(desk.subscription);
      assertTrue(tables.get("各公众号粉丝数").stream().noneMatch(r -> r.get(0).equals(blocked)), tables::toString);
      assertTrue(browser.findAll(By.xpath("//section[h2='各账号每周发布量']//p[contains(.,'部分数据加载失败')]")).isEmpty());
      browser.assertAccessible("dashboard with a failed request");
      browser.screenshot("dashboard-partial");
      browser.assertNoScriptErrors("ERR_BLOCKED_BY_CLIENT", "followers");
    } finally {
      chrome.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
    }
  }
}
