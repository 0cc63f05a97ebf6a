package io.govmedia.publishing;

import io.govmedia.support.Client;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A publishing desk: one department with its channel accounts (a mini-program, a subscription and a service
 * official account, a Weibo), an editor scoped to them, and reviewers, so that a test can take a post through review
 * and schedule it as an editor would.
 */
public final class Desk {

  private static final SecureRandom RANDOM = new SecureRandom();

  public final Client client;
  public final String admin;
  public final String department;
  public final String miniapp;
  public final String subscription;
  public final String service;
  public final String weibo;
  public final String editor;
  public final List<String> reviewers;

  public Desk(Client client) {
    this.client = client;
    admin = client.adminToken();
    department = client.department(admin, "新闻办", null);
    miniapp = account(new JsonObject().put("type", "wechat_miniapp").put("appId", appId()).put("appSecret", alnum(32)));
    subscription = account(wechatMp("subscription"));
    service = account(wechatMp("service").put("overrideReason", "测试：同部门第二个公众号"));
    weibo = account(new JsonObject().put("type", "weibo").put("appKey", digits(10)).put("uid", digits(10))
      .put("appSecret", alnum(32)));
    editor = client.staffToken(admin, List.of("editor"), List.of(department), List.of(miniapp, subscription, service, weibo));
    List<String> people = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      people.add(client.staffToken(admin, List.of("reviewer"), List.of(department), List.of()));
    }
    reviewers = List.copyOf(people);
  }

  /** An official account, known to the shared fake WeChat with its AppID and AppSecret. */
  private JsonObject wechatMp(String kind) {
    String appId = appId();
    String secret = alnum(32);
    io.govmedia.support.TestServer.get().wechat().app(appId, secret);
    return new JsonObject().put("type", "wechat_mp").put("kind", kind).put("appId", appId).put("appSecret", secret)
      .put("token", alnum(16)).put("originalId", "gh_" + HexFormat.of().formatHex(bytes(6))).put("callbackMode", "plain");
  }

  private String account(JsonObject body) {
    body.put("name", "测试账号" + Client.unique()).put("departmentId", department);
    Client.Response created = client.post("/api/v1/accounts", admin, body);
    assertEquals(201, created.status(), created::toString);
    return created.json().getString("id");
  }

  /** A post with a mini-program variant (and a WeChat one when asked), approved at every review stage. */
  public String approvedPost(String title, boolean wechat) {
    JsonObject body = new JsonObject().put("title", title).put("body", "<p>今日起开展老旧小区改造意见征集。</p>")
      .put("departmentId", department).put("miniapp", new JsonObject());
    if (wechat) {
      body.put("wechat", new JsonObject().put("title", title).put("author", "新闻办").put("digest", "意见征集")
        .put("coverAssetId", image()).put("html", "<p>今日起开展老旧小区改造意见征集。</p>"));
    }
    Client.Response created = client.post("/api/v1/posts", editor, body);
    assertEquals(201, created.status(), created::toString);
    String id = created.json().getString("id");
    approve(id);
    return id;
  }

  void approve(String postId) {
    String path = "/api/v1/posts/" + postId;
    Client.Response submitted = client.post(path + "/submit", editor, new JsonObject());
    assertEquals(200, submitted.status(), submitted::toString);
    JsonObject item = null;
    for (String reviewer : reviewers) {
      Client.Response reviewed = client.post(path + "/review", reviewer, new JsonObject().put("decision", "approve")
        .put("comment", "同意"));
      assertEquals(200, reviewed.status(), reviewed::toString);
      item = reviewed.json();
    }
    assertEquals("approved", item.getString("status"), item::encode);
  }

  Client.Response schedule(String postId, JsonObject body) {
    return client.post("/api/v1/posts/" + postId + "/slots", editor, body);
  }

  /** Schedules and answers the slot, failing the test unless it was created. */
  public JsonObject scheduled(String postId, JsonObject body) {
    Client.Response response = schedule(postId, body);
    assertEquals(201, response.status(), response::toString);
    return response.json();
  }

  public static JsonObject miniappSlot(String accountId, Instant at) {
    return new JsonObject().put("channel", "miniapp").put("accountId", accountId).put("at", iso(at));
  }

  static JsonObject massSlot(String accountId, Instant at) {
    return new JsonObject().put("channel", "wechat").put("mode", "mass").put("accountId", accountId).put("at", iso(at));
  }

  static String iso(Instant at) {
    return at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.ofHours(8)).toString();
  }

  JsonObject slot(String postId, String slotId) {
    Client.Response list = client.get("/api/v1/posts/" + postId + "/slots", editor);
    assertEquals(200, list.status(), list::toString);
    for (Object item : list.items()) {
      JsonObject slot = (JsonObject) item;
      if (slot.getString("id").equals(slotId)) {
        return slot;
      }
    }
    throw new AssertionError("slot " + slotId + " not listed: " + list);
  }

  /** Polls the slot (the scheduler works asynchronously) until it fits, or fails after {@code within}. */
  public JsonObject awaitSlot(String postId, String slotId, Duration within, Predicate<JsonObject> fits) {
    long deadline = System.nanoTime() + within.toNanos();
    JsonObject slot = slot(postId, slotId);
    while (!fits.test(slot)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("slot never reached the expected state: " + slot.encodePrettily());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      slot = slot(postId, slotId);
    }
    return slot;
  }

  public static Predicate<JsonObject> status(String status) {
    return slot -> status.equals(slot.getString("status"));
  }

  static List<String> moves(JsonObject slot) {
    List<String> to = new ArrayList<>();
    JsonArray history = slot.getJsonArray("history");
    history.forEach(h -> to.add(((JsonObject) h).getString("to")));
    return to;
  }

  String image() {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    image.setRGB(3, 3, 0xC8102E);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String boundary = "----govmedia" + Client.unique();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cover.png\""
      + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(out.toByteArray());
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    Client.Response response = client.raw("POST", "/api/v1/assets", editor, "multipart/form-data; boundary=" + boundary,
      body.toByteArray());
    assertEquals(201, response.status(), response::toString);
    return response.json().getString("id");
  }

  static String appId() {
    return "wx" + HexFormat.of().formatHex(bytes(8));
  }

  static String alnum(int length) {
    String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append(chars.charAt(RANDOM.nextInt(chars.length())));
    }
    return out.toString();
  }

  static String digits(int length) {
    StringBuilder out = new StringBuilder().append(1 + RANDOM.nextInt(9));
    for (int i = 1; i < length; i++) {
      out.append(RANDOM.nextInt(10));
    }
    return out.toString();
  }

  private static byte[] bytes(int n) {
    byte[] out = new byte[n];
    RANDOM.nextBytes(out);
    return out;
  }
}
