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
import org.openqa.selenium.JavascriptExecutor;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The review pages in Chromium: the queue, the item with its diff, findings and history, and the decision")
class ReviewPagesTest {

  static final String LINK = "<a href=\"https://shop.example.com/ad\">活动页</a>";

  static Client client;
  static String admin;
  static String department;
  static Client.Member editor;
  static List<Client.Member> reviewers;
  static Browser browser;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    department = client.department(admin, "审核页面办", null);
    editor = client.staffMember(admin, "编辑小周", List.of("editor"), List.of(department), List.of());
    reviewers = List.of(
      client.staffMember(admin, "初审员老赵", List.of("reviewer"), List.of(department), List.of()),
      client.staffMember(admin, "复审员老钱", List.of("reviewer"), List.of(department), List.of()),
      client.staffMember(admin, "终审员老孙", List.of("reviewer"), List.of(department), List.of()));
    browser = Browser.open(client.port());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  static String post(String title, String body) {
    Client.Response created = client.post("/api/v1/posts", editor.token(), new JsonObject().put("title", title)
      .put("body", body).put("departmentId", department).put("miniapp", new JsonObject()));
    assertEquals(201, created.status(), created::toString);
    return created.json().getString("id");
  }

  static void submit(String id) {
    Client.Response submitted = client.post("/api/v1/posts/" + id + "/submit", editor.token(), new JsonObject());
    assertEquals(200, submitted.status(), submitted::toString);
  }

  static void edit(String id, String body) {
    Client.Response edited = client.patch("/api/v1/posts/" + id, editor.token(), new JsonObject().put("body", body));
    assertEquals(200, edited.status(), edited::toString);
  }

  static JsonObject read(String id) {
    return client.get("/api/v1/posts/" + id, editor.token()).json();
  }

  @Test
  @DisplayName("a post rejected and edited shows the inserted words, its findings and the rejection; three reviewers approve it stage by stage")
  void rejectEditAndThreeStages() {
    String title = "老旧小区改造意见征集" + Client.unique();
    String id = post(title, "<p>今日起开展老旧小区改造意见征集。详见" + LINK + "。</p>");
    submit(id);

    browser.signIn(reviewers.get(0).username(), reviewers.get(0).password());
    ReviewSteps.openQueue(browser);
    browser.waitForText(title);
    assertTrue(browser.text().contains("初审（第 1/3 阶段）"), browser::text);
    browser.assertAccessible("review queue");
    browser.screenshot("review-queue");
    ReviewSteps.reject(browser, title, "请补充征集截止时间");
    browser.assertNoScriptErrors();
    assertEquals("rejected", read(id).getString("status"));

    edit(id, "<p>今日起开展老旧小区改造意见征集，截止时间为12月31日。详见" + LINK + "。</p>");
    submit(id);

    ReviewSteps.openItem(browser, title);
    browser.waitForText("待审版本：第 2 版");
    String inserted = String.join("|", browser.findAll(By.cssSelector(".diff ins")).stream()
      .map(e -> e.getText()).toList());
    assertEquals("，截止时间为12月31日", inserted, "the words the edit inserted, marked");
    assertTrue(browser.findAll(By.cssSelector(".diff del")).isEmpty(), "nothing was deleted");
    String page = browser.text();
    assertTrue(page.contains("外部链接") && page.contains("https://shop.example.com/ad"), "the finding: " + page);
    assertTrue(page.contains("请补充征集截止时间"), "the rejection's comment: " + page);
    assertTrue(page.contains(reviewers.get(0).username()), "the rejection names its reviewer");
    assertTrue(page.contains("退回"), page);
    assertEquals(0, browser.findAll(By.cssSelector(".review-body a[style], .review-body [onclick]")).size());
    browser.assertAccessible("review item");
    browser.screenshot("review-item");
    browser.assertNoScriptErrors();

    ReviewSteps.approve(browser, title, "同意，初审通过");
    browser.signIn(reviewers.get(1).username(), reviewers.get(1).password());
    ReviewSteps.approve(browser, title, "同意");
    browser.signIn(reviewers.get(2).username(), reviewers.get(2).password());
    ReviewSteps.openItem(browser, title);
    browser.waitForText("终审（第 3/3 阶段）");
    ReviewSteps.approve(browser, title, null);
    browser.assertNoScriptErrors();

    JsonObject done = read(id);
    assertEquals("approved", done.getString("status"));
    assertEquals(3, done.getJsonObject("review").getJsonArray("approvals").size());
    assertFalse(ReviewSteps.queueShows(browser, title), "a decided item leaves the queue");
  }

