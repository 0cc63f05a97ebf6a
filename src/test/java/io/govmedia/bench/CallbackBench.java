package io.govmedia.bench;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.govmedia.fakes.WeChatCallbacks;
import io.govmedia.platform.Mongo;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * scripts/bench-callback: the packaged server in its own JVM on its embedded stores (MongoDB on an H2 file and
 * a real redis-server, as {@code scripts/run} starts them; the server prints where they listen, so that this
 * process can measure and check the store afterwards), driven on loopback with
 * signed, AES-encrypted text-message callbacks: distinct MsgIds plus 10% repeats. In the same run it measures
 * a bare route of the same server and the embedded store's own insert rate, and prints the ratios. Each
 * load phase follows a short warm-up that is not timed (the warm-up's callbacks are still checked).
 *
 * Usage: CallbackBench [seconds=30] [concurrency=64]
 */
public final class CallbackBench {


  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    Path dataDir = Files.createTempDirectory("govmedia-bench");
    Vertx vertx = Vertx.vertx();
    int port = TestServer.freePort();
    Process server = BenchServer.start(dataDir, port);
    MongoClient mongoClient = null;
    try {
      Client client = new Client(port);
      BenchServer.awaitReady(client);
      mongoClient = MongoClients.create(BenchServer.embeddedMongoUri(dataDir));
      double singleInserts = insertRate(mongoClient, 1, 5);
      double batchedInserts = insertRate(mongoClient, 100, 5);

      String admin = client.login("admin", BenchServer.ADMIN_PASSWORD);
      Account account = register(client, admin);

      HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(concurrency));
      Request health = new Request(HttpMethod.GET, "/health", null, 0, false);
      drive(vertx, http, port, 3, concurrency, () -> health);
      Result bare = drive(vertx, http, port, Math.max(5, seconds / 3), concurrency, () -> health);
      Generator generator = new Generator(account);
      // Warm-up (JIT, connection pools, the store's first pages); its callbacks are checked too, not timed.
      Result warmUp = drive(vertx, http, port, 5, concurrency, generator::next);
      Result callbacks = drive(vertx, http, port, seconds, concurrency, generator::next);
      callbacks.acknowledged.addAll(warmUp.acknowledged);
      callbacks.errors.addAndGet(warmUp.errors.get());

      MongoCollection<Document> messages = mongoClient.getDatabase("govmedia").getCollection("wechat_messages");
      List<Document> stored = Mongo.all(messages.find(Filters.eq("accountId", account.id))
        .projection(Projections.include("msgId"))).await(300, TimeUnit.SECONDS);
      Map<Long, Integer> copies = new HashMap<>();
      stored.forEach(d -> copies.merge(d.getLong("msgId"), 1, Integer::sum));
      long missing = callbacks.acknowledged.stream().filter(id -> !copies.containsKey(id)).count();
      // Stored copies cannot exceed one (the id is the dedup identity); what could repeat is the processing after
      // the store (the inbox hand-off). The server counts it: one "stored" per delivery processed in full.
      String metrics = new Client(BenchServer.metricsPort(dataDir)).get("/metrics", null).text();
      long peakRss = BenchServer.peakRssMiB(server);
      long processed = counter(metrics, "stored");
      long twice = copies.values().stream().filter(n -> n > 1).count() + Math.max(0, processed - copies.size());

      System.out.printf("%ngovmedia callback benchmark — %s, %d cores, %d s, %d connections%n",
        java.time.LocalDate.now(), Runtime.getRuntime().availableProcessors(), seconds, concurrency);
      System.out.printf("embedded MongoDB inserts: %,.0f/s single, %,.0f/s in batches of 100%n", singleInserts, batchedInserts);
      print("bare route GET /health", bare);
      print("AES text callbacks (10% repeats)", callbacks);
      System.out.printf("repeats sent: %,d; distinct messages acknowledged: %,d; stored: %,d%n",
        generator.repeats.get(), callbacks.acknowledged.size(), copies.size());
      System.out.printf("acknowledged but missing from the store: %d%n", missing);
      System.out.printf("repeats processed twice: %d (deliveries processed in full: %,d for %,d distinct messages; "
        + "repeats answered from Redis: %,d; repeats refused by the store: %,d)%n", twice, processed, copies.size(),
        counter(metrics, "repeat_answered"), counter(metrics, "already_stored"));
      System.out.printf("server peak RSS (VmHWM): %,d MiB (floor 600, goal 400)%n", peakRss);
      System.out.printf("embedded store file: %,.1f MiB (every write command commits it before its reply)%n",
        Files.size(dataDir.resolve("mongo.mv")) / 1048576.0);
      System.out.printf("ratios: callbacks/bare route %.2f; callbacks/single inserts %.2f; callbacks/batched inserts %.2f%n",
        callbacks.rate() / bare.rate(), callbacks.rate() / singleInserts, callbacks.rate() / batchedInserts);
      if (missing > 0 || twice > 0 || callbacks.errors.get() > 0) {
        System.out.println("FAILED: lost, doubled or failed callbacks");
        System.exit(1);
      }
    } finally {
      if (mongoClient != null) {
        mongoClient.close();
      }
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
      vertx.close().await();
    }
  }

  private record Account(String id, String originalId, WeChatCallbacks wechat) {}

  /** One request to send; {@code msgId} is 0 for non-callback requests. */
  private record Request(HttpMethod method, String uri, Buffer body, long msgId, boolean repeat) {}

  private static final class Result {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    final long[] latencies = new long[4_000_000];
    final AtomicInteger recorded = new AtomicInteger();
    volatile long elapsedNanos;

    double rate() {
      return sent.get() * 1e9 / elapsedNanos;
    }

    long percentileMicros(double p) {
      int n = Math.min(recorded.get(), latencies.length);
      long[] sorted = Arrays.copyOf(latencies, n);
      Arrays.sort(sorted);
      return n == 0 ? 0 : sorted[Math.min(n - 1, (int) Math.ceil(p * n) - 1)] / 1000;
    }
  }

  /** Signed, encrypted callbacks; every tenth repeats one already sent, byte for byte. */
  private static final class Generator {
    private final Account account;
    private final AtomicLong ids = new AtomicLong(1_000_000);
    private final List<Request> recent = new ArrayList<>();
    final AtomicLong repeats = new AtomicLong();

    Generator(Account account) {
      this.account = account;
    }

    synchronized Request next() {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      if (recent.size() > 100 && random.nextInt(10) == 0) {
        repeats.incrementAndGet();
        Request old = recent.get(random.nextInt(recent.size()));
        return new Request(old.method, old.uri, old.body, old.msgId, true);
      }
      long id = ids.incrementAndGet();
      long now = System.currentTimeMillis() / 1000;
      String xml = WeChatCallbacks.textMessage(account.originalId, "oBench" + (id % 5000), now, id,
        "关于老旧小区改造政策的咨询，编号" + id);
      WeChatCallbacks.Delivery delivery = account.wechat.encrypted(xml, now, false);
      Request request = new Request(HttpMethod.POST, "/wechat/callback/" + account.id + "?" + delivery.query(),
        Buffer.buffer(delivery.body()), id, false);
      if (recent.size() < 2000) {
        recent.add(request);
      } else {
        recent.set(random.nextInt(recent.size()), request);
      }
      return request;
    }
  }

  private static Result drive(Vertx vertx, HttpClient http, int port, int seconds, int concurrency,
                              java.util.function.Supplier<Request> requests) {
    Result result = new Result();
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    Promise<Void> done = Promise.promise();
    AtomicInteger running = new AtomicInteger(concurrency);
    vertx.runOnContext(v -> {
      for (int i = 0; i < concurrency; i++) {
        loop(http, port, requests, result, end, () -> {
          if (running.decrementAndGet() == 0) {
            done.complete();
          }
        });
      }
    });
    done.future().await();
    result.elapsedNanos = System.nanoTime() - start;
    return result;
  }

  private static void loop(HttpClient http, int port, java.util.function.Supplier<Request> requests, Result result,
                           long end, Runnable finished) {
    if (System.nanoTime() >= end) {
      finished.run();
      return;
    }
    Request request = requests.get();
    long sentAt = System.nanoTime();
    Future<Buffer> response = http.request(new RequestOptions().setMethod(request.method).setHost("127.0.0.1")
        .setPort(port).setURI(request.uri))
      .compose(req -> (request.body == null ? req.send() : req.send(request.body)).compose(resp -> resp.body()
        .compose(body -> resp.statusCode() == 200 ? Future.succeededFuture(body)
          : Future.failedFuture(resp.statusCode() + " " + body))));
    response.onComplete(ar -> {
      long latency = System.nanoTime() - sentAt;
      int slot = result.recorded.getAndIncrement();
      if (slot < result.latencies.length) {
        result.latencies[slot] = latency;
      }
      result.sent.incrementAndGet();
      if (ar.succeeded()) {
        if (request.msgId != 0) {
          result.acknowledged.add(request.msgId);
        }
      } else if (result.errors.incrementAndGet() <= 5) {
        System.err.println("request failed: " + ar.cause().getMessage());
      }
      loop(http, port, requests, result, end, finished);
    });
  }

  private static double insertRate(MongoClient client, int batch, int seconds) {
    MongoCollection<Document> collection = client.getDatabase("bench_baseline").getCollection("inserts_" + batch);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long start = System.nanoTime();
    long inserted = 0;
    while (System.nanoTime() < end) {
      List<Document> docs = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        docs.add(new Document("_id", new org.bson.types.ObjectId().toHexString()).append("content", "基线插入 " + inserted)
          .append("at", new java.util.Date()));
      }
      if (batch == 1) {
        Mongo.first(collection.insertOne(docs.get(0))).await();
      } else {
        Mongo.first(collection.insertMany(docs)).await();
      }
      inserted += batch;
    }
    return inserted * 1e9 / (System.nanoTime() - start);
  }

  /** A govmedia_wechat_callbacks_total counter from the Prometheus text. */
  private static long counter(String metrics, String outcome) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith("govmedia_wechat_callbacks_total{") && line.contains("outcome=\"" + outcome + "\"")) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }




  private static Account register(Client client, String admin) {
    String token = "benchtoken" + Client.unique();
    String aesKey = WeChatCallbacks.newAesKey();
    String appId = "wx" + Client.unique() + "abcd";
    String originalId = "gh_" + Client.unique();
    String department = client.department(admin, "政务公开办", null);
    Client.Response created = client.post("/api/v1/accounts", admin, new JsonObject().put("type", "wechat_mp")
      .put("name", "基准测试公众号").put("departmentId", department).put("appId", appId)
      .put("appSecret", "0123456789abcdef0123456789abcdef").put("token", token).put("aesKey", aesKey)
      .put("originalId", originalId).put("kind", "service").put("callbackMode", "safe"));
    if (created.status() != 201) {
      throw new IllegalStateException("account not created: " + created);
    }
    return new Account(created.json().getString("id"), originalId, new WeChatCallbacks(token, aesKey, appId));
  }

  private static void print(String what, Result result) {
    System.out.printf("%-36s %,10.0f req/s  p50 %,6d us  p99 %,6d us  max %,7d us  errors %d%n", what, result.rate(),
      result.percentileMicros(0.50), result.percentileMicros(0.99), result.percentileMicros(1.0), result.errors.get());
  }
}
