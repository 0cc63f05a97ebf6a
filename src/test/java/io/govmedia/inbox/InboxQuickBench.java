package io.govmedia.inbox;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.govmedia.Main;
import io.govmedia.platform.Config;
import io.govmedia.platform.EmbeddedMongo;
import io.govmedia.platform.EmbeddedRedis;
import io.govmedia.platform.Ids;
import io.govmedia.support.Client;
import io.govmedia.support.StoreAccess;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A quick measurement of the case lists and intake at the volume, in one JVM on fresh embedded stores (not
 * the full scripts/bench-inbox): 100,000 cases (80% open) in 50 departments written straight into MongoDB,
 * then the server started (it builds the Redis lists from MongoDB: timed), a department's open-case first page and
 * a deep page read sequentially (p50/p99), and staff-entered cases at a fixed rate through the API (time to the
 * stored, routed and acknowledged case: p50/p99).
 *
 * <p>Run: {@code mvn -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
 * -Dmdep.includeScope=test && java -cp target/test-classes:target/classes:$(cat target/bench.classpath)
 * io.govmedia.inbox.InboxQuickBench [cases] [rate] [seconds]}
 */
public final class InboxQuickBench {

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable failure) {
      failure.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void run(String[] args) throws Exception {
    int cases = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    Path dir = Files.createTempDirectory("inbox-bench");
    try (EmbeddedMongo mongo = EmbeddedMongo.start(dir); EmbeddedRedis redis = EmbeddedRedis.start()) {
      List<String> departments = seedDepartments(mongo.uri(), 50);
      long seeding = System.nanoTime();
      seedCases(mongo.uri(), departments, cases);
      System.out.printf("seeded %d cases in %.1f s%n", cases, (System.nanoTime() - seeding) / 1e9);
      long starting = System.nanoTime();
      CLIENTS.values().forEach(MongoClient::close);
      Main.Running server = started(Config.from(new JsonObject(), Map.of("GOVMEDIA_HTTP_HOST", "127.0.0.1",
        "GOVMEDIA_HTTP_PORT", "0", "GOVMEDIA_DATA_DIR", dir.toString(), "GOVMEDIA_MONGO_URI", mongo.uri(),
        "GOVMEDIA_MONGO_DATABASE", "bench", "GOVMEDIA_REDIS_URI", redis.uri(), "GOVMEDIA_ADMIN_PASSWORD",
        "Bench-Admin-Passw0rd", "GOVMEDIA_METRICS_PORT", "0")), dir);
      System.out.printf("server started in %.1f s%n", (System.nanoTime() - starting) / 1e9);
      try {
        Client client = new Client(server.port());
        String admin = client.login("admin", "Bench-Admin-Passw0rd");
        Inbox.Member replier = Inbox.member(client, admin, List.of("replier", "dispatcher"), List.of(departments.get(7)));
        String first = "/api/v1/cases?limit=50&departmentId=" + departments.get(7);
        awaitLists(client, replier.token(), first);
        measure("department's open cases, first page", client, replier.token(), first, 500);
        String deep = first;
        int pages = 1;
        for (String next = client.get(first, replier.token()).json().getString("next"); next != null && pages < 21;
             next = client.get(deep, replier.token()).json().getString("next")) {
          deep = first + "&cursor=" + next;
          pages++;
        }
        measure("department's open cases, page " + pages, client, replier.token(), deep, 500);
        measure("queue (status=dispatching) as a dispatcher", client, admin, "/api/v1/cases?limit=50&status=dispatching", 200);
        intake(client, admin, rate, seconds);
      } finally {
        server.close();
      }
    }
  }

  /** The lists are rebuilt in the background after a start on a fresh Redis: wait for a full first page. */
  private static void awaitLists(Client client, String token, String path) throws InterruptedException {
    long started = System.nanoTime();
    // a 503 (Redis busy with the rebuild's writes) counts as not yet
    for (Client.Response r = client.get(path, token); r.status() != 200 || r.items().size() < 50;
         r = client.get(path, token)) {
      Thread.sleep(200);
    }
    System.out.printf("lists rebuilt from MongoDB within %.1f s of the start%n", (System.nanoTime() - started) / 1e9);
  }

  /** The server, or the reason it did not start printed before the stores are closed. */
  private static Main.Running started(Config config, Path dir) {
    try {
      return Main.start(config);
    } catch (RuntimeException failure) {
      failure.printStackTrace();
      System.exit(1);
      return null;
    }
  }

  private static List<String> seedDepartments(String uri, int count) throws Exception {
    List<String> ids = new ArrayList<>();
    List<Document> docs = new ArrayList<>();
    Instant now = Instant.now();
    for (int i = 0; i < count; i++) {
      String id = Ids.newId();
      ids.add(id);
      docs.add(new Document("_id", id).append("name", "部门" + i).append("parentId", null)
        .append("siblingKey", "/部门" + i).append("createdAt", java.util.Date.from(now))
        .append("updatedAt", java.util.Date.from(now)).append("version", 1L));
    }
    StoreAccess.all(collection(uri, "departments").insertMany(docs));
    return ids;
  }

  /** Cases as intake would have made them: numbered, in a department (a few in the queue), due in the coming weeks. */
  private static void seedCases(String uri, List<String> departments, int count) {
    MongoCollection<Document> collection = collection(uri, "cases");
    Instant now = Instant.now();
    List<Document> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String department = i % 100 == 0 ? null : departments.get(i % departments.size());
      CaseStatus status = i % 5 == 4 ? (i % 2 == 0 ? CaseStatus.CLOSED : CaseStatus.ANSWERED)
        : department == null ? CaseStatus.DISPATCHING : CaseStatus.values()[1 + i % 3];
      Instant received = now.minus(Duration.ofMinutes(i % 40_000));
      LocalDate receivedOn = Deadlines.date(received);
      LocalDate due = receivedOn.plusDays(7 + i % 5);
      Case c = Case.open(Ids.newId(), CaseNumbers.format(2026, 500_000 + i), Channel.WECHAT, "acct", Citizen.UNKNOWN,
        null, Category.COMPLAINT, Urgency.NORMAL, "标题 " + i, new Case.Message("留言内容 " + i, received, "seed:" + i,
          List.of()), null, false, null, received).change(null, e -> {
            e.status = status;
            e.deadline = new Case.Deadline(receivedOn, 7, 0, due, due.atTime(23, 59, 59).atZone(io.govmedia.platform.Times.ZONE)
              .toInstant(), false, null);
            if (department != null) {
              e.moveTo(department, received);
            }
          });
      batch.add(c.toDocument());
      if (batch.size() == 1000) {
        StoreAccess.all(collection.insertMany(batch));
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      StoreAccess.all(collection.insertMany(batch));
    }
  }

  private static final Map<String, MongoClient> CLIENTS = new HashMap<>();

  private static MongoCollection<Document> collection(String uri, String name) {
    return CLIENTS.computeIfAbsent(uri, MongoClients::create).getDatabase("bench").getCollection(name);
  }

  private static void measure(String what, Client client, String token, String path, int times) {
    List<Long> nanos = new ArrayList<>();
    for (int i = 0; i < times + 20; i++) {
      long started = System.nanoTime();
      Client.Response response = client.get(path, token);
      long took = System.nanoTime() - started;
      if (response.status() != 200) {
        throw new IllegalStateException(what + ": " + response);
      }
      if (i >= 20) {
        nanos.add(took);
      }
    }
    report(what + " (" + times + " sequential reads)", nanos);
  }

  /** Staff-entered cases at {@code rate} a second for {@code seconds}: latency of each until its 201. */
  private static void intake(Client client, String admin, int rate, int seconds) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<?>> sent = new ArrayList<>();
    long start = System.nanoTime();
    int total = rate * seconds;
    int failed[] = {0};
    for (int i = 0; i < total; i++) {
      long due = start + (long) (i * 1e9 / rate);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + client.port() + "/api/v1/cases"))
        .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Inbox.phoneCase("噪音扰民 " + i).encode())).build();
      long began = System.nanoTime();
      sent.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
        if (r.statusCode() == 201) {
          nanos.add(System.nanoTime() - began);
        } else {
          synchronized (failed) {
            failed[0]++;
          }
        }
      }));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    double took = (System.nanoTime() - start) / 1e9;
    System.out.printf("intake: %d cases offered at %d/s, %d failed, all answered after %.1f s (%.0f cases/s)%n", total,
      rate, failed[0], took, total / took);
    report("staff-entered case to stored, routed, acknowledged (201)", new ArrayList<>(nanos));
  }

  private static void report(String what, List<Long> nanos) {
    Collections.sort(nanos);
    System.out.printf("%s: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", what, nanos.get(nanos.size() / 2) / 1e6,
      nanos.get((int) (nanos.size() * 0.99)) / 1e6, nanos.get(nanos.size() - 1) / 1e6);
  }
}
