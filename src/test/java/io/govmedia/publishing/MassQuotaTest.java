package io.govmedia.publishing;

import io.govmedia.platform.Times;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;

import static io.govmedia.publishing.Desk.massSlot;
import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("The WeChat mass-send quota")
class MassQuotaTest {

  static Desk desk;
  static Client client;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    desk = new Desk(client);
  }

  /** Hours of one Asia/Shanghai day well ahead (the 5th day from now), out of every test scheduler's reach. */
  static Instant dayAhead(int hour) {
    LocalDate day = LocalDate.now(Times.ZONE).plusDays(5);
    return day.atTime(LocalTime.of(hour, 0)).atZone(Times.ZONE).toInstant();
  }

  @Test
  @DisplayName("a subscription account's second mass send on the same day is 409 mass-quota-exceeded; cancelling the first frees the place")
  void subscriptionDaily() {
    String first = desk.approvedPost("订阅号群发一", true);
    String second = desk.approvedPost("订阅号群发二", true);
    JsonObject taken = desk.scheduled(first, massSlot(desk.subscription, dayAhead(9)));

    Client.Response over = desk.schedule(second, massSlot(desk.subscription, dayAhead(15)));
    Client.Response calendar = client.get("/api/v1/calendar?from=" + LocalDate.now(Times.ZONE) + "&to="
      + LocalDate.now(Times.ZONE).plusDays(6) + "&accountId=" + desk.subscription, desk.editor);
    Client.Response cancelled = client.raw("DELETE", "/api/v1/posts/" + first + "/slots/" + taken.getString("id"),
      desk.editor, null, null);
    Client.Response now = desk.schedule(second, massSlot(desk.subscription, dayAhead(15)));

    assertEquals(409, over.status(), over::toString);
    assertEquals("mass-quota-exceeded", over.problemCode());
    assertEquals(0, over.json().getInteger("massLeft"));
    assertEquals(LocalDate.now(Times.ZONE).plusDays(5).toString(), over.json().getString("period"));
    assertEquals(200, calendar.status(), calendar::toString);
    assertEquals(1, calendar.json().getJsonArray("items").size(), calendar::toString);
    assertEquals("subscription", calendar.json().getJsonArray("quota").getJsonObject(0).getString("kind"));
    assertEquals(200, cancelled.status(), cancelled::toString);
    assertEquals(201, now.status(), now::toString);
  }

  @Test
  @DisplayName("a service account sends four mass messages a month: the fifth is refused, a freepublish is not counted")
  void serviceMonthly() {
    for (int i = 0; i < 4; i++) {
      String post = desk.approvedPost("服务号群发" + i, true);
      desk.scheduled(post, massSlot(desk.service, dayAhead(9 + i)));
    }
    String fifth = desk.approvedPost("服务号群发五", true);

    Client.Response over = desk.schedule(fifth, massSlot(desk.service, dayAhead(14)));
    Client.Response free = desk.schedule(fifth, massSlot(desk.service, dayAhead(14)).put("mode", "freepublish"));

    assertEquals(409, over.status(), over::toString);
    assertEquals("mass-quota-exceeded", over.problemCode());
    assertEquals(LocalDate.now(Times.ZONE).plusDays(5).toString().substring(0, 7), over.json().getString("period"));
    assertEquals(201, free.status(), free::toString);
  }
}
