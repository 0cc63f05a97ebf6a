package io.govmedia.citizen;

import io.govmedia.platform.Problem;
import io.govmedia.wechat.CallbackXml;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.function.Consumer;

/**
 * {@code GET/POST /wechat/miniapp/callback/{accountId}}: the mini-program's message push (消息推送), WeChat's servers
 * being the client. GET proves we hold the token by echoing {@code echostr}; POST delivers an event. The one event
 * read is {@code wxa_media_check}, the verdict of an image check started by {@link Screening#image}: it goes to the
 * verdict listeners once (a retried push is answered without delivering it again). Every push is answered
 * "success" once checked, so WeChat does not retry what we do not read.
 */
final class MiniappCallbackRoutes {

  static final long MAX_BODY_BYTES = 64 * 1024;

  private final MiniappPushes pushes;
  private final Consumer<Screening.ImageVerdict> verdicts;

  MiniappCallbackRoutes(MiniappPushes pushes, Consumer<Screening.ImageVerdict> verdicts) {
    this.pushes = pushes;
    this.verdicts = verdicts;
  }

  Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/:accountId").handler(this::verify);
    router.post("/:accountId").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)).handler(this::receive);
    return router;
  }

  /**
   * Server verification: echo {@code echostr} only to a correct signature; 403 otherwise. The URL's signature is the
   * one a plain push carries, so its timestamp and nonce are spent here: a push under them is a replay.
   */
  private void verify(RoutingContext ctx) {
    pushes.keys(ctx.pathParam("accountId"))
      .compose(keys -> {
        pushes.checkSignature(keys, ctx.queryParams());
        String echo = ctx.request().getParam("echostr");
        if (echo == null || echo.isEmpty() || echo.length() > 256) {
          throw Problem.badRequest("invalid-echostr", "缺少或无效的 echostr", null);
        }
        return pushes.first(keys, ctx.queryParams()).map(echo);
      })
      .onSuccess(echo -> ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(echo))
      .onFailure(ctx::fail);
  }

  private void receive(RoutingContext ctx) {
    pushes.keys(ctx.pathParam("accountId"))
      .compose(keys -> {
        JsonObject event = pushes.open(keys, ctx.queryParams(), CallbackXml.utf8(ctx.body().buffer()));
        return pushes.first(keys, ctx.queryParams()).map(first -> {
          if (first) {
            deliver(keys.accountId(), event);
          }
          return "success";
        });
      })
      .onSuccess(answer -> ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(answer))
      .onFailure(ctx::fail);
  }

  private void deliver(String accountId, JsonObject event) {
    String traceId = event.getValue("trace_id") instanceof String s && !s.isEmpty() ? s : null;
    if (!"wxa_media_check".equals(event.getValue("Event")) || traceId == null) {
      return;  // other events and the chat messages of the mini-program's customer service are not read here
    }
    // XML leaves are strings, JSON's label a number; getValue wraps the parsed XML's nested map as JSON.
    JsonObject result = event.getValue("result") instanceof JsonObject r ? r : new JsonObject();
    Object label = result.getValue("label");
    verdicts.accept(new Screening.ImageVerdict(accountId, traceId,
      WeChatScreening.verdict(result.getValue("suggest") instanceof String s ? s : null),
      label == null ? null : String.valueOf(label)));
  }

}
