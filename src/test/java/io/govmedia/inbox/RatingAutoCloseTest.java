package io.govmedia.inbox;

import io.govmedia.support.Client;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An answered case nobody rates closes itself 7 calendar days after the reply reached the citizen. */
@DisplayName("Closing without a rating")
class RatingAutoCloseTest {

  static Replying desk;

  @BeforeAll
  static void start() {
    desk = new Replying();
  }

  @AfterAll
  static void stop() {
    if (desk != null) {
      desk.close();
    }
  }

  @Test
  @DisplayName("6 days after the reply it can still be rated; after 7 days without a rating the case closes itself, by the system, and can no longer be rated")
  void closesAfterSevenDays() {
    String rated = desk.wechatCase().getString("id");
    String unrated = desk.wechatCase().getString("id");
    desk.replied(rated, "您好，已处理。");
    desk.replied(unrated, "您好，已处理。");

    desk.clock.advance(Duration.ofDays(6));
    Client.Response inTime = desk.client.post("/api/v1/cases/" + rated + "/rating", desk.replierA.token(),
      new JsonObject().put("value", "satisfied"));
    assertEquals(200, inTime.status(), inTime::toString);
    assertEquals("answered", desk.read(unrated).getString("status"));

    desk.clock.advance(Duration.ofDays(1).plusMinutes(1));
    JsonObject closed = Inbox.eventually(() -> desk.read(unrated), c -> "closed".equals(c.getString("status")),
      Duration.ofSeconds(30));
    JsonObject step = Replying.lastStep(closed);
    assertEquals("auto-close", step.getString("action"));
    assertEquals("system", step.getString("by"));
    assertNull(closed.getValue("rating"));
    assertTrue(closed.getJsonArray("history").stream().noneMatch(s -> "rate".equals(((JsonObject) s).getString("action"))));

    Client.Response late = desk.client.post("/api/v1/cases/" + unrated + "/rating", desk.replierA.token(),
      new JsonObject().put("value", "unsatisfied"));
    assertEquals(409, late.status(), late::toString);
  }
}
