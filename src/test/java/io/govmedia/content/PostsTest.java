package io.govmedia.content;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Posts: what goes to WeChat, Weibo and the mini-program, written and reviewed like documents")
class PostsTest {

  static ContentFixtures f;
  static Client client;
  static String cover;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    f = new ContentFixtures(client, "宣传处");
    cover = f.image();
  }

  static JsonObject wechat(String title) {
    return new JsonObject().put("title", title).put("author", "市政府办公室").put("digest", "一图读懂本周政务要闻。")
      .put("coverAssetId", cover).put("html", "<p>本周要闻：<strong>老旧小区改造</strong>启动。</p><script>x()</script>");
  }

  static JsonObject post(String title) {
    return new JsonObject().put("title", title).put("wechat", wechat(title));
  }

  static Client.Response create(JsonObject body) {
    return client.post("/api/v1/posts", f.editor, body);
  }

  static JsonObject created(JsonObject body) {
    Client.Response response = create(body);
    assertEquals(201, response.status(), response::toString);
    return response.json();
  }

  static String fieldInError(Client.Response response) {
    return response.json().getJsonArray("errors").getJsonObject(0).getString("field");
  }

  @Test
  @DisplayName("a WeChat article is created as a draft of the editor's own department, its HTML sanitized as the body")
  void wechatArticle() {
    JsonObject post = created(post("本周政务要闻").put("wechat", wechat("本周政务要闻").put("sourceUrl", "https://www.gov.cn/a")
      .put("commentsOpen", true)));
    assertEquals("draft", post.getString("status"));
    assertEquals("post", post.getString("kind"));
    assertEquals(f.department, post.getString("departmentId"));
    JsonObject wechat = post.getJsonObject("wechat");
    assertEquals("市政府办公室", wechat.getString("author"));
    assertEquals(cover, wechat.getString("coverAssetId"));
    assertEquals("https://www.gov.cn/a", wechat.getString("sourceUrl"));
    assertTrue(wechat.getBoolean("commentsOpen"));
    assertTrue(post.getString("body").contains("<strong>老旧小区改造</strong>"), post::encode);
    assertFalse(post.getString("body").contains("script"), post::encode);
    assertEquals(post.getString("body"), wechat.getString("html"));
    assertEquals(post, client.get("/api/v1/posts/" + post.getString("id"), f.editor).json());
  }

  @Test
  @DisplayName("a Weibo post and a mini-program post are created from a body of their own, comments closed unless asked")
  void weiboAndMiniapp() {
    String picture = f.image();
    JsonObject weibo = created(new JsonObject().put("title", "微博：办事指南").put("body", "<p>办事指南全文。</p>")
      .put("weibo", new JsonObject().put("text", "【办事指南】公积金提取新规今起实施").put("pictureAssetId", picture)));
    assertEquals("【办事指南】公积金提取新规今起实施", weibo.getJsonObject("weibo").getString("text"));
    assertEquals(picture, weibo.getJsonObject("weibo").getString("pictureAssetId"));
    assertNull(weibo.getValue("wechat"));
    JsonObject miniapp = created(new JsonObject().put("title", "小程序：通知").put("body", "<p>通知全文。</p>")
      .put("miniapp", new JsonObject()));
    assertEquals(new JsonObject(), miniapp.getJsonObject("miniapp"));
    assertFalse(created(post("评论默认关闭")).getJsonObject("wechat").getBoolean("commentsOpen"));
  }

  @Test
  @DisplayName("a post made from a published document copies its body, so reviewers see what goes out, and lists by source")
  void fromSource() {
    String document = f.publishedDocument("养老服务补贴办法");
    JsonObject post = created(new JsonObject().put("title", "解读：养老服务补贴").put("sourceId", document)
      .put("miniapp", new JsonObject()));
    assertEquals(document, post.getString("sourceId"));
    assertEquals("document", post.getString("sourceKind"));
    assertTrue(post.getString("body").contains("为做好相关工作，制定本办法。"), post::encode);
    JsonArray listed = client.get("/api/v1/posts?sourceId=" + document, f.editor).items();
    assertEquals(List.of(post.getString("id")), listed.stream().map(p -> ((JsonObject) p).getString("id")).toList());
  }

  @Test
  @DisplayName("staff of the department find a post by search, as a post")
  void searchable() {
    String id = created(new JsonObject().put("title", "秸秆禁烧倡议书").put("body", "<p>共同守护蓝天。</p>")
      .put("miniapp", new JsonObject())).getString("id");
    JsonArray hits = client.get("/api/v1/search?kind=post&q=" + java.net.URLEncoder.encode("秸秆禁烧",
      java.nio.charset.StandardCharsets.UTF_8), f.editor).items();
    assertEquals(List.of(id), hits.stream().map(h -> ((JsonObject) h).getString("id")).toList());
    assertEquals("post", hits.getJsonObject(0).getString("kind"));
  }

  @Test
  @DisplayName("WeChat's lengths are enforced: a 65-character title and a 121-character digest are refused, naming the field")
  void wechatLengths() {
    Client.Response title = create(post("标题").put("wechat", wechat("题".repeat(65))));
    assertEquals(400, title.status(), title::toString);
    assertEquals("wechat.title", fieldInError(title));
    assertEquals(201, create(post("标题").put("wechat", wechat("题".repeat(64)))).status());
    Client.Response digest = create(post("摘要").put("wechat", wechat("摘要").put("digest", "要".repeat(121))));
    assertEquals(400, digest.status(), digest::toString);
    assertEquals("wechat.digest", fieldInError(digest));
    Client.Response link = create(post("原文").put("wechat", wechat("原文").put("sourceUrl", "javascript:alert(1)")));
    assertEquals("wechat.sourceUrl", fieldInError(link));
  }

  @Test
  @DisplayName("a Weibo text that does not leave room for the appended link is refused 422 with Weibo's count")
  void weiboTooLong() {
    String fits = "微".repeat(WeiboLength.budget());
    assertEquals(201, create(new JsonObject().put("title", "恰好").put("body", "<p>正文</p>")
      .put("weibo", new JsonObject().put("text", fits))).status());
    Client.Response over = create(new JsonObject().put("title", "超长").put("body", "<p>正文</p>")
      .put("weibo", new JsonObject().put("text", fits + "博")));
    assertEquals(422, over.status(), over::toString);
    assertEquals("weibo-too-long", over.problemCode());
    assertEquals(141, over.json().getInteger("count"));
    assertEquals(140, over.json().getInteger("limit"));
  }

  @Test
  @DisplayName("a PDF as cover is refused 422 cover-not-image, and so is a cover that does not exist")
  void coverMustBeAnImage() {
    Client.Response pdf = create(post("封面").put("wechat", wechat("封面").put("coverAssetId", f.pdf())));
    assertEquals(422, pdf.status(), pdf::toString);
    assertEquals("cover-not-image", pdf.problemCode());
    Client.Response missing = create(post("封面").put("wechat", wechat("封面").put("coverAssetId", "A".repeat(22))));
    assertEquals("cover-not-image", missing.problemCode());
  }

  @Test
  @DisplayName("a post for no channel is refused 422 no-channel, and one without any body 422 body-required")
  void channelAndBodyRequired() {
    Client.Response none = create(new JsonObject().put("title", "无渠道").put("body", "<p>正文</p>"));
    assertEquals(422, none.status(), none::toString);
    assertEquals("no-channel", none.problemCode());
    Client.Response bodiless = create(new JsonObject().put("title", "无正文").put("miniapp", new JsonObject()));
    assertEquals(422, bodiless.status(), bodiless::toString);
    assertEquals("body-required", bodiless.problemCode());
  }

  @Test
  @DisplayName("a draft source is refused 409 source-not-published; another department's draft is as unknown as a missing id")
  void sourceMustBePublishedAndSeen() {
    String draft = f.create("/api/v1/documents", f.document("草稿文件")).getString("id");
    Client.Response unpublished = create(new JsonObject().put("title", "来源未发布").put("sourceId", draft)
      .put("miniapp", new JsonObject()));
    assertEquals(409, unpublished.status(), unpublished::toString);
    assertEquals("source-not-published", unpublished.problemCode());

    ContentFixtures other = new ContentFixtures(client, "财政局");
    String theirs = other.create("/api/v1/documents", other.document("他部门草稿")).getString("id");
    Client.Response unseen = create(new JsonObject().put("title", "他部门来源").put("sourceId", theirs)
      .put("miniapp", new JsonObject()));
    assertEquals(400, unseen.status(), unseen::toString);
    assertEquals("unknown-source", unseen.problemCode());
    assertEquals("unknown-source", create(new JsonObject().put("title", "不存在").put("sourceId", "0".repeat(24))
      .put("miniapp", new JsonObject())).problemCode());
  }

  @Test
  @DisplayName("an editor of two departments, and an admin, must say which department a post belongs to")
  void departmentRequiredWhenAmbiguous() {
    String second = client.department(f.admin, "宣传处二", null);
    String twoDepartments = client.staffToken(f.admin, List.of("editor"), List.of(f.department, second), List.of());
    Client.Response unnamed = client.post("/api/v1/posts", twoDepartments, post("两个部门"));
    assertEquals(400, unnamed.status(), unnamed::toString);
    assertEquals("departmentId", fieldInError(unnamed));
    Client.Response named = client.post("/api/v1/posts", twoDepartments, post("两个部门").put("departmentId", second));
    assertEquals(201, named.status(), named::toString);
    assertEquals(second, named.json().getString("departmentId"));
    Client.Response outside = client.post("/api/v1/posts", f.editor, post("越权").put("departmentId", second));
    assertEquals(403, outside.status(), outside::toString);
  }

  @Test
  @DisplayName("submitting runs the checks over each variant's text: a blocked word in weibo.text is found where it is")
  void findingsInVariants() {
    String word = "违禁" + Client.unique().substring(0, 6);
    assertEquals(201, client.post("/api/v1/sensitive-words", f.admin, new JsonObject().put("word", word)
      .put("level", "block")).status());
    String text = "今日发布：" + word;
    String id = created(new JsonObject().put("title", "带违禁词的微博").put("body", "<p>正文</p>")
      .put("weibo", new JsonObject().put("text", text))).getString("id");
    JsonObject submitted = ContentFixtures.ok(client.post("/api/v1/posts/" + id + "/submit", f.editor, new JsonObject()));
    JsonObject finding = submitted.getJsonArray("findings").stream().map(JsonObject.class::cast)
      .filter(x -> "weibo.text".equals(x.getString("field"))).findFirst()
      .orElseThrow(() -> new AssertionError(submitted.encode()));
    assertEquals("block", finding.getString("level"));
    assertEquals(text.indexOf(word), finding.getInteger("start"));
    assertTrue(submitted.getBoolean("blocked"));
    Client.Response refused = client.post("/api/v1/posts/" + id + "/review", f.reviewers.get(0),
      new JsonObject().put("decision", "approve"));
    assertEquals("blocking-findings", refused.problemCode());
  }

  @Test
  @DisplayName("reviewers approve a post stage by stage; an edit after approval is a new version back in draft, the old one kept")
  void reviewAndNewVersion() {
    String id = created(post("审核流程")).getString("id");
    String path = "/api/v1/posts/" + id;
    JsonObject approved = f.throughReview(path);
    assertEquals("approved", approved.getString("status"));
    assertEquals(f.reviewers.size(), approved.getJsonObject("review").getJsonArray("approvals").size());

    JsonObject edited = ContentFixtures.ok(client.patch(path, f.editor, new JsonObject()
      .put("weibo", new JsonObject().put("text", "新增微博渠道"))));
    assertEquals("draft", edited.getString("status"));
    assertEquals(2, edited.getInteger("version"));
    assertEquals("新增微博渠道", edited.getJsonObject("weibo").getString("text"));
    assertEquals("审核流程", edited.getJsonObject("wechat").getString("title"), "a variant not given stays");
    JsonArray versions = client.get(path + "/versions", f.editor).items();
    assertEquals(2, versions.size());
    assertEquals(404, client.post(path + "/publish", f.editor, new JsonObject()).status(), "posts go out by their slots");
  }

  @Test
  @DisplayName("a post is not seen outside its department's scope, and the asset it uses cannot be deleted")
  void scopedAndAssetsInUse() {
    String picture = f.image();
    String id = created(post("范围").put("weibo", new JsonObject().put("text", "配图").put("pictureAssetId", picture)))
      .getString("id");
    ContentFixtures other = new ContentFixtures(client, "交通局");
    assertEquals(404, client.get("/api/v1/posts/" + id, other.editor).status());
    assertTrue(client.get("/api/v1/posts", other.editor).items().stream()
      .noneMatch(p -> id.equals(((JsonObject) p).getString("id"))));
    Client.Response deleted = client.raw("DELETE", "/api/v1/assets/" + picture, f.admin, null, null);
    assertEquals(409, deleted.status(), deleted::toString);
  }
}
