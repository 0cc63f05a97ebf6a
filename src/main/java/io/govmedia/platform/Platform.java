package io.govmedia.platform;

import com.mongodb.reactivestreams.client.MongoDatabase;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;

import java.time.Clock;

/** What every feature is built on: configuration, the clock, Vert.x, the stores, sealing and the audit log. */
public record Platform(Config config, Clock clock, Vertx vertx, MongoDatabase db, Redis redis, Secrets secrets,
                       AuditLog audit, PrometheusMeterRegistry metrics) {
}
