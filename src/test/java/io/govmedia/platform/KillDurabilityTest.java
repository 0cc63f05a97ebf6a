package io.govmedia.platform;

import io.govmedia.fakes.WeChatCallbacks;
import io.govmedia.support.Client;
import io.govmedia.support.ServerProcess;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a crash costs: the server killed with SIGKILL in the middle of WeChat's traffic, on its embedded stores. */
@DisplayName("A killed server")
class KillDurabilityTest {

  private static final String ADMIN_PASSWORD = "Kill-Test-Passw0rd";
  private static final int CLIENTS = 8;
  private static final int MIN_ACKNOWLEDGED = 300;

  @Test
  @DisplayName("loses none of the callbacks it acknowledged before SIGKILL: all are listed after a restart on the same data, and each becomes a message of exactly one citizen case")
  void killUnderLoad(@TempDir Path dataDir) throws Exception {
    Map<String, String> env = Map.of("GOVMEDIA_DATA_DIR", dataDir.toString(), "GOVMEDIA_HTTP_HOST", "127.0.0.1",
      "GOVMEDIA_HTTP_PORT", String.valueOf(TestServer.freePort()), "GOVMEDIA_METRICS_PORT", "0",
      "GOVMEDIA_ADMIN_PASSWORD", ADMIN_PASSWORD, "GOVMEDIA_ACCESS_LOG_LEVEL", "WARN",
      "GOVMEDIA_INBOX_SWEEP_SECONDS", "5");
    ServerProcess first = ServerProcess.start(env);
    Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    Account account;
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      Client client = new Client(first.port());
      account = register(client, client.login("admin", ADMIN_PASSWORD));
      AtomicLong ids = new AtomicLong(7_000_000);
      for (int i = 0; i < CLIENTS; i++) {
        clients.submit(() -> sendUntilRefused(client, account, ids, acknowledged));
      }
      // Kill once the load has run longer than H2's own once-a-second commit, so that it leaves answered work behind.
      long loadStart = System.nanoTime();
      long giveUp = loadStart + TimeUnit.SECONDS.toNanos(60);
      while ((acknowledged.size() < MIN_ACKNOWLEDGED || System.nanoTime() - loadStart < TimeUnit.MILLISECONDS.toNanos(1500))
        && System.nanoTime() < giveUp) {
        Thread.sleep(20);
      }
    } finally {
      first.kill();
      clients.shutdown();
    }
    assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));
    assertTrue(acknowledged.size() >= MIN_ACKNOWLEDGED, "the load ran: " + acknowledged.size() + " callbacks acknowledged");

    ServerProcess second = ServerProcess.start(env);
    try {
      Client restarted = new Client(second.port());
      Set<Long> listed = listed(restarted, restarted.login("admin", ADMIN_PASSWORD), account.id);
      Set<Long> missing = new HashSet<>(acknowledged);
      missing.removeAll(listed);
      assertEquals(Set.of(), missing, missing.size() + " of " + acknowledged.size() + " acknowledged callbacks are gone");

      // The messages the killed instance stored but never handed to the inbox are picked up by the restarted one's
      // sweep (after a minute pending); none may make a second case or appear twice.
      String admin = restarted.login("admin", ADMIN_PASSWORD);
      Map<Long, Integer> inCases = Map.of();
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (System.nanoTime() < giveUp) {
        inCases = messagesInCases(restarted, admin);
        if (inCases.keySet().containsAll(acknowledged)) {
          break;
        }
        Thread.sleep(2000);
      }
      Set<Long> notInCase = new HashSet<>(acknowledged);
      notInCase.removeAll(inCases.keySet());
      assertEquals(Set.of(), notInCase, notInCase.size() + " acknowledged messages never became part of a case");
      Map<Long, Integer> twice = new java.util.TreeMap<>(inCases);
      twice.values().removeIf(count -> count == 1);
      assertEquals(Map.of(), twice, "messages found more than once across cases");
    } finally {
      assertTrue(second.stop());
    }
  }

  private record Account(String id, String originalId, WeChatCallbacks wechat) {}

  private static Account register(Client client, String admin) {
    String token = "killtoken" + Client.unique();
    String aesKey = WeChatCallbacks.newAesKey();
    String appId = "wx" + Client.unique() + "abcd";
    String originalId = "gh_" + Client.unique();
    Client.Response created = client.post("/api/v1/accounts", admin, new JsonObject().put("type", "wechat_mp")
      .put("name", "崩溃测试公众号").put("departmentId", client.department(admin, "政务公开办", null))
      .put("appId", appId).put("appSecret", "0123456789abcdef0123456789abcdef").put("token", token)
      .put("aesKey", aesKey).put("originalId", originalId).put("kind", "service").put("callbackMode", "safe"));
    assertEquals(201, created.status(), created.toString());
    return new Account(created.json().getString("id"), originalId, new WeChatCallbacks(token, aesKey, appId));
  }

  /** One client: distinct encrypted text messages, one at a time, until the server stops answering. */
  private static void sendUntilRefused(Client client, Account account, AtomicLong ids, Set<Long> acknowledged) {
    while (true) {
      long id = ids.incrementAndGet();
      long now = System.currentTimeMillis() / 1000;
      String xml = WeChatCallbacks.textMessage(account.originalId, "oKill" + (id % 100), now, id, "咨询编号" + id);
      WeChatCallbacks.Delivery delivery = account.wechat.encrypted(xml, now, false);
      Client.Response response;
      try {
        response = client.raw("POST", "/wechat/callback/" + account.id + "?" + delivery.query(), null, "text/xml",
          delivery.body().getBytes(StandardCharsets.UTF_8));
      } catch (RuntimeException killed) {
        return;
      }
      if (response.status() == 200) {
        acknowledged.add(id);
      }
    }
  }

  /** How many times each callback's message id appears in the citizen cases (its text is "咨询编号<id>"). */
  private static Map<Long, Integer> messagesInCases(Client client, String admin) {
    Map<Long, Integer> found = new java.util.HashMap<>();
    String cursor = "";
    do {
      Client.Response page = client.get("/api/v1/cases?limit=100&cursor=" + cursor, admin);
      assertEquals(200, page.status(), page.toString());
      for (Object item : page.items()) {
        Client.Response one = client.get("/api/v1/cases/" + ((JsonObject) item).getString("id"), admin);
        assertEquals(200, one.status(), one.toString());
        one.json().getJsonArray("messages").forEach(m -> {
          String text = ((JsonObject) m).getString("text");
          if (text.startsWith("咨询编号")) {
            found.merge(Long.parseLong(text.substring("咨询编号".length())), 1, Integer::sum);
          }
        });
      }
      cursor = page.json().getString("next");
    } while (cursor != null);
    return found;
  }

  private static Set<Long> listed(Client client, String admin, String accountId) {
    Set<Long> msgIds = new HashSet<>();
    String cursor = "";
    do {
      Client.Response page = client.get("/api/v1/wechat/" + accountId + "/messages?limit=200&cursor=" + cursor, admin);
      assertEquals(200, page.status(), page.toString());
      List<JsonObject> items = new ArrayList<>();
      page.items().forEach(item -> items.add((JsonObject) item));
      items.forEach(item -> msgIds.add(Long.parseLong(item.getString("msgId"))));
      cursor = page.json().getString("next");
    } while (cursor != null);
    return msgIds;
  }
}
