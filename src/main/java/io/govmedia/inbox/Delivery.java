package io.govmedia.inbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/**
 * What became of one text sent to a citizen: the route that carried it, its status, and every attempt on the way
 * (a failed customer-service message, then the template message that worked). Kept on the case.
 *
 * @param route  {@code wechat_kf} | {@code wechat_template} | {@code miniapp_subscribe} | {@code miniapp_page} |
 *               {@code weibo_comment} | {@code wechat_comment} (the reply under an article comment) | {@code none}
 * @param status {@code delivered} | {@code failed} | {@code available} (readable on the mini-program's case page only:
 *               {@code GET /mp/v1/messages/{id}})
 */
public record Delivery(String route, String status, Instant at, List<Attempt> attempts) {

  public record Attempt(String route, boolean ok, String error, Instant at) {
  }

  public Delivery {
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
  }

  public boolean delivered() {
    return "delivered".equals(status);
  }

  public JsonObject toJson() {
    JsonArray tried = new JsonArray();
    attempts.forEach(a -> tried.add(new JsonObject().put("route", a.route()).put("ok", a.ok()).put("error", a.error())
      .put("at", a.at() == null ? null : a.at().toString())));
    return new JsonObject().put("route", route).put("status", status).put("at", at == null ? null : at.toString())
      .put("attempts", tried);
  }
}
