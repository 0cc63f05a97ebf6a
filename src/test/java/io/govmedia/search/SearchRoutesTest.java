package io.govmedia.search;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Redis;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** {@code GET /api/v1/search} on the shared server, fed through an index of another "instance" on its stores. */
@DisplayName("Search over HTTP")
class SearchRoutesTest {

  static Client client;
  static String staff;
  static String staffDepartment;
  static String otherDepartment;
  static Vertx vertx;
  static MongoClient mongo;
  static Redis redis;
  static SearchIndex feeder;

  @BeforeAll
  static void start() throws Exception {
    TestServer server = TestServer.get();
    client = server.client();
    String admin = client.adminToken();
    staffDepartment = client.department(admin, "信访局", null);
    otherDepartment = client.department(admin, "民政局", null);
    staff = client.staffToken(admin, List.of("replier"), List.of(staffDepartment), List.of());
    vertx = Vertx.vertx();
    mongo = MongoClients.create(server.mongoUri());
    redis = Redis.connect(server.redisUri());
    // another instance on the shared server's database and data directory
    feeder = new SearchIndex(vertx, mongo.getDatabase("govmedia_test"), redis,
      server.dataDir().resolve("search").resolve("govmedia_test"));
    feeder.start().await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    feeder.close();
    redis.close();
    mongo.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** An entry in review in the staff member's own department, which they find. */
  static String put(String kind, String title, String text) throws Exception {
    return put(kind, title, text, staffDepartment);
  }

  static String put(String kind, String title, String text, String departmentId) throws Exception {
    String id = Ids.newId();
    feeder.put(new SearchIndex.Entry(kind, id, title, text, "in_review", departmentId, Instant.now())).await(10, TimeUnit.SECONDS);
    return id;
  }

  static Client.Response search(String query) {
    return client.get("/api/v1/search?" + query, staff);
  }

  static String q(String text) {
    return "q=" + URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("any staff member finds what another instance indexed, seeing only kind, id, title, snippet, score and time")
  void finds() throws Exception {
    String document = put("document", "关于规范殡葬服务收费的通知", "殡葬服务收费实行明码标价。<b>举报电话</b>12345。");
    String interpretation = put("interpretation", "政策问答：殡葬服务收费", "问：殡葬服务收费有哪些项目？");
    JsonArray items = eventually(q("殡葬服务收费"), Set.of(document, interpretation));

    JsonObject hit = items.getJsonObject(0);
    assertEquals(Set.of("kind", "id", "title", "titleHighlighted", "score", "snippet", "updatedAt"), hit.fieldNames());
    JsonObject first = find(items, document);
    assertEquals("document", first.getString("kind"));
    assertEquals("关于规范<em>殡葬服务收费</em>的通知", first.getString("titleHighlighted"));
    assertEquals("<em>殡葬服务收费</em>实行明码标价。&lt;b&gt;举报电话&lt;/b&gt;12345。", first.getString("snippet"));
    assertTrue(first.getString("updatedAt").endsWith("+08:00"), first.getString("updatedAt"));

    Client.Response interpretations = search(q("殡葬服务收费") + "&kind=interpretation");
    assertEquals(200, interpretations.status(), interpretations.text());
    assertTrue(interpretations.items().stream().allMatch(i -> ((JsonObject) i).getString("kind").equals("interpretation")));
  }

  @Test
  @DisplayName("next pages through the hits with limit and cursor")
  void pages() throws Exception {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      ids.add(put("document", "河长制工作简报第" + i + "期", "全面推行河长制湖长制。"));
    }
    eventually(q("河长制湖长制"), ids);
    Client.Response firstPage = search(q("河长制湖长制") + "&limit=2");
    assertEquals(2, firstPage.items().size());
    String next = firstPage.json().getString("next");
    Client.Response secondPage = search(q("河长制湖长制") + "&limit=2&cursor=" + next);
    assertEquals(200, secondPage.status(), secondPage.text());
    Set<String> seen = new HashSet<>();
    for (JsonArray items : List.of(firstPage.items(), secondPage.items())) {
      items.forEach(item -> seen.add(((JsonObject) item).getString("id")));
    }
    assertTrue(seen.containsAll(ids), seen + " " + firstPage + " " + secondPage);
  }

  @Test
  @DisplayName("another department's unpublished entries are left out before paging: every page is full and next stops at the last")
  void pagesLeaveOutOtherDepartments() throws Exception {
    Set<String> own = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      own.add(put("document", "养老服务补贴第" + i + "批", "发放养老服务补贴。"));
      put("document", "养老服务补贴内部稿" + i, "养老服务补贴拟调整。", otherDepartment);
    }
    eventually(q("养老服务补贴"), own);
    Client.Response firstPage = search(q("养老服务补贴") + "&limit=2");
    assertEquals(2, firstPage.items().size(), firstPage::toString);
    Client.Response secondPage = search(q("养老服务补贴") + "&limit=2&cursor=" + firstPage.json().getString("next"));
    assertEquals(1, secondPage.items().size(), secondPage::toString);
    assertNull(secondPage.json().getString("next"), "no third page of hidden entries");
    Set<String> seen = new HashSet<>();
    for (JsonArray items : List.of(firstPage.items(), secondPage.items())) {
      items.forEach(item -> seen.add(((JsonObject) item).getString("id")));
    }
    assertEquals(own, seen);
  }

  @Test
  @DisplayName("a missing, blank or over-long q, an unknown kind, a bad limit or cursor: 400 problems")
  void badInput() {
    assertEquals("invalid-query", search("").problemCode());
    assertEquals("invalid-query", search("q=%20%20").problemCode());
    assertEquals("invalid-query", search(q("政".repeat(101))).problemCode());
    assertEquals(200, search(q("政".repeat(100))).status());
    assertEquals("invalid-parameter", search(q("政策") + "&kind=video").problemCode());
    assertEquals("invalid-limit", search(q("政策") + "&limit=0").problemCode());
    assertEquals("invalid-cursor", search(q("政策") + "&cursor=abc").problemCode());
    assertEquals("invalid-cursor", search(q("政策") + "&cursor=5000").problemCode());
    assertEquals(400, search("").status());
    assertEquals(401, client.get("/api/v1/search?" + q("政策"), null).status());
  }

  static JsonArray eventually(String query, Set<String> ids) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 2_000;
    while (true) {
      Client.Response response = search(query + "&limit=200");
      assertEquals(200, response.status(), response.text());
      Set<String> found = new HashSet<>();
      response.items().forEach(item -> found.add(((JsonObject) item).getString("id")));
      if (found.containsAll(ids)) {
        return response.items();
      }
      if (System.currentTimeMillis() > deadline) {
        fail("not found over HTTP within 2 s: " + ids + " in " + response.text());
      }
      Thread.sleep(20);
    }
  }

  static JsonObject find(JsonArray items, String id) {
    return items.stream().map(JsonObject.class::cast).filter(i -> i.getString("id").equals(id)).findFirst()
      .orElseThrow(() -> new AssertionError(id + " not in " + items));
  }
}
