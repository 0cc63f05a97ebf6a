package io.govmedia.support;

import io.govmedia.Main;
import io.govmedia.fakes.FakeWeChat;
import io.govmedia.fakes.FakeWeibo;
import io.govmedia.platform.Config;
import io.govmedia.platform.EmbeddedMongo;
import io.govmedia.platform.EmbeddedRedis;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The real server on the embedded stores, started once per test JVM and shared by every test class, so the
 * suite stays fast. Tests that need a server of their own (restarts, Redis outages) start one with
 * {@link #startAnother(Map)} against the same stores.
 */
public final class TestServer {

  public static final String ADMIN_PASSWORD = "Admin-Passw0rd-for-tests";
  /** The office's public origin in tests; its host is the safe domain the fake Weibo accepts links on. */
  public static final String PUBLIC_HOST = "media.example.gov.cn";

  private static TestServer shared;

  private final Path dataDir;
  private final EmbeddedMongo mongo;
  private final EmbeddedRedis redis;
  private final FakeWeChat wechat;
  private final FakeWeibo weibo;
  private final Main.Running running;
  private final Client client;

  private TestServer() {
    try {
      dataDir = Files.createTempDirectory("govmedia-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    mongo = EmbeddedMongo.start(dataDir);
    redis = EmbeddedRedis.start();
    wechat = FakeWeChat.start();
    weibo = FakeWeibo.start(PUBLIC_HOST);
    running = Main.start(config(Map.of()));
    client = new Client(running.port());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      running.close();
      redis.close();
      mongo.close();
      wechat.close();
      weibo.close();
    }));
  }

  public static synchronized TestServer get() {
    if (shared == null) {
      shared = new TestServer();
    }
    return shared;
  }

  /** The shared server's handle, e.g. for {@link Main.Running#router()}. */
  public Main.Running running() {
    return running;
  }

  /** The fake WeChat API every server started here talks to. */
  public FakeWeChat wechat() {
    return wechat;
  }

  /** The fake Weibo API every server started here talks to. */
  public FakeWeibo weibo() {
    return weibo;
  }

  public Client client() {
    return client;
  }

  public String mongoUri() {
    return mongo.uri();
  }

  public String redisUri() {
    return redis.uri();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The configuration of the shared server, with extra environment on top. */
  public Config config(Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>();
    env.put("GOVMEDIA_HTTP_HOST", "127.0.0.1");
    env.put("GOVMEDIA_HTTP_PORT", String.valueOf(freePort()));
    env.put("GOVMEDIA_HTTP_INSTANCES", "2");
    env.put("GOVMEDIA_DATA_DIR", dataDir.toString());
    env.put("GOVMEDIA_MONGO_URI", mongo.uri());
    env.put("GOVMEDIA_MONGO_DATABASE", "govmedia_test");
    env.put("GOVMEDIA_REDIS_URI", redis.uri());
    env.put("GOVMEDIA_ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("GOVMEDIA_WECHAT_API_BASE", wechat.baseUrl());
    env.put("GOVMEDIA_WEIBO_API_BASE", weibo.baseUrl());
    env.put("GOVMEDIA_PUBLIC_BASE_URL", "https://" + PUBLIC_HOST);
    env.put("GOVMEDIA_METRICS_PORT", "0");  // several servers run in this JVM: each its own free port
    // The inbox's pollers would take the comments a poller test puts in the fakes: tests run their own rounds.
    env.put("GOVMEDIA_INBOX_POLL_SECONDS", "86400");
    env.putAll(extraEnv);
    return Config.from(new JsonObject(), env);
  }

  /** Another instance on the same stores unless {@code extraEnv} says otherwise; the caller closes it. */
  public Main.Running startAnother(Map<String, String> extraEnv) {
    return Main.start(config(extraEnv));
  }

  /** Another instance whose time the test moves. */
  public Main.Running startAnother(Map<String, String> extraEnv, java.time.Clock clock) {
    return Main.start(config(extraEnv), clock);
  }

  /**
   * A port free now and never handed out before in this JVM: a port handed out is only bound later, so the kernel
   * may offer it again meanwhile, and two listeners on one port of one Vert.x share it (a request to one answered
   * by the other).
   */
  public static int freePort() {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0)) {
        if (HANDED_OUT.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();
}
