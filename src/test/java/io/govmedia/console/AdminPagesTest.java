package io.govmedia.console;

import io.govmedia.accounts.Fixtures;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.List;

import static io.govmedia.console.AdminSteps.loadUntil;
import static io.govmedia.console.AdminSteps.setValue;
import static io.govmedia.console.AdminSteps.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The administration pages (issue 11 point 8) in Chromium against the real server and the fake WeChat and Weibo. */
class AdminPagesTest {

  private static final TestServer server = TestServer.get();
  private static final Client client = server.client();
  private static Browser browser;

  @BeforeAll
  static void open() {
    browser = Browser.open(client.port());
  }

  @AfterAll
  static void close() {
    if (browser != null) {
      browser.close();
    }
  }

  private static void signInAsAdmin() {
    browser.signIn("admin", TestServer.ADMIN_PASSWORD);
  }

  private static WebElement byAria(String label) {
    return browser.waitFor(By.cssSelector("[aria-label='" + label + "']"));
  }

  @Test
  @DisplayName("An admin builds the department tree and creates a staff member, who then sees only what their roles allow")
  void departmentsAndStaff() {
    signInAsAdmin();
    String parent = "宣传处-" + Client.unique();
    String child = "新媒体科-" + Client.unique();
    AdminSteps.createDepartment(browser, parent, null);
    AdminSteps.createDepartment(browser, child, parent);
    browser.waitFor(By.xpath("//li[div/span[normalize-space(.)='" + parent + "']]//ul//span[normalize-space(.)='"
      + child + "']"));
    browser.assertAccessible("admin-departments");
    browser.assertNoScriptErrors();

    byAria("重命名或移动 " + child).click();
    WebElement name = browser.find(By.cssSelector("dialog[open] input[name=name]"));
    type(name, child + "甲");
    new Select(browser.find(By.cssSelector("dialog[open] select"))).selectByVisibleText("（顶级部门）");
    browser.find(By.cssSelector("dialog[open] button[type=submit]")).click();
    browser.waitForText("部门已保存");
    browser.waitFor(By.xpath("//ul[@class='admin-tree']/li/div/span[normalize-space(.)='" + child + "甲']"));
    browser.screenshot("admin-departments");

    String username = "u" + Client.unique();
    String password = "Staff-Passw0rd-" + Client.unique();
    String displayName = "审核员小周" + Client.unique().substring(0, 4);
    AdminSteps.createStaff(browser, username, displayName, password, List.of("编辑", "审核员"), List.of(parent));
    type(browser.labelled("查找（姓名或用户名）"), username);
    browser.waitUntil(d -> d.findElements(By.cssSelector("table.data tbody tr")).size() == 1
      && browser.text().contains(displayName));
    String row = browser.find(By.cssSelector("table.data tbody tr")).getText();
    assertTrue(row.contains("编辑、审核员"), row);
    assertTrue(row.contains(parent), row);
    assertTrue(row.contains("在岗"), row);
    browser.assertAccessible("admin-staff");
    browser.assertNoScriptErrors();
    browser.screenshot("admin-staff");

    byAria("编辑 " + displayName).click();
    browser.labelled("分派员").click();
    browser.labelled(parent).isSelected();
    browser.find(By.cssSelector("dialog[open] button[type=submit]")).click();
    browser.waitForText("已保存 " + displayName + " 的信息");
    browser.waitUntil(d -> d.findElement(By.cssSelector("table.data tbody tr")).getText().contains("编辑、审核员、分派员"));
    byAria("设为离开：" + displayName).click();
    browser.waitUntil(d -> d.findElement(By.cssSelector("table.data tbody tr")).getText().contains("离开"));
    browser.assertNoScriptErrors();

    browser.signIn(username, password);
    browser.waitForText(displayName);
    String nav = browser.find(By.cssSelector("nav.sidenav")).getText();
    assertFalse(nav.contains("系统管理"), nav);
    assertFalse(nav.contains("人员与角色"), nav);
    assertTrue(browser.find(By.cssSelector("header.topbar")).getText().contains("编辑、审核员、分派员"));
    browser.go("/admin/staff");
    browser.waitForText("您没有使用此功能的权限。");
    browser.assertNoScriptErrors();
  }

