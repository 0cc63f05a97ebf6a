package io.govmedia.inbox;

import io.govmedia.Main;
import io.govmedia.platform.EmbeddedRedis;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.lettuce.core.RedisClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis stops while cases come in (an instance with a Redis of its own, stopped and started again empty, as a Redis
 * without persistence comes back): every case acknowledged with 201 is kept, none is answered 5xx silently lost, and
 * once Redis is back the lists and the deadline alarms are rebuilt from MongoDB and intake goes on.
 */
@DisplayName("Inbox when Redis stops")
class InboxRedisFaultTest {

  static EmbeddedRedis redis;
  static Main.Running instance;
  static Client client;
  static Inbox.Member dispatcher;

  @BeforeAll
  static void start() {
    redis = EmbeddedRedis.start();
    instance = TestServer.get().startAnother(Map.of("GOVMEDIA_REDIS_URI", redis.uri(),
      "GOVMEDIA_MONGO_DATABASE", "govmedia_fault_" + Client.unique()));
    client = new Client(instance.port());
    String admin = client.adminToken();
    String city = client.department(admin, "市政府", null);
    dispatcher = Inbox.member(client, admin, List.of("dispatcher"), List.of(city));
  }

  @AfterAll
  static void stop() {
    if (instance != null) {
      instance.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  @DisplayName("cases acknowledged while Redis is away are all kept, listed again and on the deadline clock once it returns")
  void nothingAcknowledgedIsLost() throws Exception {
    ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    AtomicInteger refused = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    Thread intake = new Thread(() -> {
      while (running.get()) {
        try {
          Client.Response r = client.post("/api/v1/cases", dispatcher.token(), Inbox.phoneCase("停电 " + Client.unique()));
          if (r.status() == 201) {
            acknowledged.add(r.json().getString("id"));
          } else {
            if (r.status() != 503) {
              unexpected.add(r.toString());
            }
            refused.incrementAndGet();
          }
        } catch (RuntimeException e) {
          refused.incrementAndGet();  // a request cut off: not acknowledged
        }
      }
    });
    intake.start();
    Inbox.eventually(acknowledged::size, n -> n >= 5, Duration.ofSeconds(30));
    int before = acknowledged.size();
    redis.close();
    Inbox.eventually(() -> acknowledged.size() + refused.get(), n -> n >= before + 10, Duration.ofSeconds(60));
    redis.restart();
    int atReturn = acknowledged.size();
    Inbox.eventually(acknowledged::size, n -> n >= atReturn + 5, Duration.ofSeconds(60));
    running.set(false);
    intake.join();

    assertTrue(unexpected.isEmpty(), () -> "a refusal while Redis is away is a 503: " + unexpected);
    Set<String> all = new HashSet<>(acknowledged);
    for (String id : all) {
      assertEquals(200, client.get("/api/v1/cases/" + id, dispatcher.token()).status(), () -> "case " + id + " lost");
    }
    Inbox.eventually(() -> new HashSet<>(Inbox.ids(client, dispatcher.token(), "status=dispatching")),
      listed -> listed.containsAll(all), Duration.ofSeconds(90));
    RedisClient redisClient = RedisClient.create(redis.uri());
    try (var connection = redisClient.connect()) {
      Inbox.eventually(() -> new ArrayList<>(all).stream().filter(id -> connection.sync()
          .zscore(DeadlineSweep.ALARMS, id) == null).toList(), List::isEmpty, Duration.ofSeconds(90));
    } finally {
      redisClient.shutdown();
    }
  }
}
