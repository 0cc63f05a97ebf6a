package io.govmedia;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.accounts.AccountAccess;
import io.govmedia.accounts.AccountRoutes;
import io.govmedia.accounts.AccountStore;
import io.govmedia.auth.AuditRoutes;
import io.govmedia.auth.AuthRoutes;
import io.govmedia.auth.BearerAuth;
import io.govmedia.auth.DepartmentRoutes;
import io.govmedia.auth.DepartmentStore;
import io.govmedia.auth.FirstAdmin;
import io.govmedia.auth.Passwords;
import io.govmedia.auth.Sessions;
import io.govmedia.auth.StaffRoutes;
import io.govmedia.auth.StaffStore;
import io.govmedia.media.AssetImages;
import io.govmedia.media.AssetRoutes;
import io.govmedia.media.AssetStore;
import io.govmedia.checks.CheckListRoutes;
import io.govmedia.checks.CheckListStore;
import io.govmedia.checks.ContentChecks;
import io.govmedia.content.ContentRoutes;
import io.govmedia.content.ItemStore;
import io.govmedia.media.MediaRoutes;
import io.govmedia.search.SearchIndex;
import io.govmedia.search.SearchRoutes;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Config;
import io.govmedia.platform.EmbeddedStores;
import io.govmedia.platform.MetricsListener;
import io.govmedia.platform.HttpVerticle;
import io.govmedia.platform.Readiness;
import io.govmedia.platform.Redis;
import io.govmedia.platform.Secrets;
import io.govmedia.wechat.AutoReplies;
import io.govmedia.wechat.AutoReplyRoutes;
import io.govmedia.wechat.AutoReplyStore;
import io.govmedia.wechat.CallbackRoutes;
import io.govmedia.wechat.FollowerProfiles;
import io.govmedia.wechat.FollowerRoutes;
import io.govmedia.wechat.FollowerStore;
import io.govmedia.wechat.MessageRoutes;
import io.govmedia.wechat.MenuRoutes;
import io.govmedia.wechat.MenuStore;
import io.govmedia.wechat.MessageStore;
import io.govmedia.wechat.WeChatGateway;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Wires the server in order: config, stores, features, HTTP. Nothing else. */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  /** A started server; {@link #close()} stops it and everything it started, in reverse order. */
  public static final class Running implements AutoCloseable {
    private final List<AutoCloseable> started = new ArrayList<>();
    private int port;
    private Vertx vertx;
    private Api api;

    public int port() {
      return port;
    }

    /** The server's Vert.x, e.g. to listen on its event bus. */
    public Vertx vertx() {
      return vertx;
    }

    /** A fresh root router like the ones serving requests, for tools that inspect what is mounted. */
    public Router router() {
      return api.router(vertx);
    }

    @Override
    public synchronized void close() {
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (Exception e) {
          log.warn("error while stopping {}", started.get(i).getClass().getSimpleName(), e);
        }
      }
      started.clear();
    }
  }

  public static void main(String[] args) {
    Config config;
    try {
      config = Config.load(System.getenv());
    } catch (Config.ConfigException e) {
      System.err.println("govmedia: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      Running running = start(config);
      Runtime.getRuntime().addShutdownHook(new Thread(running::close, "govmedia-shutdown"));
      System.out.println("govmedia: listening on http://" + config.http().host() + ":" + running.port()
        + " (ready: /ready, API: /api/v1, OpenAPI: /api/openapi.yaml)");
    } catch (Config.ConfigException e) {
      System.err.println("govmedia: configuration error: " + e.getMessage());
      System.exit(2);
    } catch (RuntimeException e) {
      log.error("govmedia failed to start", e);
      System.exit(1);
    }
  }

  /** Starts everything; blocks the calling thread (never an event loop) until the server listens. */
  public static Running start(Config config) {
    // MongoDB keeps milliseconds: a finer clock would answer differently before and after a reload.
    return start(config, Clock.tick(Clock.systemUTC(), java.time.Duration.ofMillis(1)));
  }

  /** As {@link #start(Config)}, on the given clock (tests move time forward to reach deadlines). */
  public static Running start(Config config, Clock clock) {
    Running running = new Running();
    try {
      // Issue 7 (start time): the embedded stores start while Vert.x and the metrics are built.
      CompletableFuture<EmbeddedStores> starting = EmbeddedStores.startInBackground(config);
      running.started.add(() -> starting.thenAccept(EmbeddedStores::close));
      PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      new JvmMemoryMetrics().bindTo(metrics);
      new JvmGcMetrics().bindTo(metrics);
      new JvmThreadMetrics().bindTo(metrics);
      Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
          .setEnabled(true)
          .addLabels(Label.HTTP_ROUTE)
          .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))))
        .withMetrics(new MicrometerMetricsFactory(metrics))
        .build();
      running.started.add(() -> vertx.close().await(10, TimeUnit.SECONDS));
      // Issue 7 (8d): /metrics is served on the main port only with metrics.public, else on a listener of its own.
      if (!config.metrics().onMainPort()) {
        running.started.add(MetricsListener.start(vertx, config.metrics(), metrics).await(30, TimeUnit.SECONDS));
      }
      EmbeddedStores stores = starting.join();
      String mongoUri = stores.mongoUri();
      String redisUri = stores.redisUri();

      MongoClient mongoClient = MongoClients.create(MongoClientSettings.builder()
        .applyConnectionString(new ConnectionString(mongoUri))
        .applyToClusterSettings(b -> b.serverSelectionTimeout(5, TimeUnit.SECONDS))
        .applyToSocketSettings(b -> b.connectTimeout(3, TimeUnit.SECONDS))
        // Every operation gives up after 10 s, so that a hung MongoDB fails requests instead of holding them.
        .timeout(10, TimeUnit.SECONDS)
        .build());
      running.started.add(mongoClient::close);
      MongoDatabase db = mongoClient.getDatabase(config.mongo().database());
      // Issue 7 (start time): Lettuce takes about a second to connect; the MongoDB side is prepared meanwhile.
      CompletableFuture<Redis> connecting = CompletableFuture.supplyAsync(() -> Redis.connect(redisUri),
        task -> new Thread(task, "redis-connect").start());
      running.started.add(() -> connecting.thenAccept(Redis::close));

      Secrets secrets = Secrets.fromConfig(config.security().masterKey(), config.dataDir());
      secrets.checkAgainst(db).await(30, TimeUnit.SECONDS);
      AuditLog audit = new AuditLog(db, secrets.derive("audit-chain"), clock);
      DepartmentStore departments = new DepartmentStore(db);
      StaffStore staff = new StaffStore(db);
      AccountStore accounts = new AccountStore(db, secrets);
      AccountAccess access = new AccountAccess(accounts, departments);
      Passwords passwords = new Passwords(vertx);
      Sessions sessions = new Sessions(vertx, db, staff, secrets.derive("access-token-signing"), clock,
        config.security().accessTokenTtl(), config.security().refreshTokenTtl());

      MessageStore messages = new MessageStore(db);
      Redis redis = connecting.join();
      WeChatGateway wechat = new WeChatGateway(vertx, config.wechat(), redis, accounts);
      running.started.add(wechat);
      FollowerStore followers = new FollowerStore(db, new FollowerProfiles(wechat, accounts, clock));
      MenuStore menus = new MenuStore(db);
      AutoReplyStore autoReplyStore = new AutoReplyStore(db);
      AutoReplies autoReplies = new AutoReplies(autoReplyStore);
      CheckListStore checkLists = new CheckListStore(db);
      SearchIndex search = new SearchIndex(vertx, db, redis);
      running.started.add(search);
      ItemStore contentItems = new ItemStore(db);
      AssetStore assets = new AssetStore(db);
      AssetImages assetImages = new AssetImages(vertx);
      running.started.add(assetImages);
      Future.all(List.of(departments.createIndexes(), staff.createIndexes(), accounts.createIndexes(),
        messages.createIndexes(), autoReplyStore.createIndexes(), followers.createIndexes(),
        checkLists.createIndexes(), search.createIndexes(), assets.createIndexes())).await(30, TimeUnit.SECONDS);
      assets.sweepAbandoned(clock.instant()).await(60, TimeUnit.SECONDS);
      vertx.setPeriodic(TimeUnit.HOURS.toMillis(1), tick -> assets.sweepAbandoned(clock.instant()));
      vertx.setPeriodic(TimeUnit.HOURS.toMillis(1), tick -> sessions.purge(clock.instant()));
      search.start().await(30, TimeUnit.SECONDS);
      ContentChecks contentChecks = new ContentChecks(vertx, checkLists, redis);
      running.started.add(contentChecks);
      contentChecks.start().await(30, TimeUnit.SECONDS);
      FirstAdmin.ensure(staff, passwords, audit, clock, config.security().adminPassword()).await(30, TimeUnit.SECONDS);

      Api api = new Api(config.http().bodyLimitBytes(), config.http().trustForwardedFor(), Readiness.handler(vertx, db, redis),
        config.metrics().onMainPort() ? metrics : null, openApi(),
        new BearerAuth(sessions),
        new AuthRoutes(staff, sessions, passwords, redis, config.security().loginMaxFailures(),
          config.security().loginWindow(), audit, clock),
        new DepartmentRoutes(departments, audit, clock),
        new StaffRoutes(staff, departments, accounts::existing, sessions, passwords, audit, clock),
        new AccountRoutes(accounts, departments, access, audit, clock),
        new AuditRoutes(audit),
        new CallbackRoutes(vertx, redis, accounts, messages, autoReplies, followers, clock, metrics),
        new MessageRoutes(messages, access),
        new AutoReplyRoutes(autoReplyStore, autoReplies, access, audit, clock),
        new MenuRoutes(menus, wechat, access, audit, clock),
        new FollowerRoutes(followers, access),
        new CheckListRoutes(checkLists, contentChecks, audit, clock),
        new SearchRoutes(search),
        new ContentRoutes(contentItems, departments, contentChecks, search, assets::types, audit, clock,
          config.content().reviewStages()),
        new AssetRoutes(assets, assetImages, departments, contentItems::referencing, audit, clock),
        new MediaRoutes(assets));
      List<HttpVerticle> servers = new ArrayList<>();
      vertx.deployVerticle(() -> {
        HttpVerticle server = new HttpVerticle(config.http(), api::router);
        synchronized (servers) {
          servers.add(server);
        }
        return server;
      }, new DeploymentOptions().setInstances(config.httpInstances())).await(30, TimeUnit.SECONDS);
      running.port = servers.get(0).actualPort();
      running.vertx = vertx;
      running.api = api;
      return running;
    } catch (java.util.concurrent.TimeoutException e) {
      running.close();
      throw new IllegalStateException("start-up timed out", e);
    } catch (RuntimeException e) {
      running.close();
      throw e;
    }
  }

  private static Buffer openApi() {
    try (InputStream in = Main.class.getResourceAsStream("/openapi.yaml")) {
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("openapi.yaml missing from the classpath", e);
    }
  }
}
