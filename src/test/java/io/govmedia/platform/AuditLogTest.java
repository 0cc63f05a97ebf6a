package io.govmedia.platform;

import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Sorts.ascending;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The audit log")
class AuditLogTest {

  static final byte[] KEY = "an audit chain key for unit tests".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  static Client client;
  static String admin;
  static Vertx vertx;
  static MongoClient mongo;
  static final List<MongoDatabase> unitDatabases = new ArrayList<>();

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    vertx = Vertx.vertx();
    mongo = MongoClients.create(TestServer.get().mongoUri());
  }

  @AfterAll
  static void stop() throws Exception {
    for (MongoDatabase db : unitDatabases) {
      await(db.drop());
    }
    mongo.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  // The server's log, through the API.

  @Test
  @DisplayName("only admins may read or verify the audit log")
  void adminsOnly() {
    String supervisor = client.staffToken(admin, List.of("supervisor", "editor"), List.of(), List.of());

    Client.Response list = client.get("/api/v1/audit", supervisor);
    Client.Response verify = client.get("/api/v1/audit/verify", supervisor);

    assertEquals(403, list.status(), list::toString);
    assertEquals("forbidden", list.problemCode());
    assertEquals(403, verify.status(), verify::toString);
    assertEquals("forbidden", verify.problemCode());
  }

  @Test
  @DisplayName("the server's log lists the newest entry first, a page at a time, and its chain verifies intact")
  void serverLogVerifies() {
    String department = client.department(admin, "督查室", null);

    Client.Response first = client.get("/api/v1/audit?limit=2", admin);
    assertEquals(200, first.status(), first::toString);
    JsonObject newest = first.items().getJsonObject(0);
    assertEquals("department.create", newest.getString("action"));
    assertEquals(department, newest.getString("targetId"));
    assertEquals("admin", newest.getJsonObject("actor").getString("username"));
    assertEquals(String.valueOf(newest.getLong("seq")), newest.getString("id"));
    assertTrue(newest.getLong("seq") > first.items().getJsonObject(1).getLong("seq"));
    Client.Response older = client.get("/api/v1/audit?limit=2&cursor=" + first.json().getString("next"), admin);
    assertEquals(first.items().getJsonObject(1).getLong("seq") - 1, older.items().getJsonObject(0).getLong("seq"));

    Client.Response verify = client.get("/api/v1/audit/verify", admin);
    assertEquals(200, verify.status(), verify::toString);
    assertEquals(true, verify.json().getBoolean("ok"), verify::toString);
    assertTrue(verify.json().getLong("checked") >= newest.getLong("seq"), verify::toString);
    assertTrue(verify.json().containsKey("firstBrokenId"), verify::toString);
    assertNull(verify.json().getValue("firstBrokenId"));
  }

  @Test
  @DisplayName("editing a stored entry of the server's log is reported at that entry until it is put back")
  void serverLogTamperDetected() throws Exception {
    String department = client.department(admin, "纪检组", null);
    JsonObject entry = client.get("/api/v1/audit?limit=20", admin).items().stream().map(JsonObject.class::cast)
      .filter(e -> department.equals(e.getString("targetId"))).findFirst()
      .orElseThrow(() -> new AssertionError("no audit entry for department " + department));
    assertEquals(true, client.get("/api/v1/audit/verify", admin).json().getBoolean("ok"), "the chain was broken before");
    MongoCollection<Document> log = mongo.getDatabase("govmedia_test").getCollection("audit_log");
    long seq = Long.parseLong(entry.getString("id"));
    String original = await(log.find(eq("_id", seq))).get(0).getString("after");

    try {
      String forged = new JsonObject(original).put("name", "篡改后的部门").encode();
      await(log.updateOne(eq("_id", seq), Updates.set("after", forged)));

      JsonObject broken = client.get("/api/v1/audit/verify", admin).json();
      assertEquals(false, broken.getBoolean("ok"), broken::encode);
      assertEquals(entry.getString("id"), broken.getString("firstBrokenId"));
      assertEquals(List.of(entry.getString("id")), broken.getJsonArray("brokenIds").getList(), broken::encode);
      assertEquals(1, broken.getLong("brokenCount"), broken::encode);
    } finally {
      await(log.updateOne(eq("_id", seq), Updates.set("after", original)));
    }
    JsonObject restored = client.get("/api/v1/audit/verify", admin).json();
    assertEquals(true, restored.getBoolean("ok"), restored::encode);
    assertNull(restored.getValue("firstBrokenId"));
    assertEquals(List.of(), restored.getJsonArray("brokenIds").getList());
  }

  // AuditLog itself, each test on a database of its own.

  @Test
  @DisplayName("an empty log verifies, with nothing checked")
  void emptyLog() throws Exception {
    AuditLog audit = new AuditLog(freshDatabase(), KEY, Clock.systemUTC());

    AuditLog.Verification result = onVertx(audit::verify);

    assertTrue(result.ok());
    assertEquals(0, result.checked());
    assertNull(result.firstBrokenId());
  }

  @Test
  @DisplayName("three hundred appends launched together on one instance all succeed (a busy inbox audits every case it enters)")
  void manyAppendsAtOnce() throws Exception {
    AuditLog audit = new AuditLog(freshDatabase(), KEY, Clock.systemUTC());

    List<AuditLog.Entry> appended = onVertx(() -> Future.all(IntStream.rangeClosed(1, 300)
      .mapToObj(i -> audit.append(actor(), "test.append", "thing", "t" + i, null, null, "r" + i))
      .toList()).map(all -> all.<AuditLog.Entry>list()));

    assertEquals(LongStream.rangeClosed(1, 300).boxed().toList(),
      appended.stream().map(AuditLog.Entry::seq).sorted().toList());
    AuditLog.Verification result = onVertx(audit::verify);
    assertTrue(result.ok(), result::toString);
  }

  @Test
  @DisplayName("fifty appends launched together are numbered 1 to 50 without gaps, each chained to the one before")
  void concurrentAppends() throws Exception {
    MongoDatabase db = freshDatabase();
    AuditLog audit = new AuditLog(db, KEY, Clock.systemUTC());

    List<AuditLog.Entry> appended = onVertx(() -> Future.all(IntStream.rangeClosed(1, 50)
      .mapToObj(i -> audit.append(actor(), "test.append", "thing", "t" + i, null, new JsonObject().put("n", i), "r" + i))
      .toList()).map(all -> all.<AuditLog.Entry>list()));

    assertEquals(LongStream.rangeClosed(1, 50).boxed().toList(),
      appended.stream().map(AuditLog.Entry::seq).sorted().toList());
    List<Document> stored = await(db.getCollection("audit_log").find().sort(ascending("_id")));
    assertEquals(50, stored.size());
    String previous = AuditLog.GENESIS;
    for (Document doc : stored) {
      assertEquals(previous, doc.getString("prevHash"), "entry " + doc.get("_id") + " is not chained to the one before");
      previous = doc.getString("hash");
    }
    AuditLog.Verification result = onVertx(audit::verify);
    assertTrue(result.ok(), result::toString);
    assertEquals(50, result.checked());
  }

  @Test
  @DisplayName("two server instances appending at once share one unbroken chain")
  void twoInstances() throws Exception {
    MongoDatabase db = freshDatabase();
    AuditLog one = new AuditLog(db, KEY, Clock.systemUTC());
    AuditLog two = new AuditLog(db, KEY, Clock.systemUTC());

    onVertx(() -> Future.all(IntStream.rangeClosed(1, 40)
      .mapToObj(i -> (i % 2 == 0 ? one : two).append(actor(), "test.append", "thing", "t" + i, null, null, null))
      .toList()));

    List<Long> seqs = await(db.getCollection("audit_log").find().sort(ascending("_id"))).stream()
      .map(d -> ((Number) d.get("_id")).longValue()).toList();
    assertEquals(LongStream.rangeClosed(1, 40).boxed().toList(), seqs);
    AuditLog.Verification result = onVertx(one::verify);
    assertTrue(result.ok(), result::toString);
    assertEquals(40, result.checked());
  }

  @Test
  @DisplayName("after a restart, and after another instance appended, the next entry continues the chain")
  void continuesAfterRestart() throws Exception {
    MongoDatabase db = freshDatabase();
    AuditLog before = new AuditLog(db, KEY, Clock.systemUTC());
    for (int i = 0; i < 3; i++) {
      onVertx(() -> before.append(actor(), "test.append", "thing", "t", null, null, null));
    }

    AuditLog restarted = new AuditLog(db, KEY, Clock.systemUTC());
    AuditLog.Entry fourth = onVertx(() -> restarted.append(actor(), "test.append", "thing", "t", null, null, null));
    AuditLog.Entry fifth = onVertx(() -> before.append(actor(), "test.append", "thing", "t", null, null, null));

    assertEquals(4, fourth.seq());
    assertEquals(5, fifth.seq());
    assertEquals(fourth.hash(), fifth.prevHash());
    assertTrue(onVertx(restarted::verify).ok());
  }

  @Test
  @DisplayName("deleting an entry in the middle is reported at the entry after it")
  void deletionDetected() throws Exception {
    MongoDatabase db = freshDatabase();
    AuditLog audit = filledLog(db, 10);

    await(db.getCollection("audit_log").deleteOne(eq("_id", 5L)));

    AuditLog.Verification result = onVertx(audit::verify);
    assertFalse(result.ok());
    assertEquals("6", result.firstBrokenId());
  }

  @Test
  @DisplayName("an entry holding lone surrogates is stored and hashed alike (as U+FFFD), so the chain still verifies")
  void loneSurrogateKeepsTheChain() throws Exception {
    MongoDatabase db = freshDatabase();
    AuditLog audit = filledLog(db, 2);

    AuditLog.Entry odd = onVertx(() -> audit.append(new AuditLog.Actor("0123456789abcdef01234567", "张\ud800"),
      "document.create", "document", "d1", null, new JsonObject().put("title", "通知\ud800"), "r\udc00"));
    onVertx(() -> audit.append(actor(), "test.append", "thing", "t", null, null, null));

    Document stored = await(db.getCollection("audit_log").find(eq("_id", odd.seq()))).get(0);
    assertEquals("{\"title\":\"通知\uFFFD\"}", stored.getString("after"));
    assertEquals("张\uFFFD", stored.getString("actorName"));
    assertEquals(odd.after(), stored.getString("after"), "what was hashed is what is stored");
    AuditLog.Verification result = onVertx(audit::verify);
    assertTrue(result.ok(), result::toString);
    assertEquals(4, result.checked());
  }

  @Test
  @DisplayName("two tampered entries are both reported, and the entries between and after them still verify")
  void everyBrokenEntryReported() throws Exception {
    MongoDatabase db = freshDatabase();
    AuditLog audit = filledLog(db, 10);

    await(db.getCollection("audit_log").updateOne(eq("_id", 3L), Updates.set("after", "{\"n\":30}")));
    await(db.getCollection("audit_log").updateOne(eq("_id", 7L), Updates.set("actorName", "someone-else")));

    AuditLog.Verification result = onVertx(audit::verify);
    assertFalse(result.ok());
    assertEquals(List.of("3", "7"), result.brokenIds());
    assertEquals("3", result.firstBrokenId());
    assertEquals(2, result.brokenCount());
    assertEquals(10, result.checked());
  }

  @Test
  @DisplayName("a deletion in the middle and a cut-off end are both reported, each once")
  void deletionAndTruncationReported() throws Exception {
    MongoDatabase db = freshDatabase();
    AuditLog audit = filledLog(db, 10);

    await(db.getCollection("audit_log").deleteOne(eq("_id", 4L)));
    await(db.getCollection("audit_log").deleteOne(eq("_id", 10L)));

    AuditLog.Verification result = onVertx(audit::verify);
    assertEquals(List.of("5", "10"), result.brokenIds(), result::toString);
  }

  @Test
  @DisplayName("the broken entries named are capped at 100, and all are counted")
  void brokenIdsCapped() throws Exception {
    MongoDatabase db = freshDatabase();
    List<Document> forged = LongStream.rangeClosed(1, 150).mapToObj(seq -> new Document("_id", seq)
      .append("at", "2026-03-01T00:00:00Z").append("actorId", "x").append("actorName", "x").append("action", "forged")
      .append("prevHash", "x").append("hash", "x")).toList();
    await(db.getCollection("audit_log").insertMany(forged));

    AuditLog.Verification result = onVertx(new AuditLog(db, KEY, Clock.systemUTC())::verify);
    assertEquals(150, result.brokenCount());
    assertEquals(100, result.brokenIds().size());
    assertEquals("1", result.firstBrokenId());
    assertEquals(150, result.toJson().getLong("brokenCount"));
  }

  @Test
  @DisplayName("editing any field of a stored entry is reported at that entry")
  void editDetected() throws Exception {
    MongoDatabase db = freshDatabase();
    AuditLog audit = filledLog(db, 10);

    await(db.getCollection("audit_log").updateOne(eq("_id", 7L), Updates.set("actorName", "someone-else")));

    AuditLog.Verification result = onVertx(audit::verify);
    assertFalse(result.ok());
    assertEquals("7", result.firstBrokenId());
  }

  @Test
  @DisplayName("a chain longer than one verification batch is checked to its end, and a break in the second batch is found")
  void longChain() throws Exception {
    MongoDatabase db = freshDatabase();
    List<Document> docs = new ArrayList<>();
    String previous = AuditLog.GENESIS;
    Instant at = Instant.parse("2026-03-01T00:00:00Z");
    for (long seq = 1; seq <= 1200; seq++) {
      AuditLog.Entry unsigned = new AuditLog.Entry(seq, at.plusSeconds(seq), "system", "system", "test.bulk", "thing",
        "t" + seq, null, "{\"n\":" + seq + "}", null, previous, null);
      AuditLog.Entry entry = new AuditLog.Entry(seq, unsigned.at(), "system", "system", "test.bulk", "thing",
        unsigned.targetId(), null, unsigned.after(), null, previous, unsigned.computeHash(KEY));
      docs.add(entry.toDocument());
      previous = entry.hash();
    }
    await(db.getCollection("audit_log").insertMany(docs));
    AuditLog audit = new AuditLog(db, KEY, Clock.systemUTC());

    AuditLog.Verification intact = onVertx(audit::verify);
    assertTrue(intact.ok(), intact::toString);
    assertEquals(1200, intact.checked());

    await(db.getCollection("audit_log").updateOne(eq("_id", 1100L), Updates.set("after", "{\"n\":0}")));
    AuditLog.Verification broken = onVertx(audit::verify);
    assertFalse(broken.ok());
    assertEquals("1100", broken.firstBrokenId());
  }

  @Test
  @DisplayName("entries are listed newest first, a page at a time, with their before and after as JSON")
  void listing() throws Exception {
    MongoDatabase db = freshDatabase();
    AuditLog audit = filledLog(db, 5);

    List<AuditLog.Entry> page = onVertx(() -> audit.list(new Page(null, 2)));
    List<AuditLog.Entry> next = onVertx(() -> audit.list(new Page("3", 2)));

    assertEquals(List.of(5L, 4L, 3L), page.stream().map(AuditLog.Entry::seq).toList(), "a page fetches one extra");
    assertEquals(List.of(2L, 1L), next.stream().map(AuditLog.Entry::seq).toList());
    JsonObject json = page.get(0).toJson();
    assertEquals("5", json.getString("id"));
    assertEquals(5, json.getJsonObject("after").getInteger("n"));
    assertNull(json.getValue("before"));
    assertNotNull(json.getString("hash"));
  }

  @Test
  @DisplayName("an audit cursor that is not an entry number is a 400 problem, not a server error")
  void badCursor() {
    Client.Response response = client.get("/api/v1/audit?cursor=aaaaaaaaaaaaaaaaaaaaaaaa", admin);
    assertEquals(400, response.status(), response::toString);
    assertEquals("invalid-cursor", response.problemCode());
  }

  @Test
  @DisplayName("cutting the newest entries off the end is detected, though what is left still chains")
  void truncationDetected() throws Exception {
    MongoDatabase db = freshDatabase();
    filledLog(db, 6);
    await(db.getCollection("audit_log").deleteOne(eq("_id", 6L)));
    AuditLog.Verification result = onVertx(new AuditLog(db, KEY, Clock.systemUTC())::verify);
    assertFalse(result.ok(), result::toString);
    assertEquals("6", result.firstBrokenId());
  }

  @Test
  @DisplayName("a chain recomputed without the key (plain SHA-256, as a forger would) does not verify")
  void forgedChainRefused() throws Exception {
    MongoDatabase db = freshDatabase();
    filledLog(db, 3);
    AuditLog.Verification withOtherKey = onVertx(new AuditLog(db, "another key".getBytes(), Clock.systemUTC())::verify);
    assertFalse(withOtherKey.ok());
    assertEquals("1", withOtherKey.firstBrokenId());
  }

  @Test
  @DisplayName("an entry stripped of its fields is reported as broken, not answered with an error")
  void malformedEntry() throws Exception {
    MongoDatabase db = freshDatabase();
    filledLog(db, 4);
    await(db.getCollection("audit_log").updateOne(eq("_id", 2L), Updates.unset("prevHash")));
    AuditLog.Verification result = onVertx(new AuditLog(db, KEY, Clock.systemUTC())::verify);
    assertFalse(result.ok());
    assertEquals("2", result.firstBrokenId());
  }

  private static AuditLog filledLog(MongoDatabase db, int entries) throws Exception {
    AuditLog audit = new AuditLog(db, KEY, Clock.systemUTC());
    for (int i = 1; i <= entries; i++) {
      JsonObject after = new JsonObject().put("n", i);
      onVertx(() -> audit.append(actor(), "test.append", "thing", "t", null, after, null));
    }
    AuditLog.Verification intact = onVertx(audit::verify);
    assertTrue(intact.ok(), intact::toString);
    return audit;
  }

  private static AuditLog.Actor actor() {
    return new AuditLog.Actor("0123456789abcdef01234567", "tester");
  }

  private static MongoDatabase freshDatabase() {
    MongoDatabase db = mongo.getDatabase("audit_unit_" + Client.unique());
    unitDatabases.add(db);
    return db;
  }

  /** Runs the work on a Vert.x event loop, as the server does, and waits for its outcome. */
  private static <T> T onVertx(Supplier<Future<T>> work) throws Exception {
    CompletableFuture<T> outcome = new CompletableFuture<>();
    vertx.runOnContext(v -> work.get().onSuccess(outcome::complete).onFailure(outcome::completeExceptionally));
    return outcome.get(20, TimeUnit.SECONDS);
  }

  private static <T> List<T> await(Publisher<T> publisher) throws Exception {
    return Mongo.all(publisher).await(10, TimeUnit.SECONDS);
  }
}
