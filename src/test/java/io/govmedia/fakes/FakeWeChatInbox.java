package io.govmedia.fakes;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The inbox half of {@link FakeWeChat}: customer-service and template messages (kept per app as WeChat received
 * them; a template message needs a template_id, else 40037), and comments on mass-sent articles (留言) by
 * msg_data_id and index: a test adds a citizen's comment, the list answers them with WeChat's fields, a reply is
 * attached to its comment as WeChat shows it. Refusals (45015 out of the 48 hours, 43004 not a follower…) are
 * scripted with {@link FakeWeChat#failNext}.
 */
final class FakeWeChatInbox {

  private final FakeWeChat wechat;
  private final Map<String, List<JsonObject>> kefu = new ConcurrentHashMap<>();  // appId →
  private final Map<String, List<JsonObject>> templates = new ConcurrentHashMap<>();  // appId →
  private final Map<String, List<JsonObject>> comments = new ConcurrentHashMap<>();  // msgDataId/index →
  private final AtomicInteger commentIds = new AtomicInteger();
  private final List<JsonObject> replies = new CopyOnWriteArrayList<>();

  FakeWeChatInbox(FakeWeChat wechat) {
    this.wechat = wechat;
  }

  void routes(Router router) {
    router.post("/cgi-bin/message/custom/send").handler(ctx -> kept(ctx, kefu, null));
    router.post("/cgi-bin/message/template/send").handler(ctx -> kept(ctx, templates, "template_id"));
    router.post("/cgi-bin/comment/list").handler(this::list);
    router.post("/cgi-bin/comment/reply/add").handler(this::reply);
  }

  List<JsonObject> kefuMessages(String appId) {
    return List.copyOf(kefu.getOrDefault(appId, List.of()));
  }

  List<JsonObject> templateMessages(String appId) {
    return List.copyOf(templates.getOrDefault(appId, List.of()));
  }

  /** A citizen's comment under the article; answers its user_comment_id. */
  synchronized int comment(String msgDataId, int index, String openid, String content) {
    int id = commentIds.incrementAndGet();
    comments.computeIfAbsent(msgDataId + "/" + index, k -> new CopyOnWriteArrayList<>()).add(new JsonObject()
      .put("user_comment_id", id).put("openid", openid).put("content", content)
      .put("create_time", String.valueOf(System.currentTimeMillis() / 1000)).put("comment_type", 0));
    return id;
  }

  List<JsonObject> replies() {
    return List.copyOf(replies);
  }

  private void kept(RoutingContext ctx, Map<String, List<JsonObject>> where, String required) {
    String appId = wechat.appOfToken(ctx);
    if (appId == null) {
      return;
    }
    JsonObject body = ctx.body().asJsonObject();
    if (required != null && (body.getString(required) == null || body.getString(required).isBlank())) {
      wechat.json(ctx, new JsonObject().put("errcode", 40037).put("errmsg", "invalid template_id"));
      return;
    }
    where.computeIfAbsent(appId, a -> new CopyOnWriteArrayList<>()).add(body);
    wechat.json(ctx, new JsonObject().put("errcode", 0).put("errmsg", "ok").put("msgid", System.nanoTime()));
  }

  private void list(RoutingContext ctx) {
    if (wechat.appOfToken(ctx) == null) {
      return;
    }
    JsonObject body = ctx.body().asJsonObject();
    List<JsonObject> all = comments.getOrDefault(body.getString("msg_data_id") + "/" + body.getInteger("index", 0),
      List.of());
    int begin = body.getInteger("begin", 0);
    int count = Math.min(50, body.getInteger("count", 50));
    JsonArray page = new JsonArray();
    new ArrayList<>(all).stream().skip(begin).limit(count).forEach(c -> page.add(c.copy()));
    wechat.json(ctx, new JsonObject().put("errcode", 0).put("errmsg", "ok").put("total", all.size())
      .put("comment", page));
  }

  private void reply(RoutingContext ctx) {
    if (wechat.appOfToken(ctx) == null) {
      return;
    }
    JsonObject body = ctx.body().asJsonObject();
    JsonObject comment = comments.getOrDefault(body.getString("msg_data_id") + "/" + body.getInteger("index", 0),
        List.of()).stream().filter(c -> c.getInteger("user_comment_id").equals(body.getInteger("user_comment_id")))
      .findFirst().orElse(null);
    if (comment == null) {
      wechat.json(ctx, new JsonObject().put("errcode", 88010).put("errmsg", "comment not exists"));
      return;
    }
    comment.put("reply", new JsonObject().put("content", body.getString("content"))
      .put("create_time", String.valueOf(System.currentTimeMillis() / 1000)));
    replies.add(body);
    wechat.json(ctx, new JsonObject().put("errcode", 0).put("errmsg", "ok"));
  }
}
