package io.govmedia.console;

import io.govmedia.citizen.ConsultationFixtures;
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

import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Consultation pages: opened on a draft, comments decided, the adoption summary published")
class ConsultationPagesTest {

  static Client client;
  static ConsultationFixtures fx;
  static Browser browser;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    fx = new ConsultationFixtures(client, "法制办");
    browser = Browser.open(client.port());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  @DisplayName("an editor opens a consultation on a draft; a citizen's comment arrives masked; the editor adopts it, ends the period and publishes the summary")
  void fromDraftToSummary() throws Exception {
    String title = "电动自行车管理规定（征求意见稿）" + Client.unique().substring(0, 4);
    String documentId = fx.draft(title);
    browser.signIn(fx.editorName, fx.editorPassword);
    browser.go("/documents/" + documentId);
    browser.waitForText("发起意见征集");
    new Select(browser.labelled("征集类型")).selectByValue("other");
    String today = ConsultationFixtures.today(Clock.systemUTC()).toString();
    WebElement to = browser.labelled("征集截止日期");
    browser.script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
      to, today);
    browser.button("发起意见征集").click();
    String id = browser.waitUntil(d -> {
      Matcher found = Pattern.compile("#/consultations/([0-9a-f]{24})").matcher(d.getCurrentUrl());
      return found.find() ? found.group(1) : null;
    });
    browser.waitForText("征集中");

    String citizen = ConsultationFixtures.citizen("o-console-" + Client.unique());
    ConsultationFixtures.commented(client, citizen, id, "建议增加充电桩，我的电话13812345678，请联系我。");
    browser.button("刷新意见").click();
    browser.waitForText("建议增加充电桩");
    assertFalse(browser.text().contains("o-console-"), "the commenter only as a reference, never the openid");

    browser.find(By.xpath("//fieldset[contains(@class,'decision')]//label[normalize-space(.)='采纳']")).click();
    browser.labelled("采纳理由").sendKeys("已纳入第五条");
    browser.button("保存决定").click();
    browser.waitForText("已决定：采纳");
    browser.assertNoScriptErrors();
    browser.assertAccessible("editor-consultation");
    browser.screenshot("editor-consultation");

    browser.labelled("提前结束理由").sendKeys("征集目的已达到");
    browser.button("结束征集").click();
    browser.waitForText("已结束");
    browser.button("公布采纳情况").click();
    browser.waitForText("已公布采纳情况");
    browser.waitForText("采纳 1 条");
    WebElement summary = browser.find(By.xpath("//section[h2[normalize-space(.)='采纳情况']]"));
    assertTrue(summary.getText().contains("138****5678") && !summary.getText().contains("13812345678"),
      summary.getText());
    browser.assertNoScriptErrors();
    browser.assertAccessible("editor-consultation-summary");

    JsonObject stored = client.get("/api/v1/consultations/" + id, fx.editor).json();
    assertEquals("summarized", stored.getString("status"));
    assertEquals(1, stored.getJsonObject("summary").getInteger("adopted"));

    browser.go("/consultations");
    browser.waitForText(title);
    WebElement row = browser.find(By.xpath("//tr[.//a[normalize-space(.)='" + title + "']]"));
    assertTrue(row.getText().contains("已公布采纳情况"), row.getText());
    browser.assertNoScriptErrors();
    browser.assertAccessible("editor-consultations");
  }
}
