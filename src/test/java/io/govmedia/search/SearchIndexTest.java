package io.govmedia.search;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.EmbeddedRedis;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Redis;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The index as the content features use it: two instances on one database and one data directory (as two servers
 * on the same MongoDB, Redis and disk), others started later or restarted.
 */
@DisplayName("Search index")
class SearchIndexTest {

  static Vertx vertx;
  static MongoClient mongo;
  static MongoDatabase db;
  static Redis redis;
  static SearchIndex first;
  static SearchIndex second;
  static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  static Path folders;

  @BeforeAll
  static void start() throws Exception {
    TestServer server = TestServer.get();
    vertx = Vertx.vertx();
    mongo = MongoClients.create(server.mongoUri());
    db = mongo.getDatabase("search_test_" + Client.unique());
    redis = Redis.connect(server.redisUri());
    folders = server.dataDir().resolve("search").resolve(db.getName());
    first = started(index(redis));
    second = started(index(redis));
  }

  @AfterAll
  static void stop() throws Exception {
    first.close();
    second.close();
    redis.close();
    mongo.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static SearchIndex index(Redis through) {
    return new SearchIndex(vertx, db, through, folders);
  }

  static SearchIndex started(SearchIndex index) throws Exception {
    index.start().await(10, TimeUnit.SECONDS);
    index.loaded().await(10, TimeUnit.SECONDS);
    return index;
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String put(SearchIndex index, String kind, String title, String text) {
    String id = io.govmedia.platform.Ids.newId();
    await(index.put(new SearchIndex.Entry(kind, id, title, text, "draft", null, T0)));
    return id;
  }

  static String document(String title, String text) {
    return put(first, "document", title, text);
  }

  static List<SearchIndex.Hit> search(SearchIndex index, String q) {
    return await(index.search(q, Set.of(), SearchIndex.Reader.ADMIN, 200, null)).items();
  }

  static List<String> ids(List<SearchIndex.Hit> hits, Set<String> among) {
    return hits.stream().map(SearchIndex.Hit::id).filter(among::contains).toList();
  }

  static SearchIndex.Hit hit(List<SearchIndex.Hit> hits, String id) {
    return hits.stream().filter(h -> h.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError(id + " not in " + hits));
  }

  /** Polls until the hits satisfy the condition, for changes travelling to another instance. */
  static List<SearchIndex.Hit> eventually(SearchIndex index, String q, Predicate<List<SearchIndex.Hit>> condition)
    throws InterruptedException {
    return eventually(index, q, condition, 2_000);
  }

  static List<SearchIndex.Hit> eventually(SearchIndex index, String q, Predicate<List<SearchIndex.Hit>> condition,
                                          long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    List<SearchIndex.Hit> hits;
    while (!condition.test(hits = search(index, q))) {
      if (System.currentTimeMillis() > deadline) {
        fail("not within " + millis + " ms: " + hits);
      }
      Thread.sleep(20);
    }
    return hits;
  }

  @Test
  @DisplayName("a Chinese query finds a document by its bigrams and highlights them")
  void bigrams() {
    String id = document("职工住房政策汇编", "第三章 住房公积金提取办法。职工购买自住住房的，可以申请。");
    SearchIndex.Hit hit = hit(search(first, "公积金提取"), id);
    assertEquals("document", hit.kind());
    assertEquals("职工住房政策汇编", hit.title());
    assertTrue(hit.snippet().contains("住房<em>公积金提取</em>办法"), hit.snippet());
  }

  @Test
  @DisplayName("a title hit ranks above a body hit")
  void titleFirst() {
    String body = document("城市更新年度工作要点", "今年将统筹推进城镇老旧小区改造，完善社区服务设施，加快城市更新。");
    String title = document("城镇老旧小区改造实施方案", "为推进城市更新，改善居民居住条件，制定本方案，完善社区服务设施。");
    assertEquals(List.of(title, body), ids(search(first, "老旧小区改造"), Set.of(title, body)));
  }

  @Test
  @DisplayName("more matches rank above fewer: more occurrences first, then entries with only most of the terms")
  void moreMatchesFirst() {
    String thrice = document("民政工作通知一", "养老服务补贴按月发放。养老服务补贴标准提高。申请养老服务补贴须提交材料。");
    String once = document("民政工作通知二", "养老服务补贴按月发放。社区食堂运营良好。街道加强巡查走访工作。");
    String partly = document("民政工作通知三", "养老服务体系建设加快。困难群众生活补贴按时足额发放到位。");
    String none = document("民政工作通知四", "养老金按时足额发放。社区食堂运营良好。街道加强巡查走访工作。");
    List<SearchIndex.Hit> hits = search(first, "养老服务补贴");
    assertEquals(List.of(thrice, once, partly), ids(hits, Set.of(thrice, once, partly, none)));
    assertTrue(hit(hits, once).snippet().contains("<em>养老服务补贴</em>"));
  }

  @Test
  @DisplayName("a one-character query finds every entry with that character")
  void oneCharacter() {
    String tax = document("关于个人所得税专项附加扣除的说明", "纳税人可以享受扣除。");
    String other = document("关于春季植树活动的通知", "各单位组织职工参加义务植树。");
    List<SearchIndex.Hit> hits = search(first, "税");
    assertEquals(List.of(tax), ids(hits, Set.of(tax, other)));
    assertEquals("关于个人所得<em>税</em>专项附加扣除的说明", hit(hits, tax).titleHighlighted());
  }

  @Test
  @DisplayName("numbers and Latin words are found case- and width-insensitively (2026, PM2.5, ＰＭ２．５)")
  void latinAndNumbers() {
    String id = document("大气污染防治年度计划", "到2026年，全市PM2.5平均浓度下降到30微克/立方米以下。");
    assertTrue(ids(search(first, "2026"), Set.of(id)).contains(id));
    assertTrue(ids(search(first, "pm2.5"), Set.of(id)).contains(id));
    SearchIndex.Hit hit = hit(search(first, "ＰＭ２．５"), id);
    assertTrue(hit.snippet().contains("<em>PM2.5</em>"), hit.snippet());
  }

  @Test
  @DisplayName("title and snippet are HTML-escaped apart from the highlights")
  void escaped() {
    String id = document("网络安全 & <数据> 保护", "请勿在页面中插入<script>alert('x')</script>代码，网络安全人人有责。");
    SearchIndex.Hit hit = hit(search(first, "网络安全"), id);
    assertEquals("<em>网络安全</em> &amp; &lt;数据&gt; 保护", hit.titleHighlighted());
    assertEquals("请勿在页面中插入&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;代码，<em>网络安全</em>人人有责。", hit.snippet());
    assertEquals("网络安全 & <数据> 保护", hit.title());
  }

  @Test
  @DisplayName("a put through one instance is found on the other within two seconds, and so is its removal")
  void otherInstance() throws Exception {
    String id = document("关于开展无障碍环境建设的意见", "推进无障碍环境建设，方便残疾人和老年人出行。");
    eventually(second, "无障碍环境", hits -> ids(hits, Set.of(id)).contains(id));

    await(first.remove("document", id));
    assertTrue(ids(search(first, "无障碍环境"), Set.of(id)).isEmpty());
    eventually(second, "无障碍环境", hits -> ids(hits, Set.of(id)).isEmpty());
  }

  @Test
  @DisplayName("an update replaces the terms; an older version arriving late changes nothing")
  void update() throws Exception {
    String id = io.govmedia.platform.Ids.newId();
    await(first.put(new SearchIndex.Entry("interpretation", id, "图解：生活垃圾分类", "生活垃圾分类投放指引。", "draft", null, T0)));
    await(second.put(new SearchIndex.Entry("interpretation", id, "图解：节水型社会建设", "节水型社会建设要点。", "draft", null,
      T0.plusSeconds(60))));
    await(first.put(new SearchIndex.Entry("interpretation", id, "图解：生活垃圾分类", "生活垃圾分类投放指引。", "draft", null,
      T0.plusSeconds(30))));

    eventually(first, "节水型社会", hits -> ids(hits, Set.of(id)).contains(id));
    for (SearchIndex index : List.of(first, second)) {
      assertTrue(ids(search(index, "垃圾分类"), Set.of(id)).isEmpty());
      assertEquals("图解：<em>节水型社会</em>建设", hit(search(index, "节水型社会"), id).titleHighlighted());
    }
  }

  @Test
  @DisplayName("an instance that missed announcements while Redis was down catches up from MongoDB when Redis is back")
  void catchUp() throws Exception {
    EmbeddedRedis own = EmbeddedRedis.start();
    try (Redis forWriter = Redis.connect(own.uri()); Redis forReader = Redis.connect(own.uri());
         SearchIndex writer = started(index(forWriter));
         SearchIndex reader = started(index(forReader))) {
      own.close();
      String id = put(writer, "document", "关于做好冬春救助工作的通知", "切实保障受灾群众冬春期间基本生活。");
      assertEquals(List.of(id), ids(search(writer, "冬春救助"), Set.of(id)));
      own.restart();
      eventually(reader, "冬春救助", hits -> ids(hits, Set.of(id)).contains(id), 8_000);
    } finally {
      own.close();
    }
  }

  @Test
  @DisplayName("an instance started later rebuilds its index from MongoDB, removals included")
  void rebuild() throws Exception {
    String kept = document("关于加强农村饮水安全工作的通知", "保障农村饮水安全，巩固提升供水保障水平。");
    String removed = document("农村饮水安全工程建设管理办法", "规范农村饮水安全工程建设。");
    await(first.remove("document", removed));
    try (SearchIndex later = started(new SearchIndex(vertx, db, redis, folders.resolveSibling(db.getName() + "-later")))) {
      assertEquals(List.of(kept), ids(search(later, "农村饮水安全"), Set.of(kept, removed)));
    }
  }

  @Test
  @DisplayName("an index folder that cannot be read (damaged files) is built again from MongoDB instead of stopping the start")
  void damagedFolder() throws Exception {
    String kept = document("关于做好冬季供暖保障工作的通知", "做好冬季供暖保障，确保群众温暖过冬。");
    Path damaged = folders.resolveSibling(db.getName() + "-damaged");
    Files.createDirectories(damaged.resolve("0"));
    Files.write(damaged.resolve("0").resolve("segments_1"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    try (SearchIndex opened = started(new SearchIndex(vertx, db, redis, damaged))) {
      assertEquals(damaged.resolve("0"), opened.folder());
      opened.loaded().await(30, TimeUnit.SECONDS);
      assertEquals(List.of(kept), ids(search(opened, "冬季供暖保障"), Set.of(kept)));
    }
  }

  @Test
  @DisplayName("instances running at once on one data directory each hold an index folder of their own")
  void foldersOfTheirOwn() throws Exception {
    try (SearchIndex third = started(index(redis))) {
      Set<Path> held = Set.of(first.folder(), second.folder(), third.folder());
      assertEquals(3, held.size(), held.toString());
      assertTrue(held.stream().allMatch(folder -> folder.startsWith(folders)), held.toString());
    }
  }

  @Test
  @DisplayName("a restarted instance reopens its index on disk, answers at once, and catches up on what changed while it was down")
  void restart() throws Exception {
    String before = document("关于开展城乡环境整治行动的通知", "城乡环境整治行动分三个阶段。");
    Path folder;
    try (SearchIndex stopped = started(index(redis))) {
      eventually(stopped, "城乡环境整治", hits -> ids(hits, Set.of(before)).contains(before));
      folder = stopped.folder();
    }
    String meanwhile = document("城乡环境整治行动验收办法", "验收城乡环境整治成效。");
    await(first.remove("document", before));

    SearchIndex restarted = index(redis);
    try {
      restarted.start().await(10, TimeUnit.SECONDS);
      assertEquals(folder, restarted.folder(), "the folder the stopped instance left");
      restarted.loaded().await(10, TimeUnit.SECONDS);
      assertEquals(List.of(meanwhile), ids(search(restarted, "城乡环境整治"), Set.of(before, meanwhile)));
    } finally {
      restarted.close();
    }
  }

  @Test
  @DisplayName("a reader finds published entries and the unpublished ones of departments in their scope only")
  void readerScope() throws Exception {
    String ours = io.govmedia.platform.Ids.newId();
    String theirs = io.govmedia.platform.Ids.newId();
    String published = io.govmedia.platform.Ids.newId();
    await(first.put(new SearchIndex.Entry("document", ours, "城市更新试点方案", "城市更新试点。", "draft", "dept-a", T0)));
    await(first.put(new SearchIndex.Entry("document", theirs, "城市更新试点评估", "城市更新试点。", "approved", "dept-b", T0)));
    await(first.put(new SearchIndex.Entry("document", published, "城市更新试点通知", "城市更新试点。", "published", "dept-b", T0)));
    Set<String> all = Set.of(ours, theirs, published);
    SearchIndex.Reader readerA = new SearchIndex.Reader(Set.of("dept-a"));
    Set<String> found = Set.copyOf(ids(await(first.search("城市更新试点", Set.of(), readerA, 200, null)).items(), all));
    assertEquals(Set.of(ours, published), found);
    assertEquals(all, Set.copyOf(ids(search(first, "城市更新试点"), all)), "admins find everything");
    Set<String> citizens = Set.copyOf(ids(await(first.searchPublished("城市更新试点", 200, null)).items(), all));
    assertEquals(Set.of(published), citizens, "citizens find the published one only");
  }

  @Test
  @DisplayName("pages walk through every hit once; kind narrows the search")
  void paging() {
    Set<String> documents = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      documents.add(document("乡村振兴示范村名单（第" + i + "批）", "公布乡村振兴示范村名单。"));
    }
    String interpretation = put(first, "interpretation", "一图读懂乡村振兴示范村", "示范村评选标准解读。");

    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      SearchIndex.Hits page = await(first.search("乡村振兴示范村", Set.of(), SearchIndex.Reader.ADMIN, 2, cursor));
      assertTrue(page.items().size() <= 2);
      page.items().forEach(hit -> assertTrue(seen.add(hit.id()), "seen twice: " + hit.id()));
      cursor = page.next();
      pages++;
    } while (cursor != null);
    assertEquals(3, pages);
    assertTrue(seen.containsAll(documents) && seen.contains(interpretation), seen.toString());

    SearchIndex.Hits interpretations = await(first.search("乡村振兴示范村", Set.of("interpretation"), SearchIndex.Reader.ADMIN, 10, null));
    assertEquals(List.of(interpretation), interpretations.items().stream().map(SearchIndex.Hit::id).toList());
    assertNull(interpretations.next());
  }

  @Test
  @DisplayName("an empty or over-long query, or a cursor not handed out, fails with a 400 problem")
  void badQueries() {
    for (String q : new String[] {null, "  ", "长".repeat(101)}) {
      Throwable failure = first.search(q, Set.of(), SearchIndex.Reader.ADMIN, 10, null).cause();
      assertTrue(failure instanceof Problem p && p.status() == 400 && p.code().equals("invalid-query"), String.valueOf(failure));
    }
    Throwable failure = first.search("公积金", Set.of(), SearchIndex.Reader.ADMIN, 10, "1001").cause();
    assertTrue(failure instanceof Problem p && p.code().equals("invalid-cursor"), String.valueOf(failure));
    assertEquals(List.of(), search(first, "，。"));
    assertFalse(search(first, "长".repeat(100)).size() > 0);
  }
}
