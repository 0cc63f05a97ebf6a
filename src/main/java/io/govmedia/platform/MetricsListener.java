package io.govmedia.platform;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.concurrent.TimeUnit;

/**
 * {@code /metrics} on a listener of its own, on loopback unless configured otherwise: the metrics name routes,
 * accounts' traffic and the JVM's state, which are for the operator's Prometheus, not for anyone who can reach
 * the public port.
 */
public final class MetricsListener implements AutoCloseable {

  private final HttpServer server;

  private MetricsListener(HttpServer server) {
    this.server = server;
  }

  /** Listens on {@code metrics.host:metrics.port}; prints where, since port 0 picks any free port. */
  public static Future<MetricsListener> start(Vertx vertx, Config.Metrics config, PrometheusMeterRegistry registry) {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    return vertx.createHttpServer().requestHandler(router).listen(config.port(), config.host()).map(server -> {
      System.out.println("govmedia: metrics on http://" + config.host() + ":" + server.actualPort() + "/metrics");
      return new MetricsListener(server);
    });
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
  }
}
