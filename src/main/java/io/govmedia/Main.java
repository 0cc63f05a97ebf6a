package io.govmedia;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.accounts.AccountsFeature;
import io.govmedia.auth.AuthFeature;
import io.govmedia.checks.ChecksFeature;
import io.govmedia.citizen.CitizenFeature;
import io.govmedia.console.ConsoleFeature;
import io.govmedia.content.ContentFeature;
import io.govmedia.events.EventsFeature;
import io.govmedia.inbox.InboxFeature;
import io.govmedia.publishing.PublishingFeature;
import io.govmedia.weibo.WeiboFeature;
import io.govmedia.media.MediaFeature;
import io.govmedia.search.SearchFeature;
import io.govmedia.wechat.WeChatFeature;
import io.govmedia.workdays.WorkdaysFeature;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.govmedia.platform.Config;
import io.govmedia.platform.EmbeddedStores;
import io.govmedia.platform.MetricsListener;
import io.govmedia.platform.HttpVerticle;
import io.govmedia.platform.Readiness;
import io.govmedia.platform.Redis;
import io.govmedia.platform.Secrets;
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
    private List<Feature> features = List.of();

    public int port() {
      return port;
    }

    /** The server's Vert.x, e.g. to listen on its event bus. */
    public Vertx vertx() {
      return vertx;
    }

    /** The running feature of that type, e.g. for a test that calls what the feature exposes to others. */
    public <T extends Feature> T feature(Class<T> type) {
      return features.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
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
      Platform platform = platform(config, clock, running);
      AuthFeature auth = new AuthFeature(platform);
      AccountsFeature accounts = new AccountsFeature(platform, auth);
      WeChatFeature wechat = new WeChatFeature(platform, accounts);
      ChecksFeature checks = new ChecksFeature(platform);
      SearchFeature search = new SearchFeature(platform, auth);
      MediaFeature media = new MediaFeature(platform, auth);
      EventsFeature events = new EventsFeature(platform, auth);
      WorkdaysFeature workdays = new WorkdaysFeature(platform, auth, events);
      ContentFeature content = new ContentFeature(platform, auth, checks, search, media, workdays);
      WeiboFeature weibo = new WeiboFeature(platform, accounts, events);
      PublishingFeature publishing = new PublishingFeature(platform, auth, accounts, content, wechat, weibo, events,
        media);
      // Mounted in this order: publishing before accounts, because GET /api/v1/accounts/inspection must be matched
      // before the accounts sub-router takes "inspection" for an account id (and its slots before the posts' routes).
      InboxFeature inbox = new InboxFeature(platform, auth, accounts, wechat, weibo, events, workdays, search, content,
        checks);
      CitizenFeature citizen = new CitizenFeature(platform, auth, accounts, wechat, checks, search, media, content,
        events, workdays, publishing, inbox);
      ConsoleFeature console = new ConsoleFeature(platform);
      List<Feature> features = List.of(auth, publishing, accounts, wechat, checks, search, media, content, events,
        weibo, workdays, inbox, citizen, console);

      running.started.addAll(features);
      running.features = features;
      Future.all(features.stream().map(Feature::start).toList()).await(60, TimeUnit.SECONDS);
      features.forEach(feature -> feature.periodic().forEach(job -> schedule(platform.vertx(), job)));
      Api api = new Api(config.http(), Readiness.handler(platform.vertx(), platform.db(), platform.redis()),
        config.metrics().onMainPort() ? platform.metrics() : null, openApi(), auth.bearer(), features);
      running.api = api;
      running.vertx = platform.vertx();
      running.port = serve(platform.vertx(), config, api);
      return running;
    } catch (java.util.concurrent.TimeoutException e) {
      running.close();
      throw new IllegalStateException("start-up timed out", e);
    } catch (Exception e) {
      // Future.await rethrows a failure as it is, checked ones too (a BindException for a port in use): unless
      // caught here too, nothing is closed and the non-daemon threads and redis-server keep the process alive.
      running.close();
      throw e instanceof RuntimeException unchecked ? unchecked : new IllegalStateException("start-up failed: " + e, e);
    }
  }

  /** The stores (embedded ones started when no URI is set), Vert.x with its metrics, sealing and the audit log. */
  private static Platform platform(Config config, Clock clock, Running running) throws java.util.concurrent.TimeoutException {
    // The embedded stores take most of a start: they start while Vert.x and the metrics are built.
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
    // /metrics tells too much for the internet: on the main port only with metrics.public, else on a listener of its own.
    if (!config.metrics().onMainPort()) {
      running.started.add(MetricsListener.start(vertx, config.metrics(), metrics).await(30, TimeUnit.SECONDS));
    }
    EmbeddedStores stores = starting.join();

    MongoClient mongoClient = MongoClients.create(MongoClientSettings.builder()
      .applyConnectionString(new ConnectionString(stores.mongoUri()))
      .applyToClusterSettings(b -> b.serverSelectionTimeout(5, TimeUnit.SECONDS))
      .applyToSocketSettings(b -> b.connectTimeout(3, TimeUnit.SECONDS))
      // Every operation gives up after 10 s, so that a hung MongoDB fails requests instead of holding them.
      .timeout(10, TimeUnit.SECONDS)
      .build());
    running.started.add(mongoClient::close);
    MongoDatabase db = mongoClient.getDatabase(config.mongo().database());
    // Lettuce takes about a second to connect; the sealing key is checked meanwhile.
    CompletableFuture<Redis> connecting = CompletableFuture.supplyAsync(() -> Redis.connect(stores.redisUri()),
      task -> new Thread(task, "redis-connect").start());
    running.started.add(() -> connecting.thenAccept(Redis::close));

    Secrets secrets = Secrets.fromConfig(config.security().masterKey(), config.dataDir());
    secrets.checkAgainst(db).await(30, TimeUnit.SECONDS);
    AuditLog audit = new AuditLog(db, secrets.derive("audit-chain"), clock);
    return new Platform(config, clock, vertx, db, connecting.join(), secrets, audit, metrics);
  }

  private static void schedule(Vertx vertx, Feature.Periodic job) {
    vertx.setPeriodic(job.every().toMillis(), tick -> job.run().get()
      .onFailure(failure -> log.warn("periodic job '{}' failed; it runs again in {}", job.name(), job.every(), failure)));
  }

  /** One HTTP verticle per event loop on the same port; answers the port actually bound. */
  private static int serve(Vertx vertx, Config config, Api api) throws java.util.concurrent.TimeoutException {
    List<HttpVerticle> servers = new ArrayList<>();
    vertx.deployVerticle(() -> {
      HttpVerticle server = new HttpVerticle(config.http(), api::router);
      synchronized (servers) {
        servers.add(server);
      }
      return server;
    }, new DeploymentOptions().setInstances(config.httpInstances())).await(30, TimeUnit.SECONDS);
    return servers.get(0).actualPort();
  }

  private static Buffer openApi() {
    try (InputStream in = Main.class.getResourceAsStream("/openapi.yaml")) {
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("openapi.yaml missing from the classpath", e);
    }
  }
}
