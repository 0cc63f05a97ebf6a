package io.govmedia.publishing;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.List;

import static io.govmedia.publishing.Desk.miniappSlot;
import static io.govmedia.publishing.Desk.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Posts published per account and week, for the dashboard")
class PostsPerWeekTest {

  static Desk desk;
  static Client client;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    desk = new Desk(client);
  }

  static JsonObject row(JsonObject stats, String accountId) {
    return stats.getJsonArray("items").stream().map(JsonObject.class::cast)
      .filter(r -> accountId.equals(r.getString("accountId"))).findFirst().orElse(null);
  }

  @Test
  @DisplayName("a post published now counts in this week's column of its account, for the department's editors only")
  void countsThisWeek() {
    for (int i = 0; i < 2; i++) {
      String post = desk.approvedPost("本周发布的稿件" + i, false);
      String slot = desk.scheduled(post, miniappSlot(desk.miniapp, null)).getString("id");
      desk.awaitSlot(post, slot, Duration.ofSeconds(30), status("published"));
    }

    Client.Response answer = client.get("/api/v1/stats/posts?weeks=8", desk.editor);
    assertEquals(200, answer.status(), answer::toString);
    JsonObject stats = answer.json();
    JsonArray weeks = stats.getJsonArray("weeks");
    assertEquals(8, weeks.size());
    LocalDate monday = LocalDate.now(ZoneId.of("Asia/Shanghai")).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    assertEquals(monday.toString(), weeks.getString(7), "this week last");
    JsonObject miniapp = row(stats, desk.miniapp);
    assertEquals(List.of(0, 0, 0, 0, 0, 0, 0, 2), miniapp.getJsonArray("counts").getList());
    assertEquals(2, miniapp.getInteger("total"));
    assertEquals(0, row(stats, desk.weibo).getInteger("total"), "every visible account has a row");

    String elsewhere = client.department(desk.admin, "外单位", null);
    String outsider = client.staffToken(desk.admin, List.of("editor"), List.of(elsewhere), List.of());
    JsonObject theirs = client.get("/api/v1/stats/posts", outsider).json();
    assertEquals(null, row(theirs, desk.miniapp), "another department's accounts are not counted for them");
    assertFalse(theirs.getBoolean("truncated"));
    assertTrue(row(client.get("/api/v1/stats/posts", desk.admin).json(), desk.miniapp) != null);

    assertEquals(400, client.get("/api/v1/stats/posts?weeks=0", desk.editor).status());
    assertEquals(400, client.get("/api/v1/stats/posts?weeks=27", desk.editor).status());
  }
}
