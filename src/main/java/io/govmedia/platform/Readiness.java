package io.govmedia.platform;

import com.mongodb.reactivestreams.client.MongoDatabase;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import org.bson.Document;

/**
 * {@code GET /ready}: 200 when MongoDB and Redis both answer, else 503 naming the one that does not.
 * {@code GET /health} only says the process serves HTTP.
 */
public final class Readiness {

  private static final long TIMEOUT_MS = 2000;

  private Readiness() {
  }

  public static HealthCheckHandler handler(Vertx vertx, MongoDatabase db, Redis redis) {
    HealthChecks checks = HealthChecks.create(vertx)
      .register("mongodb", TIMEOUT_MS, promise -> Mongo.first(db.runCommand(new Document("ping", 1)))
        .onSuccess(ok -> promise.complete(Status.OK()))
        .onFailure(failure -> promise.complete(Status.KO())))
      .register("redis", TIMEOUT_MS, promise -> redis.ping()
        .onSuccess(ok -> promise.complete(Status.OK()))
        .onFailure(failure -> promise.complete(Status.KO())));
    return HealthCheckHandler.createWithHealthChecks(checks);
  }
}
