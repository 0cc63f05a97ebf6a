package io.govmedia.platform;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import java.util.function.Function;

/** One HTTP server per event loop, all on the same port; Vert.x spreads connections over them. */
public final class HttpVerticle extends VerticleBase {

  private final Config.Http config;
  private final Function<io.vertx.core.Vertx, Router> router;
  private HttpServer server;

  public HttpVerticle(Config.Http config, Function<io.vertx.core.Vertx, Router> router) {
    this.config = config;
    this.router = router;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(new HttpServerOptions()
      .setHost(config.host())
      .setPort(config.port())
      .setCompressionSupported(true)
      .setMaxInitialLineLength(8192)
      .setMaxHeaderSize(16384));
    return server.requestHandler(router.apply(vertx)).listen();
  }

  public int actualPort() {
    return server.actualPort();
  }
}