  @Test
  @DisplayName("A WeChat account's secrets never come back to the page, and its callback URL is shown to copy")
  void wechatAccountSecretsAreWriteOnly() {
    String admin = client.adminToken();
    String department = "办公室-" + Client.unique();
    client.post("/api/v1/departments", admin, new JsonObject().put("name", department));
    String accountName = "政务公众号-" + Client.unique();
    String appSecret = "Sec" + Fixtures.alnum(29);
    String token = "Tok" + Fixtures.alnum(17);
    String aesKey = Fixtures.alnum(43);

    signInAsAdmin();
    browser.go("/admin/accounts");
    browser.button("登记账号").click();
    type(browser.labelled("账号名称"), accountName);
    browser.waitUntil(d -> new Select(browser.labelled("主管部门")).getOptions().stream()
      .anyMatch(o -> o.getText().equals(department)));
    new Select(browser.labelled("主管部门")).selectByVisibleText(department);
    type(browser.labelled("AppID"), Fixtures.appId());
    type(browser.labelled("原始 ID"), "gh_" + Fixtures.digits(12));
    type(browser.labelled("AppSecret（开发者密码）"), appSecret);
    type(browser.labelled("令牌（Token）"), token);
    type(browser.labelled("消息加解密密钥（EncodingAESKey）"), aesKey);
    browser.find(By.cssSelector("dialog[open] button[type=submit]")).click();
    browser.waitForText("已登记账号“" + accountName + "”");

    String url = browser.labelled("回调地址（URL）").getDomProperty("value");
    assertTrue(url.startsWith(browser.base() + "/wechat/callback/"), url);
    String id = url.substring(url.lastIndexOf('/') + 1);
    assertEquals(accountName, client.get("/api/v1/accounts/" + id, admin).json().getString("name"));
    browser.waitForText("安全模式");
    browser.waitForText("基本配置 → 服务器配置");
    assertSecretsAbsent(appSecret, token, aesKey);
    browser.button("复制").click();
    browser.waitForText("已复制到剪贴板");
    browser.assertAccessible("admin-accounts-wechat");
    browser.screenshot("admin-accounts-wechat");

    browser.driver().navigate().refresh();
    browser.go("/admin/accounts");
    loadUntil(browser, accountName);
    byAria("编辑 " + accountName).click();
    browser.waitFor(By.cssSelector("dialog[open] input[readonly]"));
    browser.waitForText("已设置，留空则不修改");
    assertSecretsAbsent(appSecret, token, aesKey);
    assertEquals("", browser.labelled("AppSecret（开发者密码）").getDomProperty("value"));
    browser.find(By.cssSelector("dialog[open] .btn-close")).click();
    browser.assertAccessible("admin-accounts");
    browser.assertNoScriptErrors();
    browser.screenshot("admin-accounts");
  }

  private static void assertSecretsAbsent(String... secrets) {
    String values = String.valueOf(browser.script("return [...document.querySelectorAll('input, textarea, select')]"
      + ".map(e => e.value).join('\\n')"));
    String source = browser.driver().getPageSource();
    for (String secret : secrets) {
      assertFalse(values.contains(secret), "a control holds a stored secret");
      assertFalse(source.contains(secret), "the page holds a stored secret");
      assertFalse(browser.text().contains(secret), "the page shows a stored secret");
    }
  }

  @Test
  @DisplayName("The Weibo authorize button opens Weibo's authorization page for the account in a new tab")
  void weiboAuthorizeOpensWeibo() {
    String admin = client.adminToken();
    String department = client.department(admin, "网信办", null);
    JsonObject body = Fixtures.weibo(department);
    JsonObject account = Fixtures.create(client, admin, body);
    server.weibo().app(body.getString("appKey"), body.getString("appSecret"));

    signInAsAdmin();
    browser.go("/admin/accounts");
    new Select(browser.labelled("平台")).selectByValue("weibo");
    loadUntil(browser, account.getString("name"));
    WebElement row = browser.find(By.xpath("//tr[td[normalize-space(.)='" + account.getString("name") + "']]"));
    assertTrue(row.getText().contains("已授权"), row.getText());
    String console = browser.driver().getWindowHandle();
    byAria("微博授权：" + account.getString("name")).click();
    browser.waitUntil(d -> d.getWindowHandles().size() == 2);
    String opened = browser.driver().getWindowHandles().stream().filter(h -> !h.equals(console)).findFirst().orElseThrow();
    browser.driver().switchTo().window(opened);
    String url = browser.waitUntil(d -> d.getCurrentUrl().startsWith(server.weibo().baseUrl()) ? d.getCurrentUrl() : null);
    assertTrue(url.startsWith(server.weibo().baseUrl() + "/oauth2/authorize?"), url);
    assertTrue(url.contains("client_id=" + body.getString("appKey")), url);
    assertTrue(url.contains("state="), url);
    browser.driver().close();
    browser.driver().switchTo().window(console);
    browser.waitForText("已在新标签页打开微博授权页");
    browser.assertNoScriptErrors("/oauth2/authorize", "/favicon.ico");
  }

