package io.govmedia.bench;

import io.vertx.core.Vertx;

/**
 * scripts/bench-startup's yardstick: the least a Vert.x server on govmedia's classpath does before it answers,
 * one HTTP server answering 200 to every request. Usage: BareVertxServer port
 */
public final class BareVertxServer {

  private BareVertxServer() {
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    vertx.createHttpServer().requestHandler(request -> request.response().end("ok"))
      .listen(Integer.parseInt(args[0]), "127.0.0.1").await();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await()));
  }
}