  @Test
  @DisplayName("a reviewer deciding on a version changed meanwhile is told so and sees the new version")
  void versionChangedMeanwhile() {
    String title = "供暖收费标准解读" + Client.unique();
    String id = post(title, "<p>供暖收费标准维持不变。</p>");
    submit(id);
    browser.signIn(reviewers.get(1).username(), reviewers.get(1).password());
    ReviewSteps.openItem(browser, title);
    browser.waitForText("待审版本：第 1 版");

    edit(id, "<p>供暖收费标准维持不变，困难家庭可申请补贴。</p>");
    submit(id);
    browser.button("通过").click();
    browser.waitForText("内容已被修改");
    browser.waitForText("待审版本：第 2 版");
    assertEquals("in_review", read(id).getString("status"));
    assertEquals(0, read(id).getJsonObject("review").getJsonArray("approvals").size(), "nothing approved");
    browser.assertNoScriptErrors("409");
  }

  @Test
  @DisplayName("an item is not in the queue of a reviewer of another department, nor of one who approved an earlier stage")
  void notForEveryone() {
    String title = "路灯维修通告" + Client.unique();
    String id = post(title, "<p>本周末维修路灯。</p>");
    submit(id);
    Client.Response first = client.post("/api/v1/posts/" + id + "/review", reviewers.get(0).token(),
      new JsonObject().put("decision", "approve").put("version", 1));
    assertEquals(200, first.status(), first::toString);
    String elsewhere = client.department(admin, "别的部门", null);
    Client.Member outsider = client.staffMember(admin, "外部门审核员", List.of("reviewer"), List.of(elsewhere), List.of());

    browser.signIn(outsider.username(), outsider.password());
    assertFalse(ReviewSteps.queueShows(browser, title));
    browser.assertAccessible("review queue (empty)");
    browser.signIn(reviewers.get(0).username(), reviewers.get(0).password());
    assertFalse(ReviewSteps.queueShows(browser, title), "the first stage's reviewer may not take the second");
    browser.signIn(reviewers.get(1).username(), reviewers.get(1).password());
    assertTrue(ReviewSteps.queueShows(browser, title));
    assertTrue(browser.text().contains("复审（第 2/3 阶段）"));

    browser.go("/review/post/" + id);
    browser.waitFor(By.cssSelector(".review-item-title"));
    browser.signIn(outsider.username(), outsider.password());
    browser.go("/review/post/" + id);
    browser.waitForText("未找到");
    browser.assertNoScriptErrors("404");
  }

  @Test
  @DisplayName("the body shown keeps links to http(s) pages and this site's paths only; an admin who is no reviewer has no 审核")
  void safeLinksAndReviewersOnly() {
    Client.Member boss = client.staffMember(admin, "管理员老吴", List.of("admin"), List.of(department), List.of());
    browser.signIn(boss.username(), boss.password());
    // The server's safelist already drops relative links on save: the page's own filter is checked directly.
    Object kept = ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
      const done = arguments[arguments.length - 1];
      const app = document.querySelector('script[type=module]').src;
      import(app.replace('/js/app.js', '/js/pages/review-text.js')).then((m) => {
        const box = document.createElement('div');
        box.innerHTML = m.safeHtml(arguments[0]);
        done([...box.querySelectorAll('a')].map((a) => a.textContent + '=' + a.getAttribute('href')).join(' '));
      }, (e) => done(String(e)));
      """, "<a href=\"/\\evil.example.com\">坏</a><a href=\"/\t/evil.example.com\">tab</a>"
        + "<a href=\"//evil.example.com\">双斜</a><a href=\"javascript:alert(1)\">脚本</a>"
        + "<a href=\"/help\">站内</a><a href=\"https://www.gov.cn/\">外站</a>");
    assertEquals("坏=null tab=null 双斜=null 脚本=null 站内=/help 外站=https://www.gov.cn/", kept);

    browser.waitFor(By.xpath("//nav//a[normalize-space(.)='审计日志']"));
    assertTrue(browser.findAll(By.xpath("//nav//a[normalize-space(.)='审核']")).isEmpty(), "the queue wants a reviewer");
    browser.go("/review");
    browser.waitForText("您没有使用此功能的权限。");
    browser.assertAccessible("review queue (admin, no reviewer)");
    browser.assertNoScriptErrors();
  }
}
