package io.govmedia.bench;

import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.govmedia.Main;
import io.govmedia.inbox.InboxFeature;
import io.govmedia.inbox.InboxSeed;
import io.govmedia.platform.Config;
import io.govmedia.platform.EmbeddedMongo;
import io.govmedia.platform.EmbeddedRedis;
import io.govmedia.platform.Mongo;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.govmedia.workdays.WorkdaysFeature;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * scripts/bench-inbox (issue 9, "Reliability and speed"): the server in this JVM on the embedded stores (MongoDB on an
 * H2 file, a real redis-server), 100,000 cases (80% open) in 50 departments written straight into MongoDB in bulk; the
 * server then starts on them and rebuilds its Redis sets (lists, deadline alarms) from MongoDB as it does after Redis
 * lost them. Measured: that rebuild; one deadline sweep with ~1% of the open cases due; a department's open-case list
 * page (p50/p99 over 1,000 requests); intake-to-assignment at 500 cases/s for 20 s (a staff-entered case routed by a
 * keyword rule and assigned in the same request: its latency, p50/p99). Prints the figures; exits 1 below a floor.
 *
 * Settings: BENCH_CASES (100000), BENCH_DEPARTMENTS (50), BENCH_RATE (500), BENCH_SECONDS (20), BENCH_LIST_REQUESTS (1000).
 */
public final class InboxBench {

  static final double SWEEP_FLOOR_S = 5;
  static final double LIST_FLOOR_MS = 100;
  static final double INTAKE_FLOOR_MS = 500;

