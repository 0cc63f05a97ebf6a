package io.govmedia.bench;

import com.mongodb.client.model.Projections;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.govmedia.fakes.FakeWeChat;
import io.govmedia.platform.EmbeddedMongo;
import io.govmedia.platform.EmbeddedRedis;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Secrets;
import io.govmedia.support.Client;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * scripts/bench-scheduler: 10,000 WeChat slots due in the same minute across 50 service accounts, sent by two server
 * instances on the same embedded stores against the fake WeChat API answering every call after 20 ms.
 *
 * <p>The stores (mongo-java-server on an H2 file, a real redis-server) and the fake WeChat run in this JVM, as
 * {@code TestServer} starts them; the two instances are server JVMs of their own ({@link SchedulerInstance}, with
 * conf/jvm.options) pointed at them by URI. The fake listens on two ports, one per instance, so that each slot's
 * publishing call (freepublish/submit, or mass/sendall with the slot's clientmsgid) tells which instance sent it.
 *
 * <p>Setup goes through the API: an admin, a department, 50 service accounts (4 mass sends a month) registered in the
 * fake, an editor with their accountIds, reviewers for the configured stages, 200 approved posts with a WeChat
 * variant and an image cover. The slots are created two hours ahead (creating them scans the post's slots, so
 * creation slows down as the collection grows; the time is not measured), then moved to one chosen whole minute,
 * which also sets how long setup may take. Each post goes to every account: 4 per account as mass sends, the rest
 * as free publishes.
 *
 * <p>Measured: lateness of each slot's publishing call as the fake received it, against the slot's time (p50, p99,
 * max); time to drain (the last such call); time until every slot reads {@code published} (free publishes are
 * confirmed by a check 30 s after the submit); drafts, submits and mass sends made more than once; each instance's
 * share. Exit 1 when a slot is lost (never sent, or not published in the end) or sent twice.
 *
 * <p>Settings (env, printed): GOVMEDIA_PUBLISH_CONCURRENCY, GOVMEDIA_WECHAT_WORKER_THREADS,
 * GOVMEDIA_WECHAT_HTTP_CONNECTIONS passed to both instances; BENCH_SLOTS, BENCH_ACCOUNTS, BENCH_LATENCY_MS for smaller
 * runs; BENCH_SERVER_JAVA_OPTS added to the instances' JVM options ({name} becomes a or b, e.g. for a JFR file).
 */
public final class SchedulerBench {

  static final String ADMIN_PASSWORD = "Bench-Admin-Passw0rd";
  static final int MASS_PER_ACCOUNT = 4;
  static final int CLIENT_THREADS = 16;
  static final Duration WAIT = Duration.ofMinutes(10);
  static final Map<String, String> SETTINGS = new LinkedHashMap<>();

  static {
    SETTINGS.put("GOVMEDIA_PUBLISH_CONCURRENCY", "128");
    SETTINGS.put("GOVMEDIA_WECHAT_WORKER_THREADS", "64");
    SETTINGS.put("GOVMEDIA_WECHAT_HTTP_CONNECTIONS", "64");
  }

  private SchedulerBench() {
  }

  public static void main(String[] args) throws Exception {
    int slotCount = Integer.parseInt(env("BENCH_SLOTS", "10000"));
    int accountCount = Integer.parseInt(env("BENCH_ACCOUNTS", "50"));
    int latencyMillis = Integer.parseInt(env("BENCH_LATENCY_MS", "20"));
    int postCount = slotCount / accountCount;
    SETTINGS.replaceAll((key, value) -> env(key, value));
    Path dataDir = Files.createTempDirectory("govmedia-bench-scheduler");
    Secrets.fromConfig(Optional.empty(), dataDir);  // one master key for both instances, made before either starts
    EmbeddedMongo mongo = EmbeddedMongo.start(dataDir);
    EmbeddedRedis redis = EmbeddedRedis.start();
    FakeWeChat fake = FakeWeChat.start().latency(Duration.ofMillis(latencyMillis));
    String otherWeChat = fake.anotherBaseUrl();
    ExecutorService pool = Executors.newFixedThreadPool(CLIENT_THREADS);
    List<SchedulerInstance> instances = new ArrayList<>();
    MongoClient mongoClient = MongoClients.create(mongo.uri());
    int exit = 1;
    try {
      instances.add(SchedulerInstance.start("a", dataDir, instanceEnv(dataDir, mongo, redis, fake.baseUrl())));
      instances.add(SchedulerInstance.start("b", dataDir, instanceEnv(dataDir, mongo, redis, otherWeChat)));
      for (SchedulerInstance instance : instances) {
        instance.awaitReady();
      }
      Client client = instances.get(0).client;
      Instant setupStart = Instant.now();
      Setup setup = Setup.make(client, fake, pool, accountCount, postCount);
      Instant far = Instant.now().plus(Duration.ofHours(2));
      List<Slot> slots = parallel(pool, slotCount, i -> setup.schedule(i / accountCount, i % accountCount, far));
      Duration created = Duration.between(setupStart, Instant.now());
      // Moving a slot finds it by id (no scan): about as fast as creating the first ones, well under the creation time.
      Instant at = Instant.now().plus(created.dividedBy(2)).plusSeconds(30).truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);
      List<Instant> moved = parallel(pool, slotCount, i -> setup.reschedule(slots.get(i), at));
      long movedLate = moved.stream().filter(t -> t.isAfter(at)).count();
      System.out.printf("setup: %d accounts, %d posts, %d slots (%d mass) in %d s; all moved to %s (%d moves ended after it)%n",
        accountCount, postCount, slotCount, slots.stream().filter(Slot::mass).count(), created.toSeconds(), at, movedLate);

      Map<String, FakeWeChat.Receipt> calls = awaitCalls(fake, slotCount, at);
      List<Document> docs = awaitPublished(mongoClient, slotCount, at);
      exit = report(fake, slots, calls, docs, at, instances, otherWeChat, accountCount, latencyMillis);
    } finally {
      for (SchedulerInstance instance : instances) {
        instance.close();
      }
      pool.shutdownNow();
      mongoClient.close();
      fake.close();
      redis.close();
      mongo.close();
    }
    System.exit(exit);
  }

  record Slot(String id, String postId, String clientMsgId, boolean mass) {
  }

  /** What setup made through the API; {@link #schedule} and {@link #reschedule} are the editor's requests. */
  record Setup(Client client, String editor, List<String> accounts, List<String> posts) {

    static Setup make(Client client, FakeWeChat fake, ExecutorService pool, int accountCount, int postCount)
      throws Exception {
      String admin = client.login("admin", ADMIN_PASSWORD);
      String department = client.department(admin, "新闻办", null);
      List<String> accounts = parallel(pool, accountCount, i -> account(client, fake, admin, department));
      String editor = client.staffToken(admin, List.of("editor"), List.of(department), accounts);
      List<String> reviewers = new ArrayList<>();
      for (int i = 0; i < 5; i++) {  // at most five review stages, each approved by a different reviewer
        reviewers.add(client.staffToken(admin, List.of("reviewer"), List.of(department), List.of()));
      }
      String cover = cover(client, editor);
      List<String> posts = parallel(pool, postCount, i -> approvedPost(client, editor, reviewers, department, cover, i));
      return new Setup(client, editor, accounts, posts);
    }

    Slot schedule(int post, int account, Instant at) {
      boolean mass = post < MASS_PER_ACCOUNT;
      JsonObject body = new JsonObject().put("channel", "wechat").put("accountId", accounts.get(account))
        .put("mode", mass ? "mass" : "freepublish").put("at", iso(at));
      JsonObject slot = created(client.post("/api/v1/posts/" + posts.get(post) + "/slots", editor, body), 201);
      return new Slot(slot.getString("id"), posts.get(post), slot.getString("clientMsgId"), mass);
    }

    Instant reschedule(Slot slot, Instant at) {
      created(client.patch("/api/v1/posts/" + slot.postId() + "/slots/" + slot.id(), editor,
        new JsonObject().put("at", iso(at))), 200);
      return Instant.now();
    }
  }

  private static String account(Client client, FakeWeChat fake, String admin, String department) {
    String appId = "wx" + hex(8);
    String secret = hex(16);
    fake.app(appId, secret);
    return created(client.post("/api/v1/accounts", admin, new JsonObject().put("type", "wechat_mp").put("kind", "service")
      .put("name", "服务号" + Client.unique()).put("departmentId", department).put("appId", appId)
      .put("appSecret", secret).put("token", hex(8)).put("originalId", "gh_" + hex(6)).put("callbackMode", "plain")
      .put("overrideReason", "基准测试：一个部门 50 个服务号")), 201).getString("id");
  }

  private static String approvedPost(Client client, String editor, List<String> reviewers, String department,
                                     String cover, int n) {
    String title = "定时发布基准稿件 " + n;
    String html = "<p>今日起开展老旧小区改造意见征集，第 " + n + " 期。</p>";
    String id = created(client.post("/api/v1/posts", editor, new JsonObject().put("title", title).put("body", html)
      .put("departmentId", department).put("wechat", new JsonObject().put("title", title).put("author", "新闻办")
        .put("digest", "意见征集").put("coverAssetId", cover).put("html", html))), 201).getString("id");
    created(client.post("/api/v1/posts/" + id + "/submit", editor, new JsonObject()), 200);
    for (String reviewer : reviewers) {
      JsonObject reviewed = created(client.post("/api/v1/posts/" + id + "/review", reviewer,
        new JsonObject().put("decision", "approve").put("comment", "同意")), 200);
      if ("approved".equals(reviewed.getString("status"))) {
        return id;
      }
    }
    throw new IllegalStateException("post " + id + " not approved by " + reviewers.size() + " reviewers");
  }

  /** One PNG image asset, the cover of every post (each slot still uploads it to WeChat as material of its own). */
  private static String cover(Client client, String editor) throws Exception {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    image.setRGB(3, 3, 0xC8102E);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    String boundary = "----govmedia" + Client.unique();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cover.png\""
      + "\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(png.toByteArray());
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return created(client.raw("POST", "/api/v1/assets", editor, "multipart/form-data; boundary=" + boundary,
      body.toByteArray()), 201).getString("id");
  }

  private static JsonObject created(Client.Response response, int status) {
    if (response.status() != status) {
      throw new IllegalStateException("expected " + status + ": " + response);
    }
    return response.json();
  }

  private static Map<String, String> instanceEnv(Path dataDir, EmbeddedMongo mongo, EmbeddedRedis redis, String wechat) {
    Map<String, String> env = new LinkedHashMap<>(SETTINGS);
    env.putAll(Map.of("GOVMEDIA_HTTP_HOST", "127.0.0.1", "GOVMEDIA_DATA_DIR", dataDir.toString(),
      "GOVMEDIA_MONGO_URI", mongo.uri(), "GOVMEDIA_REDIS_URI", redis.uri(), "GOVMEDIA_ADMIN_PASSWORD", ADMIN_PASSWORD,
      "GOVMEDIA_WECHAT_API_BASE", wechat, "GOVMEDIA_PUBLIC_BASE_URL", "https://media.example.gov.cn",
      "GOVMEDIA_METRICS_PORT", "0", "GOVMEDIA_ACCESS_LOG_LEVEL", "WARN"));
    return env;
  }

  /** Until the fake received every slot's publishing call, or no new one for a minute after the chosen time. */
  private static Map<String, FakeWeChat.Receipt> awaitCalls(FakeWeChat fake, int slotCount, Instant at)
    throws InterruptedException {
    long deadline = at.plus(WAIT).toEpochMilli();
    int last = -1;
    long lastChange = at.toEpochMilli();
    while (System.currentTimeMillis() < deadline) {
      int seen = fake.publishingCalls().size();
      if (seen >= slotCount) {
        break;
      }
      if (seen != last) {
        last = seen;
        lastChange = Math.max(at.toEpochMilli(), System.currentTimeMillis());
      } else if (System.currentTimeMillis() - lastChange > 60_000) {
        System.out.println("no publishing call for 60 s with " + seen + " of " + slotCount + " received");
        break;
      }
      Thread.sleep(200);
    }
    return fake.publishingCalls();
  }

  /** The slots, once all read published (or after the wait). */
  private static List<Document> awaitPublished(MongoClient mongo, int slotCount, Instant at) throws Exception {
    MongoCollection<Document> slots = mongo.getDatabase("govmedia").getCollection("slots");
    long deadline = at.plus(WAIT).toEpochMilli();
    List<Document> docs = List.of();
    while (System.currentTimeMillis() < deadline) {
      docs = Mongo.all(slots.find().projection(Projections.include("status", "history", "clientMsgId", "mode")))
        .await(120, TimeUnit.SECONDS);
      if (docs.size() >= slotCount && docs.stream().allMatch(d -> "published".equals(d.getString("status")))) {
        break;
      }
      Thread.sleep(1_000);
    }
    return docs;
  }

  private static int report(FakeWeChat fake, List<Slot> slots, Map<String, FakeWeChat.Receipt> calls,
                            List<Document> docs, Instant at, List<SchedulerInstance> instances, String otherWeChat,
                            int accountCount, int latencyMillis) {
    long[] lateness = slots.stream().map(s -> calls.get(s.id())).filter(java.util.Objects::nonNull)
      .mapToLong(r -> r.atMillis() - at.toEpochMilli()).sorted().toArray();
    long neverSent = slots.stream().filter(s -> !calls.containsKey(s.id())).count();
    long notPublished = docs.stream().filter(d -> !"published".equals(d.getString("status"))).count()
      + Math.max(0, slots.size() - docs.size());
    long published = docs.stream().filter(d -> "published".equals(d.getString("status")))
      .mapToLong(d -> lastMove(d).getDate("at").getTime()).max().orElse(at.toEpochMilli());
    long submittedTwice = slots.stream().filter(s -> !s.mass() && fake.submits(s.id()) > 1).count();
    long massTwice = slots.stream().filter(s -> s.mass() && fake.massSends(s.clientMsgId()) > 1).count();
    int otherPort = Integer.parseInt(otherWeChat.substring(otherWeChat.lastIndexOf(':') + 1));
    long onB = calls.values().stream().filter(r -> r.port() == otherPort).count();
    Map<String, Long> statuses = new java.util.TreeMap<>();
    docs.forEach(d -> statuses.merge(d.getString("status"), 1L, Long::sum));

    System.out.printf("%ngovmedia scheduler benchmark — %s, %d cores, %d slots (%d mass) across %d accounts, "
        + "fake WeChat %d ms per call, 2 instances%n", java.time.LocalDate.now(), Runtime.getRuntime().availableProcessors(),
      slots.size(), slots.stream().filter(Slot::mass).count(), accountCount, latencyMillis);
    System.out.println("settings: " + SETTINGS);
    if (lateness.length > 0) {
      System.out.printf("lateness of the publishing call (submit/sendall received − at): p50 %.2f s, p99 %.2f s, max %.2f s%n",
        percentile(lateness, 0.50) / 1000.0, percentile(lateness, 0.99) / 1000.0, lateness[lateness.length - 1] / 1000.0);
      System.out.printf("time to drain (last publishing call − at): %.2f s (floor 60 s, goal 15 s)%n",
        lateness[lateness.length - 1] / 1000.0);
    }
    System.out.printf("time until every slot reads published (checks included): %s%n", notPublished == 0
      ? String.format("%.2f s", (published - at.toEpochMilli()) / 1000.0) : "not reached: " + statuses);
    System.out.printf("sent more than once: drafts %d, free publish submits %d, mass sends (clientMsgId) %d, fake's "
      + "duplicateMassSends %d%n", fake.duplicateDrafts(), submittedTwice, massTwice, fake.duplicateMassSends());
    System.out.printf("fake: %d submits accepted, calls: submit %d, sendall %d, draft/add %d, add_material %d, freepublish/get %d, batchget %d%n",
      fake.submits(), fake.calls("/cgi-bin/freepublish/submit"), fake.calls("/cgi-bin/message/mass/sendall"),
      fake.calls("/cgi-bin/draft/add"), fake.calls("/cgi-bin/material/add_material"),
      fake.calls("/cgi-bin/freepublish/get"), fake.calls("/cgi-bin/freepublish/batchget"));
    System.out.printf("instance shares of the publishing calls: a %d, b %d%n", calls.size() - onB, onB);
    System.out.printf("slot statuses at the end: %s%n", statuses);
    boolean failed = neverSent > 0 || notPublished > 0 || submittedTwice > 0 || massTwice > 0
      || fake.duplicateMassSends() > 0 || fake.duplicateDrafts() > 0;
    if (failed) {
      System.out.printf("FAILED: %d slots never sent, %d not published, some sent twice: see above; logs: %s%n",
        neverSent, notPublished, instances.stream().map(i -> i.log.toString()).toList());
    }
    return failed ? 1 : 0;
  }

  private static Document lastMove(Document slot) {
    List<Document> history = slot.getList("history", Document.class);
    return history.get(history.size() - 1);
  }

  private static long percentile(long[] sorted, double p) {
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  }

  /** {@code count} calls of {@code task} on the pool, their results in order; the first failure fails all. */
  static <T> List<T> parallel(ExecutorService pool, int count, IntFunction<T> task) throws Exception {
    List<Future<T>> futures = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int n = i;
      futures.add(pool.submit(() -> task.apply(n)));
    }
    List<T> results = new ArrayList<>(count);
    for (Future<T> future : futures) {
      results.add(future.get());
    }
    return results;
  }

  private static String iso(Instant at) {
    return OffsetDateTime.ofInstant(at, ZoneOffset.ofHours(8)).toString();
  }

  private static String hex(int bytes) {
    byte[] out = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(out);
    return HexFormat.of().formatHex(out);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
