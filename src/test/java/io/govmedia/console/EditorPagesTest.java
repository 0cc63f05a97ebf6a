package io.govmedia.console;

import io.govmedia.accounts.Fixtures;
import io.govmedia.support.Browser;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Editors' pages: the content list, the editors with uploads, checks, previews, saves and submission")
class EditorPagesTest {

  static Client client;
  static String admin;
  static String department;
  static JsonObject wechat;
  static JsonObject weibo;
  static JsonObject miniapp;
  static Client.Member editor;
  static Browser browser;
  static Path image;

  @BeforeAll
  static void start() throws IOException {
    client = TestServer.get().client();
    admin = client.adminToken();
    department = client.department(admin, "新闻办", null);
    wechat = Fixtures.create(client, admin, Fixtures.wechatMp(department, "subscription"));
    weibo = Fixtures.create(client, admin, Fixtures.weibo(department));
    miniapp = Fixtures.create(client, admin, Fixtures.miniapp(department));
    editor = client.staffMember(admin, "编辑小周", List.of("editor"), List.of(department),
      List.of(wechat.getString("id"), weibo.getString("id"), miniapp.getString("id")));
    image = EditorSteps.picture();
    browser = Browser.open(client.port());
  }

  @AfterAll
  static void stop() throws IOException {
    if (browser != null) {
      browser.close();
    }
    Files.deleteIfExists(image);
  }

  @Test
  @DisplayName("an editor writes a post with an image: the upload reaches 100 %, the WeChat preview shows it, Weibo's count is shown, and submitting shows the first stage")
  void writeAndSubmitAPost() {
    browser.signIn(editor.username(), editor.password());
    String title = "老旧小区改造启动 " + Client.unique().substring(0, 4);
    String id = EditorSteps.writePost(browser, title, "本周起全市老旧小区改造陆续启动。", image, wechat.getString("name"));
    browser.waitFor(By.xpath("//fieldset[contains(@class,'channels')]//label[starts-with(normalize-space(.),'"
      + weibo.getString("name") + "（')]")).click();
    browser.labelled("微博正文").sendKeys("【改造】老旧小区改造启动");
    browser.waitFor(By.xpath("//fieldset[contains(@class,'channels')]//label[starts-with(normalize-space(.),'"
      + miniapp.getString("name") + "（')]")).click();
    browser.waitForText("微博字数 23 / 140");  // 12 characters and the appended link (a space and 20 ASCII: 11)
    browser.button("保存").click();
    browser.waitUntil(d -> d.findElement(By.cssSelector(".status-line")).getText().contains("第 2 版"));

    Boolean loaded = browser.waitUntil(d -> (Boolean) browser.script("const img = document.querySelector("
      + "'.preview-wechat .preview-body img'); return img && img.complete && img.naturalWidth > 0 ? true : null;"));
    assertTrue(loaded);
    Boolean cover = browser.waitUntil(d -> (Boolean) browser.script("const img = document.querySelector("
      + "'.preview-wechat img.preview-cover'); return img && img.complete && img.naturalWidth > 0 ? true : null;"));
    assertTrue(cover);
    assertTrue(browser.find(By.cssSelector(".preview-weibo")).getText().contains("/ 140 字"));
    assertTrue(browser.find(By.cssSelector(".preview-miniapp")).getText().contains(title));
    browser.assertNoScriptErrors();
    browser.assertAccessible("editor-post");
    browser.script("document.querySelector('.editor-grid').scrollIntoView()");
    browser.screenshot("editor-post");
    browser.driver().manage().window().setSize(new Dimension(820, 1180));
    Long overflow = (Long) browser.script("return document.documentElement.scrollWidth - window.innerWidth;");
    assertTrue(overflow <= 0, "no sideways scrolling on a tablet: " + overflow);
    browser.assertAccessible("editor-post-tablet");
    browser.screenshot("editor-post-tablet");
    browser.driver().manage().window().setSize(new Dimension(1366, 900));

    EditorSteps.submit(browser);
    browser.waitUntil(d -> d.findElement(By.cssSelector(".status-line")).getText().contains("一审中"));
    JsonObject stored = client.get("/api/v1/posts/" + id, editor.token()).json();
    assertEquals("in_review", stored.getString("status"));
    assertTrue(stored.getString("body").contains("<img src=\"/media/"), stored::encode);
    assertEquals("【改造】老旧小区改造启动", stored.getJsonObject("weibo").getString("text"));

    browser.go("/content");
    browser.waitForText(title);
    WebElement row = browser.find(By.xpath("//tr[.//a[normalize-space(.)='" + title + "']]"));
    assertTrue(row.getText().contains("一审中") && row.getText().contains("推文") && row.getText().contains(editor.username()),
      row.getText());
    browser.assertNoScriptErrors();
    browser.assertAccessible("editor-list");
    browser.screenshot("editor-list");
  }

