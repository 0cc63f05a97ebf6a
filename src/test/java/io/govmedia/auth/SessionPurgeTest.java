package io.govmedia.auth;

import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.support.Client;
import io.govmedia.support.StoreAccess;
import io.govmedia.support.TestServer;
import io.vertx.core.Vertx;
import org.bson.Document;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The embedded store has no TTL indexes: the hourly purge is what keeps sign-in data from growing forever. */
@DisplayName("Purging sign-in data")
class SessionPurgeTest {

  @Test
  @DisplayName("expired refresh tokens and long-revoked sessions are deleted; live ones stay")
  void purge() throws Exception {
    TestServer.get();
    String database = "purge_" + Client.unique();
    MongoCollection<Document> tokens = StoreAccess.collection(database, "refresh_tokens");
    MongoCollection<Document> sessions = StoreAccess.collection(database, "sessions");
    Instant now = Instant.parse("2026-11-22T00:00:00Z");
    StoreAccess.first(tokens.insertMany(List.of(
      new Document("_id", "expired").append("expiresAt", Date.from(now.minusSeconds(1))),
      new Document("_id", "live").append("expiresAt", Date.from(now.plus(Duration.ofDays(3)))))));
    StoreAccess.first(sessions.insertMany(List.of(
      new Document("_id", "old").append("revokedAt", Date.from(now.minus(Duration.ofDays(30)))),
      new Document("_id", "recent").append("revokedAt", Date.from(now.minus(Duration.ofDays(1)))),
      new Document("_id", "open").append("revokedAt", null))));
    Vertx vertx = Vertx.vertx();
    try (var client = com.mongodb.reactivestreams.client.MongoClients.create(TestServer.get().mongoUri())) {
      MongoDatabase db = client.getDatabase(database);
      Sessions purger = new Sessions(vertx, db, new StaffStore(db), new byte[32], Clock.systemUTC(),
        Duration.ofMinutes(15), Duration.ofDays(14));
      long deleted = purger.purge(now).await(10, TimeUnit.SECONDS);
      assertEquals(2, deleted);
      assertEquals(List.of("live"), StoreAccess.all(tokens.find()).stream().map(d -> d.getString("_id")).toList());
      assertEquals(List.of("open", "recent"), StoreAccess.all(sessions.find()).stream().map(d -> d.getString("_id"))
        .sorted().toList());
    } finally {
      vertx.close().await();
    }
  }
}
