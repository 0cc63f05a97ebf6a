package io.govmedia.fakes;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The publishing half of {@link FakeWeChat}: permanent material, article images, drafts, free publish and mass
 * send, with WeChat's answers and the counters a test or the benchmark asserts on (drafts per slot, submits,
 * mass sends per clientmsgid). A free publish job finishes at once, successfully unless a test scripted its end
 * ({@link FakeWeChat#nextJobsEnd}). A repeated clientmsgid is
 * refused with 45065 and not counted as a send, as WeChat does within 24 hours.
 */
final class FakeWeChatPublishing {

  /** Image material: JPEG, PNG, GIF up to 10 MB; images inside articles (uploadimg): JPEG or PNG up to 1 MB. */
  private static final int MATERIAL_MAX = 10 * 1024 * 1024;
  private static final int ARTICLE_IMAGE_MAX = 1024 * 1024;
  private static final Pattern SLOT = Pattern.compile("[?&]s=([^&#]+)");

  /** A submitted job: {@code status} is its publish_status (0 published; 2, 3, 4 failed), 5 once deleted. */
  record Publication(String appId, String publishId, String articleId, JsonArray articles, long updateTime,
                     int status) {
    Publication asDeleted() {
      return new Publication(appId, publishId, articleId, articles, updateTime, 5);
    }

    boolean deleted() {
      return status == 5;
    }

    boolean live() {
      return status == 0;
    }
  }

  private final FakeWeChat wechat;
  private final Map<String, String> materials = new ConcurrentHashMap<>();  // media_id → "appId/type"
  private final Map<String, JsonObject> drafts = new ConcurrentHashMap<>();  // media_id → article, with "appId"
  private final Map<String, AtomicInteger> draftsPerSlot = new ConcurrentHashMap<>();
  private final Map<String, Publication> publications = new ConcurrentHashMap<>();  // publish_id →
  private final List<String> publicationOrder = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> massSends = new ConcurrentHashMap<>();  // appId/clientmsgid →
  private final Map<String, AtomicInteger> massSendsOfMedia = new ConcurrentHashMap<>();  // appId/media_id →
  private final Map<String, String> massMessages = new ConcurrentHashMap<>();  // msg_id → "appId" (or "deleted")
  private final List<JsonObject> previews = new CopyOnWriteArrayList<>();
  private final Deque<Integer> jobEnds = new ConcurrentLinkedDeque<>();
  private final AtomicInteger submits = new AtomicInteger();
  private final Map<String, AtomicInteger> submitsPerSlot = new ConcurrentHashMap<>();
  private final Map<String, FakeWeChat.Receipt> publishingCalls = new ConcurrentHashMap<>();  // slot id →
  private final AtomicLong ids = new AtomicLong(2_247_483_000L);

  FakeWeChatPublishing(FakeWeChat wechat) {
    this.wechat = wechat;
  }

  void routes(Router router) {
    router.post("/cgi-bin/material/add_material").handler(this::addMaterial);
    router.post("/cgi-bin/media/uploadimg").handler(this::uploadImage);
    router.post("/cgi-bin/media/uploadvideo").handler(this::uploadVideo);
    router.post("/cgi-bin/draft/add").handler(this::addDraft);
    router.post("/cgi-bin/freepublish/submit").handler(this::submit);
    router.post("/cgi-bin/freepublish/get").handler(this::publishStatus);
    router.post("/cgi-bin/freepublish/batchget").handler(this::batchGet);
    router.post("/cgi-bin/freepublish/delete").handler(this::deletePublication);
    router.post("/cgi-bin/message/mass/sendall").handler(this::massSend);
    router.post("/cgi-bin/message/mass/delete").handler(this::massDelete);
    router.post("/cgi-bin/message/mass/preview").handler(this::preview);
  }

  void nextJobsEnd(Integer... publishStatuses) {
    jobEnds.addAll(List.of(publishStatuses));
  }

  static boolean isUpload(String path) {
    return path.equals("/cgi-bin/material/add_material") || path.equals("/cgi-bin/media/uploadimg");
  }

  int submits() {
    return submits.get();
  }

  int submits(String slotId) {
    return submitsPerSlot.getOrDefault(slotId, new AtomicInteger()).get();
  }

  Map<String, FakeWeChat.Receipt> publishingCalls() {
    return Map.copyOf(publishingCalls);
  }

  /** The first accepted publishing call of the slot whose article this is (its source URL's {@code s}). */
  private void received(RoutingContext ctx, JsonObject article) {
    String slot = slotOf(article.getString("content_source_url"));
    if (slot != null) {
      publishingCalls.putIfAbsent(slot, new FakeWeChat.Receipt(ctx.<Long>get(FakeWeChat.RECEIVED_AT),
        ctx.request().localAddress().port()));
    }
  }

  Map<String, Integer> draftsPerSlot() {
    Map<String, Integer> counts = new java.util.HashMap<>();
    draftsPerSlot.forEach((slot, n) -> counts.put(slot, n.get()));
    return counts;
  }

  int duplicateDrafts() {
    return draftsPerSlot.values().stream().mapToInt(n -> Math.max(0, n.get() - 1)).sum();
  }

  int massSends(String clientMsgId) {
    return massSends.entrySet().stream().filter(e -> e.getKey().endsWith("/" + clientMsgId))
      .mapToInt(e -> e.getValue().get()).sum();
  }

  /** Mass sends accepted beyond the first for one clientmsgid, or for one draft/video under several clientmsgids. */
  int duplicateMassSends() {
    return massSendsOfMedia.values().stream().mapToInt(n -> Math.max(0, n.get() - 1)).sum()
      + massSends.values().stream().mapToInt(n -> Math.max(0, n.get() - 1)).sum();
  }

  List<JsonObject> drafts(String slotId) {
    return drafts.values().stream().filter(d -> slotId.equals(slotOf(d.getString("content_source_url"))))
      .map(JsonObject::copy).toList();
  }

  boolean articleDeleted(String articleId) {
    return publications.values().stream().anyMatch(p -> p.articleId().equals(articleId) && p.deleted());
  }

  boolean massMessageDeleted(String msgId) {
    return "deleted".equals(massMessages.get(msgId));
  }

  List<JsonObject> previews() {
    return List.copyOf(previews);
  }

  private void addMaterial(RoutingContext ctx) {
    String appId = wechat.appOfToken(ctx);
    if (appId == null) {
      return;
    }
    String type = ctx.request().getParam("type");
    Buffer file = file(ctx);
    if (file == null) {
      error(ctx, 41005, "media data missing");
    } else if ("image".equals(type)) {
      if (imageType(file) == null) {
        error(ctx, 40005, "invalid file type");
      } else if (file.length() > MATERIAL_MAX) {
        error(ctx, 40006, "invalid meida size");
      } else {
        String mediaId = newMaterial(appId, "image");
        wechat.json(ctx, new JsonObject().put("media_id", mediaId).put("url", "http://mmbiz.qpic.cn/mmbiz_jpg/" + mediaId + "/0"));
      }
    } else if ("video".equals(type)) {
      JsonObject description = description(ctx);
      if (description == null || description.getString("title") == null || description.getString("introduction") == null) {
        error(ctx, 40004, "invalid media type: video needs a title and an introduction");
      } else if (file.length() > MATERIAL_MAX) {
        error(ctx, 40006, "invalid meida size");
      } else {
        wechat.json(ctx, new JsonObject().put("media_id", newMaterial(appId, "video")));
      }
    } else {
      error(ctx, 40004, "invalid media type");
    }
  }

  private void uploadImage(RoutingContext ctx) {
    if (wechat.appOfToken(ctx) == null) {
      return;
    }
    Buffer file = file(ctx);
    String type = file == null ? null : imageType(file);
    if (type == null || type.equals("gif")) {
      error(ctx, 40005, "invalid file type");
    } else if (file.length() > ARTICLE_IMAGE_MAX) {
      error(ctx, 40006, "invalid meida size");
    } else {
      wechat.json(ctx, new JsonObject().put("url", "http://mmbiz.qpic.cn/mmbiz_" + type + "/" + token() + "/0"));
    }
  }

  private void uploadVideo(RoutingContext ctx) {
    String appId = wechat.appOfToken(ctx);
    JsonObject body = appId == null ? null : body(ctx);
    if (body == null) {
      return;
    }
    if (!(appId + "/video").equals(materials.get(body.getString("media_id", "")))) {
      error(ctx, 40007, "invalid media_id");
      return;
    }
    String mediaId = newMaterial(appId, "mpvideo");
    wechat.json(ctx, new JsonObject().put("type", "video").put("media_id", mediaId)
      .put("created_at", System.currentTimeMillis() / 1000));
  }

  private void addDraft(RoutingContext ctx) {
    String appId = wechat.appOfToken(ctx);
    JsonObject body = appId == null ? null : body(ctx);
    if (body == null) {
      return;
    }
    JsonArray articles = body.getJsonArray("articles");
    if (articles == null || articles.size() != 1) {
      error(ctx, 40114, "this fake keeps drafts of one article");
      return;
    }
    JsonObject article = articles.getJsonObject(0);
    if (!(appId + "/image").equals(materials.get(article.getString("thumb_media_id", "")))) {
      error(ctx, 40007, "invalid media_id");
      return;
    }
    String mediaId = token();
    drafts.put(mediaId, article.copy().put("appId", appId));
    String slot = slotOf(article.getString("content_source_url"));
    if (slot != null) {
      draftsPerSlot.computeIfAbsent(slot, s -> new AtomicInteger()).incrementAndGet();
    }
    wechat.json(ctx, new JsonObject().put("media_id", mediaId));
  }

  private void submit(RoutingContext ctx) {
    String appId = wechat.appOfToken(ctx);
    JsonObject body = appId == null ? null : body(ctx);
    if (body == null) {
      return;
    }
    JsonObject draft = drafts.get(body.getString("media_id", ""));
    if (draft == null || !appId.equals(draft.getString("appId"))) {
      error(ctx, 40007, "invalid media_id");
      return;
    }
    submits.incrementAndGet();
    received(ctx, draft);
    String slot = slotOf(draft.getString("content_source_url"));
    if (slot != null) {
      submitsPerSlot.computeIfAbsent(slot, s -> new AtomicInteger()).incrementAndGet();
    }
    String publishId = String.valueOf(ids.incrementAndGet());
    String articleId = "art_" + token();
    JsonObject published = draft.copy().put("url", "https://mp.weixin.qq.com/s/" + articleId).put("is_deleted", false);
    published.remove("appId");
    Integer status = jobEnds.poll();
    publications.put(publishId, new Publication(appId, publishId, articleId, new JsonArray().add(published),
      System.currentTimeMillis() / 1000, status == null ? 0 : status));
    publicationOrder.add(0, publishId);
    // WeChat answers publish_id as a string.
    wechat.json(ctx, new JsonObject().put("errcode", 0).put("errmsg", "ok").put("publish_id", publishId));
  }

  private void publishStatus(RoutingContext ctx) {
    String appId = wechat.appOfToken(ctx);
    JsonObject body = appId == null ? null : body(ctx);
    if (body == null) {
      return;
    }
    Publication publication = publications.get(body.getString("publish_id", ""));
    if (publication == null || !publication.appId().equals(appId)) {
      error(ctx, 53600, "invalid publish_id");
      return;
    }
    JsonObject answer = new JsonObject().put("publish_id", publication.publishId())
      .put("publish_status", publication.status());
    if (publication.live() || publication.deleted()) {
      JsonArray items = new JsonArray().add(new JsonObject().put("idx", 1)
        .put("article_url", publication.articles().getJsonObject(0).getString("url")));
      answer.put("article_id", publication.articleId())
        .put("article_detail", new JsonObject().put("count", 1).put("item", items)).put("fail_idx", new JsonArray());
    } else {
      answer.put("fail_idx", new JsonArray().add(1));
    }
    wechat.json(ctx, answer);
  }

  private void batchGet(RoutingContext ctx) {
    String appId = wechat.appOfToken(ctx);
    JsonObject body = appId == null ? null : body(ctx);
    if (body == null) {
      return;
    }
    List<Publication> own = publicationOrder.stream().map(publications::get)
      .filter(p -> p.appId().equals(appId) && p.live()).toList();
    int offset = body.getInteger("offset", 0);
    int count = Math.min(20, Math.max(1, body.getInteger("count", 20)));
    JsonArray items = new JsonArray();
    for (Publication p : own.subList(Math.min(offset, own.size()), Math.min(offset + count, own.size()))) {
      items.add(new JsonObject().put("article_id", p.articleId())
        .put("content", new JsonObject().put("news_item", p.articles().copy()))
        .put("update_time", p.updateTime()));
    }
    wechat.json(ctx, new JsonObject().put("total_count", own.size()).put("item_count", items.size()).put("item", items));
  }

  private void deletePublication(RoutingContext ctx) {
    String appId = wechat.appOfToken(ctx);
    JsonObject body = appId == null ? null : body(ctx);
    if (body == null) {
      return;
    }
    String articleId = body.getString("article_id", "");
    Publication publication = publications.values().stream()
      .filter(p -> p.appId().equals(appId) && p.articleId().equals(articleId) && p.live()).findFirst().orElse(null);
    if (publication == null) {
      error(ctx, 53600, "invalid article_id");
      return;
    }
    publications.put(publication.publishId(), publication.asDeleted());
    wechat.json(ctx, new JsonObject().put("errcode", 0).put("errmsg", "ok"));
  }

  private void massSend(RoutingContext ctx) {
    String appId = wechat.appOfToken(ctx);
    JsonObject body = appId == null ? null : body(ctx);
    if (body == null) {
      return;
    }
    String msgType = body.getString("msgtype", "");
    String mediaId = body.getJsonObject(msgType, new JsonObject()).getString("media_id", "");
    boolean known = msgType.equals("mpnews") ? drafts.containsKey(mediaId) && appId.equals(drafts.get(mediaId).getString("appId"))
      : msgType.equals("mpvideo") && (appId + "/mpvideo").equals(materials.get(mediaId));
    if (!known) {
      error(ctx, 40007, "invalid media_id");
      return;
    }
    String clientMsgId = body.getString("clientmsgid");
    if (clientMsgId != null && massSends.containsKey(appId + "/" + clientMsgId)) {
      error(ctx, 45065, "clientmsgid exist");
      return;
    }
    massSends.computeIfAbsent(appId + "/" + clientMsgId, c -> new AtomicInteger()).incrementAndGet();
    massSendsOfMedia.computeIfAbsent(appId + "/" + mediaId, c -> new AtomicInteger()).incrementAndGet();
    if (msgType.equals("mpnews")) {
      received(ctx, drafts.get(mediaId));
    }
    long msgId = ids.incrementAndGet();
    massMessages.put(String.valueOf(msgId), appId);
    wechat.json(ctx, new JsonObject().put("errcode", 0).put("errmsg", "send job submission success")
      .put("msg_id", msgId).put("msg_data_id", msgId + 1_000_000));
  }

  private void massDelete(RoutingContext ctx) {
    String appId = wechat.appOfToken(ctx);
    JsonObject body = appId == null ? null : body(ctx);
    if (body == null) {
      return;
    }
    String msgId = String.valueOf(body.getValue("msg_id"));
    if (!appId.equals(massMessages.get(msgId))) {
      error(ctx, 40007, "invalid msg_id");
      return;
    }
    massMessages.put(msgId, "deleted");
    wechat.json(ctx, new JsonObject().put("errcode", 0).put("errmsg", "ok"));
  }

  private void preview(RoutingContext ctx) {
    String appId = wechat.appOfToken(ctx);
    JsonObject body = appId == null ? null : body(ctx);
    if (body == null) {
      return;
    }
    if (body.getString("touser") == null && body.getString("towxname") == null) {
      error(ctx, 40003, "invalid openid");
      return;
    }
    previews.add(body.copy().put("appId", appId));
    wechat.json(ctx, new JsonObject().put("errcode", 0).put("errmsg", "preview success").put("msg_id", ids.incrementAndGet()));
  }

  private String newMaterial(String appId, String type) {
    String mediaId = token();
    materials.put(mediaId, appId + "/" + type);
    return mediaId;
  }

  static String slotOf(String sourceUrl) {
    if (sourceUrl == null) {
      return null;
    }
    Matcher m = SLOT.matcher(sourceUrl);
    return m.find() ? m.group(1) : null;
  }

  /** The JSON body, or null after answering 47001 (WeChat's "data format error"). */
  private JsonObject body(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body != null) {
        return body;
      }
    } catch (RuntimeException e) {
      // answered below
    }
    error(ctx, 47001, "data format error");
    return null;
  }

  private Buffer file(RoutingContext ctx) {
    List<FileUpload> uploads = ctx.fileUploads();
    FileUpload media = uploads.stream().filter(u -> u.name().equals("media")).findFirst().orElse(null);
    return media == null ? null : wechat.vertx().fileSystem().readFileBlocking(media.uploadedFileName());
  }

  private static JsonObject description(RoutingContext ctx) {
    String description = ctx.request().getFormAttribute("description");
    try {
      return description == null ? null : new JsonObject(description);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** jpeg, png or gif by the file's first bytes (WeChat looks at the content, not at the name). */
  private static String imageType(Buffer file) {
    if (file.length() > 3 && file.getUnsignedByte(0) == 0xFF && file.getUnsignedByte(1) == 0xD8) {
      return "jpeg";
    }
    if (file.length() > 8 && file.getUnsignedByte(0) == 0x89 && file.getByte(1) == 'P' && file.getByte(2) == 'N') {
      return "png";
    }
    if (file.length() > 6 && file.getByte(0) == 'G' && file.getByte(1) == 'I' && file.getByte(2) == 'F') {
      return "gif";
    }
    return null;
  }

  private void error(RoutingContext ctx, int errcode, String errmsg) {
    wechat.json(ctx, new JsonObject().put("errcode", errcode).put("errmsg", errmsg));
  }

  private static String token() {
    return UUID.randomUUID().toString().replace("-", "");
  }
}