  @Test
  @DisplayName("a sensitive word typed into a document is marked in the text and listed as blocking; submitting is disabled; the document and an interpretation of it are saved")
  void documentWithASensitiveWordAndAnInterpretation() {
    String word = "敏感" + Client.unique().substring(0, 4);
    assertEquals(201, client.post("/api/v1/sensitive-words", admin, new JsonObject().put("word", word).put("level", "block"))
      .status());
    browser.signIn(editor.username(), editor.password());
    browser.go("/content");
    browser.button("新建文件").click();
    browser.waitUntil(d -> d.getCurrentUrl().contains("#/documents/new"));
    String title = "停车管理办法 " + Client.unique().substring(0, 4);
    browser.labelled("标题").sendKeys(title);
    browser.labelled("文号").sendKeys("测〔2026〕" + Client.unique().substring(0, 3) + "号");
    browser.labelled("发文机关").sendKeys("市人民政府办公室");
    browser.labelled("公开目录分类").sendKeys("综合政务");
    WebElement body = browser.waitFor(By.cssSelector(".richtext-body"));
    body.click();
    body.sendKeys("第一条 为规范停车管理，制定本办法。其中" + word + "不得出现。");
    WebElement mark = browser.waitFor(By.cssSelector(".check-mirror mark.finding-block"));
    assertEquals(word, mark.getText());
    assertTrue(mark.getAttribute("title").contains("敏感词"), mark.getAttribute("title"));
    assertTrue(browser.find(By.cssSelector(".findings")).getText().contains("阻断"));
    browser.button("保存").click();
    String documentId = browser.waitUntil(d -> idIn(d.getCurrentUrl(), "documents"));
    browser.waitUntil(d -> d.findElement(By.cssSelector(".status-line")).getText().contains("草稿"));
    browser.waitFor(By.cssSelector(".check-mirror mark.finding-block"));
    assertFalse(browser.button("提交审核").isEnabled(), "blocking findings disable submission");
    browser.assertNoScriptErrors();
    browser.assertAccessible("editor-document");
    browser.screenshot("editor-document");
    assertEquals(title, client.get("/api/v1/documents/" + documentId, editor.token()).json().getString("title"));

    browser.go("/interpretations/new?documentId=" + documentId);
    new Select(browser.labelled("解读形式")).selectByVisibleText("问答");
    browser.labelled("标题").sendKeys("一图读懂停车管理办法");
    WebElement interpretationBody = browser.waitFor(By.cssSelector(".richtext-body"));
    interpretationBody.click();
    interpretationBody.sendKeys("问：办法何时施行？答：自公布之日起施行。");
    browser.button("保存").click();
    String interpretationId = browser.waitUntil(d -> idIn(d.getCurrentUrl(), "interpretations"));
    browser.waitUntil(d -> d.findElement(By.cssSelector(".status-line")).getText().contains("草稿"));
    JsonObject interpretation = client.get("/api/v1/interpretations/" + interpretationId, editor.token()).json();
    assertEquals(documentId, interpretation.getString("documentId"));
    assertEquals("qa", interpretation.getString("form"));
    browser.assertNoScriptErrors();
    browser.assertAccessible("editor-interpretation");
  }

  @Test
  @DisplayName("a save made from a stale view (someone changed the document meanwhile) shows the conflict and reloads the newer version")
  void staleSaveShowsTheConflict() {
    String documentId = client.post("/api/v1/documents", editor.token(), new JsonObject().put("title", "旧标题")
      .put("docNumber", "冲〔2026〕1号").put("issuer", "市人民政府办公室").put("departmentId", department)
      .put("category", "综合政务").put("body", "<p>正文。</p>")).json().getString("id");
    browser.signIn(editor.username(), editor.password());
    browser.go("/documents/" + documentId);
    browser.waitUntil(d -> d.findElement(By.cssSelector(".status-line")).getText().contains("第 1 版"));
    assertEquals(200, client.patch("/api/v1/documents/" + documentId, editor.token(),
      new JsonObject().put("title", "别人改过的标题")).status());
    WebElement title = browser.labelled("标题");
    title.clear();
    title.sendKeys("我的标题");
    browser.button("保存").click();
    browser.waitForText("内容已被他人修改，请刷新后再改");
    browser.waitUntil(d -> "别人改过的标题".equals(browser.labelled("标题").getAttribute("value")));
    assertTrue(browser.find(By.cssSelector(".status-line")).getText().contains("第 2 版"));
    browser.assertNoScriptErrors("409");
  }

  private static String idIn(String url, String kind) {
    Matcher found = Pattern.compile("#/" + kind + "/([0-9a-f]{24})").matcher(url);
    return found.find() ? found.group(1) : null;
  }
}