  public static void main(String[] args) throws Exception {
    int total = setting("BENCH_CASES", 100_000);
    int departmentCount = setting("BENCH_DEPARTMENTS", 50);
    int rate = setting("BENCH_RATE", 500);
    int seconds = setting("BENCH_SECONDS", 20);
    int listRequests = setting("BENCH_LIST_REQUESTS", 1000);
    Path dataDir = Files.createTempDirectory("govmedia-bench-inbox");
    EmbeddedMongo mongo = EmbeddedMongo.start(dataDir);
    EmbeddedRedis redis = EmbeddedRedis.start();
    Config config = config(dataDir, mongo, redis);
    List<String> failures = new ArrayList<>();
    try {
      // 1. departments, repliers and routing rules through the API
      Main.Running first = Main.start(config);
      Client client = new Client(first.port());
      String admin = client.login("admin", BenchServer.ADMIN_PASSWORD);
      String city = client.department(admin, "市政府", null);
      List<String> departments = new ArrayList<>();
      for (int i = 0; i < departmentCount; i++) {
        String department = client.department(admin, "部门" + i, city);
        departments.add(department);
        for (int r = 0; r < 3; r++) {
          client.staffToken(admin, List.of("replier"), List.of(department), List.of());
        }
        Client.Response rule = client.post("/api/v1/routing-rules", admin, new JsonObject().put("name", "规则" + i)
          .put("priority", i).put("keywords", new JsonArray().add("事项" + i + "号")).put("departmentId", department));
        check(rule.status() == 201, "routing rule: " + rule);
      }
      InboxSeed seed = new InboxSeed(first.feature(WorkdaysFeature.class).workdays());
      first.close();

      // 2. the cases, in bulk
      Instant now = Instant.now();
      long seedStart = System.nanoTime();
      int dueCount = 0;
      try (MongoClient mongoClient = MongoClients.create(mongo.uri())) {
        MongoCollection<Document> cases = mongoClient.getDatabase("govmedia").getCollection("cases");
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < total; i++) {
          boolean closed = i % 5 == 0;
          boolean due = !closed && i % 100 == 1;
          Document d = seed.document(String.format("2026-%06d", i + 1), departments.get(i % departmentCount), closed,
            due, now, Duration.ofDays(20));
          dueCount += !closed && seed.alarmDue(d, now) ? 1 : 0;
          batch.add(d);
          if (batch.size() == 2000 || i == total - 1) {
            Mongo.first(cases.insertMany(batch, new InsertManyOptions().ordered(false)))
              .toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
            batch = new ArrayList<>();
          }
        }
      }
      System.out.printf("seeded %,d cases (%,d open, %,d with an alarm due) in %.1f s%n", total,
        total - total / 5, dueCount, (System.nanoTime() - seedStart) / 1e9);
      // the sets are rebuilt from MongoDB when Redis has none (as after a Redis loss)
      try (var connection = io.lettuce.core.RedisClient.create(redis.uri()).connect()) {
        connection.sync().flushall();
      }

      // 3. the server on them: its start rebuilds the lists and the alarm set
      long startAt = System.nanoTime();
      Main.Running server = Main.start(config);
      double rebuild = (System.nanoTime() - startAt) / 1e9;
      System.out.printf("server start with the Redis sets rebuilt from %,d cases: %.1f s%n", total, rebuild);
      client = new Client(server.port());
      admin = client.login("admin", BenchServer.ADMIN_PASSWORD);

      // 4. one deadline sweep
      long sweepStart = System.nanoTime();
      int sent = server.feature(InboxFeature.class).sweepDeadlines().toCompletionStage().toCompletableFuture()
        .get(5, TimeUnit.MINUTES);
      double sweep = (System.nanoTime() - sweepStart) / 1e9;
      System.out.printf("deadline sweep: %,d alarms sent in %.2f s (floor %.0f s, goal 1 s)%n", sent, sweep, SWEEP_FLOOR_S);
      if (sweep > SWEEP_FLOOR_S) {
        failures.add("sweep");
      }
      if (sent < dueCount * 0.99) {
        failures.add("sweep sent " + sent + " of " + dueCount + " due");
      }

      // 5. a department's open-case list, first page
      Vertx vertx = Vertx.vertx();
      HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64));
      String token = admin;
      long[] list = new long[listRequests];
      for (int i = 0; i < listRequests + 100; i++) {
        String department = departments.get(i % departmentCount);
        long t = System.nanoTime();
        Client.Response page = client.get("/api/v1/cases?departmentId=" + department + "&limit=50", token);
        long took = System.nanoTime() - t;
        check(page.status() == 200 && page.items().size() == 50, "list page: " + page.status());
        if (i >= 100) {
          list[i - 100] = took;  // the first 100 warm up
        }
      }
      double listP99 = percentile(list, 99) / 1e6;
      System.out.printf("department open-case list page (50 items): p50 %.1f ms, p99 %.1f ms over %,d requests (floor %.0f ms, goal 20 ms)%n",
        percentile(list, 50) / 1e6, listP99, listRequests, LIST_FLOOR_MS);
      if (listP99 > LIST_FLOOR_MS) {
        failures.add("list");
      }

      // 6. intake to assignment at a steady rate
      IntakeResult intake = intake(vertx, http, server.port(), token, departmentCount, rate, seconds);
      double intakeP99 = percentile(intake.latencies(), 99) / 1e6;
      System.out.printf("intake to assignment at %d cases/s for %d s: %,d cases, %,d assigned, %,d errors; p50 %.1f ms, p99 %.1f ms (floor %.0f ms, goal 100 ms)%n",
        rate, seconds, intake.latencies().length, intake.assigned(), intake.errors(),
        percentile(intake.latencies(), 50) / 1e6, intakeP99, INTAKE_FLOOR_MS);
      if (intakeP99 > INTAKE_FLOOR_MS || intake.errors() > 0 || intake.assigned() < intake.latencies().length) {
        failures.add("intake");
      }
      http.close();
      vertx.close();
      server.close();
    } finally {
      redis.close();
      mongo.close();
    }
    if (!failures.isEmpty()) {
      System.out.println("BELOW THE FLOOR: " + failures);
      System.exit(1);
    }
    System.out.println("all figures above their floors");
    System.exit(0);
  }

  record IntakeResult(long[] latencies, int assigned, int errors) {
  }

  /** Open loop: a case every 1/rate s whatever the answers, each timed from its own send to its answer. */
  private static IntakeResult intake(Vertx vertx, HttpClient http, int port, String token, int departments, int rate,
                                     int seconds) throws InterruptedException {
    int count = rate * seconds;
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger assigned = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(count);
    long start = System.nanoTime();
    long periodNanos = 1_000_000_000L / rate;
    AtomicInteger next = new AtomicInteger();
    vertx.setPeriodic(1, timer -> {
      long due = (System.nanoTime() - start) / periodNanos + 1;
      while (next.get() < Math.min(due, count)) {
        int i = next.getAndIncrement();
        Buffer body = new JsonObject().put("channel", "phone").put("category", "consultation")
          .put("title", "咨询事项" + (i % departments) + "号").put("content", "关于事项" + (i % departments) + "号的咨询 " + i)
          .toBuffer();
        long sentAt = System.nanoTime();
        http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
            .setURI("/api/v1/cases").putHeader("Authorization", "Bearer " + token)
            .putHeader("Content-Type", "application/json"))
          .compose(request -> request.send(body).compose(response -> response.body().map(b -> {
            if (response.statusCode() != 201) {
              throw new IllegalStateException(response.statusCode() + " " + b);
            }
            return new JsonObject(b);
          })))
          .onComplete(answer -> {
            latencies.add(System.nanoTime() - sentAt);
            if (answer.failed()) {
              errors.incrementAndGet();
            } else if (answer.result().getString("assigneeId") != null) {
              assigned.incrementAndGet();
            }
            done.countDown();
          });
      }
      if (next.get() >= count) {
        vertx.cancelTimer(timer);
      }
    });
    check(done.await(seconds + 120L, TimeUnit.SECONDS), "intake answers missing");
    return new IntakeResult(latencies.stream().mapToLong(Long::longValue).toArray(), assigned.get(), errors.get());
  }

  private static Config config(Path dataDir, EmbeddedMongo mongo, EmbeddedRedis redis) {
    Map<String, String> env = new HashMap<>();
    env.put("GOVMEDIA_HTTP_HOST", "127.0.0.1");
    env.put("GOVMEDIA_HTTP_PORT", String.valueOf(TestServer.freePort()));
    env.put("GOVMEDIA_DATA_DIR", dataDir.toString());
    env.put("GOVMEDIA_MONGO_URI", mongo.uri());
    env.put("GOVMEDIA_MONGO_DATABASE", "govmedia");
    env.put("GOVMEDIA_REDIS_URI", redis.uri());
    env.put("GOVMEDIA_ADMIN_PASSWORD", BenchServer.ADMIN_PASSWORD);
    env.put("GOVMEDIA_METRICS_PORT", "0");
    // the periodic sweep stays out of the way of the one measured; the cap leaves room for the whole intake run
    env.put("GOVMEDIA_INBOX_DEADLINE_SWEEP_SECONDS", "3600");
    env.put("GOVMEDIA_INBOX_ASSIGNMENT_CAP", "10000");
    return Config.from(new JsonObject(), env);
  }

  private static double percentile(long[] values, int p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static int setting(String name, int otherwise) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? otherwise : Integer.parseInt(value);
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }
}
