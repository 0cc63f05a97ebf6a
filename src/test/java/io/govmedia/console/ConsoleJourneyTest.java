package io.govmedia.console;

import io.govmedia.publishing.Desk;
import io.govmedia.support.Browser;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first journey, through the pages only: an editor writes a post with an image, three other people
 * approve it stage by stage, the editor schedules it, and the calendar shows it published by the fake WeChat API
 * without a reload.
 */
@DisplayName("From the editor to the calendar: a post written, approved three times, scheduled and published, all in Chromium")
class ConsoleJourneyTest {

  static Client client;
  static Desk desk;
  static Client.Member editor;
  static List<Client.Member> reviewers;
  static Browser browser;
  static Path image;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    desk = new Desk(client);
    editor = client.staffMember(desk.admin, "编辑小陈", List.of("editor"), List.of(desk.department),
      List.of(desk.service));
    reviewers = List.of(
      client.staffMember(desk.admin, "初审员小刘", List.of("reviewer"), List.of(desk.department), List.of()),
      client.staffMember(desk.admin, "复审员老何", List.of("reviewer"), List.of(desk.department), List.of()),
      client.staffMember(desk.admin, "终审员老林", List.of("reviewer"), List.of(desk.department), List.of()));
    image = EditorSteps.picture();
    browser = Browser.open(client.port());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  @DisplayName("an editor's post with an image passes three reviewers, is scheduled, and shows as published on the calendar live")
  void writtenApprovedScheduledPublished() {
    String account = client.get("/api/v1/accounts/" + desk.service, desk.admin).json().getString("name");
    String title = "政务公开工作要点解读 " + Client.unique().substring(0, 6);

    browser.signIn(editor.username(), editor.password());
    String post = EditorSteps.writePost(browser, title, "今年政务公开工作聚焦惠企利民政策的集中发布与解读。", image,
      account);
    EditorSteps.submit(browser);

    for (int stage = 0; stage < reviewers.size(); stage++) {
      Client.Member reviewer = reviewers.get(stage);
      browser.signIn(reviewer.username(), reviewer.password());
      ReviewSteps.approve(browser, title, "第 " + (stage + 1) + " 审同意");
    }
    JsonObject approved = client.get("/api/v1/posts/" + post, editor.token()).json();
    assertEquals("approved", approved.getString("status"), approved::encode);

    browser.signIn(editor.username(), editor.password());
    browser.go("/calendar");
    browser.waitFor(By.cssSelector("table.cal-week"));
    browser.script("window.__marker = 'same page'");
    CalendarSteps.schedule(browser, title, account, Instant.now().plusSeconds(5));
    CalendarSteps.waitForStatus(browser, title, "已发布");
    assertEquals("same page", browser.script("return window.__marker"), "published without a reload");

    JsonObject slot = client.get("/api/v1/posts/" + post + "/slots", editor.token()).items().getJsonObject(0);
    assertEquals("published", slot.getString("status"), slot::encode);
    List<JsonObject> drafts = TestServer.get().wechat().drafts(slot.getString("id"));
    assertTrue(drafts.stream().anyMatch(draft -> draft.encode().contains(title)), "WeChat got the article: " + drafts);
    browser.assertNoScriptErrors();
    browser.screenshot("journey-calendar");
  }
}