  @Test
  @DisplayName("A menu built in the visual editor is checked against WeChat's limits and reaches WeChat as its JSON")
  void menuEditorPublishesToWeChat() {
    String admin = client.adminToken();
    String department = client.department(admin, "政务服务中心", null);
    JsonObject body = Fixtures.wechatMp(department, "service");
    JsonObject account = Fixtures.create(client, admin, body);
    server.wechat().app(body.getString("appId"), body.getString("appSecret"));

    signInAsAdmin();
    browser.go("/admin/accounts/" + account.getString("id") + "/replies");
    browser.waitForText("本系统尚未发布过此公众号的菜单");

    browser.button("＋ 添加菜单").click();
    type(browser.labelled("菜单名称"), "政策解读与新闻发布");
    type(browser.labelled("事件 key"), "POLICY");
    browser.button("＋ 添加菜单").click();
    type(browser.labelled("菜单名称"), "办事服务");
    browser.button("添加子菜单").click();
    type(browser.labelled("菜单名称"), "办事指南");
    new Select(browser.labelled("菜单动作")).selectByValue("view");
    type(browser.labelled("网页地址"), "https://www.gov.cn/fuwu/");
    browser.button("＋ 添加子菜单").click();
    type(browser.labelled("菜单名称"), "掌上办事");
    new Select(browser.labelled("菜单动作")).selectByValue("miniprogram");
    type(browser.labelled("备用网页地址（旧版微信打开）"), "https://www.gov.cn/");
    type(browser.labelled("小程序 AppID"), "wx0123456789abcdef");
    type(browser.labelled("小程序页面路径"), "pages/index/index");
    browser.button("上移").click();

    browser.button("保存并发布菜单").click();
    browser.waitForText("名称须为 1 到 16 字节");
    assertNull(server.wechat().lastMenu(body.getString("appId")), "nothing sent past the limits");
    browser.button("政策解读与新闻发布").click();
    type(browser.labelled("菜单名称"), "政策解读");
    browser.waitForText("已用 12 / 16 字节");
    browser.button("保存并发布菜单").click();
    browser.waitForText("菜单已发布到微信");

    JsonObject menu = server.wechat().lastMenu(body.getString("appId"));
    assertNotNull(menu);
    JsonArray buttons = menu.getJsonArray("button");
    assertEquals(2, buttons.size(), menu.encode());
    JsonObject first = buttons.getJsonObject(0);
    assertEquals("click", first.getString("type"));
    assertEquals("政策解读", first.getString("name"));
    assertEquals("POLICY", first.getString("key"));
    JsonObject second = buttons.getJsonObject(1);
    assertEquals("办事服务", second.getString("name"));
    assertNull(second.getString("type"), menu.encode());
    JsonArray subs = second.getJsonArray("sub_button");
    assertEquals(2, subs.size(), menu.encode());
    assertEquals("miniprogram", subs.getJsonObject(0).getString("type"));
    assertEquals("掌上办事", subs.getJsonObject(0).getString("name"));
    assertEquals("wx0123456789abcdef", subs.getJsonObject(0).getString("appid"));
    assertEquals("pages/index/index", subs.getJsonObject(0).getString("pagepath"));
    assertEquals("https://www.gov.cn/", subs.getJsonObject(0).getString("url"));
    assertEquals("view", subs.getJsonObject(1).getString("type"));
    assertEquals("https://www.gov.cn/fuwu/", subs.getJsonObject(1).getString("url"));
    browser.waitForText("最近一次发布：");

    new Select(browser.labelled("匹配方式")).selectByValue("contains");
    type(browser.labelled("关键词"), "社保");
    type(browser.labelled("回复内容"), "社保业务请拨打 12333。");
    browser.button("添加规则").click();
    browser.waitForText("已添加关键词“社保”");
    browser.waitForText("社保业务请拨打 12333。");
    type(browser.labelled("关注回复内容"), "欢迎关注！");
    browser.button("保存关注回复").click();
    browser.waitForText("关注回复已保存");
    browser.assertAccessible("admin-menu");
    browser.assertNoScriptErrors("/menu - Failed to load resource: the server responded with a status of 404");
    browser.button("☰ 办事服务").click();
    browser.script("document.querySelector('.phone').scrollIntoView()");
    browser.screenshot("admin-menu");

    org.openqa.selenium.Dimension desktop = browser.driver().manage().window().getSize();
    browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(820, 1180));
    try {
      browser.script("document.querySelector('.phone').scrollIntoView()");
      assertTrue(browser.button("保存并发布菜单").isDisplayed());
      browser.assertAccessible("admin-menu-tablet");
      browser.screenshot("admin-menu-tablet");
    } finally {
      browser.driver().manage().window().setSize(desktop);
    }
  }

  @Test
  @DisplayName("A routing rule created on the page is listed in matching order with its conditions")
  void routingRule() {
    String admin = client.adminToken();
    String department = client.department(admin, "住建局", null);
    String departmentName = client.get("/api/v1/departments/" + department, admin).json().getString("name");
    String name = "供暖问题-" + Client.unique();
    // Keywords of this test only: routing rules apply to every case on the shared server, other tests' cases too.
    String keywords = "供暖" + Client.unique() + "、暖气" + Client.unique();

    signInAsAdmin();
    browser.go("/admin/routing");
    browser.button("新建规则").click();
    type(browser.labelled("规则名称"), name);
    type(browser.labelled("优先级"), "5");
    type(browser.labelled("关键词"), keywords);
    browser.waitUntil(d -> new Select(browser.labelled("分拨到部门")).getOptions().stream()
      .anyMatch(o -> o.getText().equals(departmentName)));
    new Select(browser.labelled("分拨到部门")).selectByVisibleText(departmentName);
    browser.find(By.cssSelector("dialog[open] button[type=submit]")).click();
    browser.waitForText("已新建规则“" + name + "”");
    loadUntil(browser, name);
    WebElement row = browser.find(By.xpath("//tr[td[normalize-space(.)='" + name + "']]"));
    assertTrue(row.getText().contains("关键词：" + keywords), row.getText());
    assertTrue(row.getText().contains(departmentName), row.getText());
    JsonArray rules = client.get("/api/v1/routing-rules?limit=200", admin).json().getJsonArray("items");
    assertTrue(rules.stream().map(JsonObject.class::cast).anyMatch(r -> name.equals(r.getString("name"))
      && r.getInteger("priority") == 5 && department.equals(r.getString("departmentId"))));
    browser.assertAccessible("admin-routing");
    browser.assertNoScriptErrors();
    browser.screenshot("admin-routing");
  }

  @Test
  @DisplayName("A sensitive word added or imported on the page is then found by the content checks")
  void sensitiveWordsReachTheChecks() throws Exception {
    String admin = client.adminToken();
    String word = "违禁" + Client.unique().replaceAll("[0-9]", "");
    signInAsAdmin();
    AdminSteps.addSensitiveWord(browser, word, true);
    browser.waitUntil(d -> findings(admin, "这里有" + word + "。").contains(word));

    String imported = "导入词" + Client.unique().replaceAll("[0-9]", "");
    Path file = Files.createTempFile("words", ".txt");
    Files.writeString(file, imported + ",warn,测试\n" + word + "\n", StandardCharsets.UTF_8);
    browser.labelled("从文本文件导入").sendKeys(file.toAbsolutePath().toString());
    browser.waitForText("导入完成：新增 1 个");
    browser.waitForText("跳过已有或重复的 1 个");
    Files.delete(file);
    browser.waitUntil(d -> findings(admin, "又有" + imported).contains(imported));

    String wrong = "中华人民共合国" + Client.unique().replaceAll("[0-9]", "");
    type(browser.labelled("错误写法"), wrong);
    type(browser.labelled("正确写法"), "中华人民共和国");
    browser.button("添加规则").click();
    browser.waitForText("已添加表述规则“" + wrong);
    type(browser.labelled("域名"), "www.people" + Client.unique().substring(0, 6) + ".com.cn");
    browser.button("添加域名").click();
    browser.waitForText("已允许链接到 www.people");
    browser.assertAccessible("admin-words");
    browser.assertNoScriptErrors();
    browser.screenshot("admin-words");
  }

  private static String findings(String admin, String text) {
    return client.post("/api/v1/content-checks", admin, new JsonObject().put("title", "检查").put("body", "<p>" + text + "</p>"))
      .json().getJsonArray("findings").encode();
  }

  @Test
  @DisplayName("A year's holiday table is edited on the page and saved for the working-day calendar")
  void holidayTable() {
    int year = 2090;
    LocalDate saturday = LocalDate.of(year, 1, 1).with(TemporalAdjusters.firstInMonth(DayOfWeek.SATURDAY));
    String admin = client.adminToken();
    signInAsAdmin();
    browser.go("/admin/holidays");
    type(browser.labelled("年份"), String.valueOf(year));
    browser.button("打开该年").click();
    browser.waitForText(year + " 年调休表");
    setValue(browser, browser.labelled("日期"), year + "-01-01");
    setValue(browser, browser.labelled("至（连续多天时填写）"), year + "-01-03");
    browser.button("添加").click();
    browser.waitForText("放假日期（3 天）");
    setValue(browser, browser.labelled("日期"), saturday.toString());
    new Select(browser.labelled("类型")).selectByValue("workday");
    browser.button("添加").click();
    browser.waitForText("调休上班日（1 天）");
    browser.button("保存 " + year + " 年调休表").click();
    browser.waitForText(year + " 年调休表已保存");
    JsonObject table = client.get("/api/v1/holidays/" + year, admin).json();
    assertEquals(List.of(year + "-01-01", year + "-01-02", year + "-01-03"), table.getJsonArray("off").getList());
    assertEquals(List.of(saturday.toString()), table.getJsonArray("workdays").getList());
    browser.waitFor(By.xpath("//tr[td[normalize-space(.)='" + year + "']]"));

    setValue(browser, browser.labelled("起算日期"), year + "-01-01");
    type(browser.labelled("工作日数"), "1");
    browser.button("推算").click();
    browser.waitForText("第 1 个工作日为 " + year + "-01-04");
    browser.assertAccessible("admin-holidays");
    browser.assertNoScriptErrors();
    browser.screenshot("admin-holidays");
  }

  @Test
  @DisplayName("The audit page lists what was done and shows the hash chain's verification")
  void auditLog() {
    String admin = client.adminToken();
    client.department(admin, "审计对象", null);
    signInAsAdmin();
    browser.go("/admin/audit");
    browser.waitForText("department.create");
    browser.button("校验审计链").click();
    browser.waitForText("审计链完整");
    assertTrue(browser.text().matches("(?s).*已校验 \\d+ 条记录，未发现篡改.*"), browser.text());
    type(browser.labelled("筛选（操作人、操作、对象或请求 ID）"), "department.create");
    browser.waitUntil(d -> d.findElements(By.cssSelector("table.data tbody tr")).stream()
      .allMatch(r -> r.getText().contains("department.create")));
    browser.assertAccessible("admin-audit");
    browser.assertNoScriptErrors();
    browser.screenshot("admin-audit");

    String notice = "今晚 22:00 系统维护，请提前保存。" + Client.unique().substring(0, 4);
    browser.go("/admin/announcements");
    type(browser.labelled("通知内容"), notice);
    browser.labelled("编辑").click();
    browser.button("发送").click();
    browser.waitForText("通知已发送");
    browser.waitForText(notice);
    browser.assertAccessible("admin-announcements");
    browser.assertNoScriptErrors();
    browser.go("/admin/audit");
    browser.waitForText("events.announce");
  }
}
