package io.govmedia.platform;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The stores the configuration leaves to us: the embedded MongoDB when no {@code mongo.uri} is set, the embedded
 * Redis when no {@code redis.uri} is. They start side by side, since each spends most of its start waiting
 * (H2 opening its file, redis-server's process starting).
 */
public final class EmbeddedStores implements AutoCloseable {

  private final Config config;
  private final Optional<EmbeddedMongo> mongo;
  private final Optional<EmbeddedRedis> redis;

  private EmbeddedStores(Config config, Optional<EmbeddedMongo> mongo, Optional<EmbeddedRedis> redis) {
    this.config = config;
    this.mongo = mongo;
    this.redis = redis;
  }

  /** Starts what is embedded and returns once both accept connections; on a failure nothing is left running. */
  public static EmbeddedStores start(Config config) {
    CompletableFuture<Optional<EmbeddedRedis>> redis = CompletableFuture.supplyAsync(() ->
      config.redis().embedded() ? Optional.of(EmbeddedRedis.start()) : Optional.empty(), thread("embedded-redis-start"));
    Optional<EmbeddedMongo> mongo;
    try {
      mongo = config.mongo().embedded()
        ? Optional.of(EmbeddedMongo.start(config.dataDir(), config.mongo().embeddedSync())) : Optional.empty();
    } catch (RuntimeException e) {
      redis.thenAccept(started -> started.ifPresent(EmbeddedRedis::close));
      throw e;
    }
    try {
      EmbeddedStores stores = new EmbeddedStores(config, mongo, redis.join());
      stores.describe();
      return stores;
    } catch (CompletionException e) {
      mongo.ifPresent(EmbeddedMongo::close);
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  /** As {@link #start}, on another thread, so that the caller can prepare the rest meanwhile. */
  public static CompletableFuture<EmbeddedStores> startInBackground(Config config) {
    return CompletableFuture.supplyAsync(() -> start(config), thread("embedded-stores-start"));
  }

  /** A thread of its own: the common pool has a single thread on two cores, and these tasks wait. */
  private static Executor thread(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      thread.start();
    };
  }

  public String mongoUri() {
    return mongo.map(EmbeddedMongo::uri).orElseGet(() -> config.mongo().uri().orElseThrow());
  }

  public String redisUri() {
    return redis.map(EmbeddedRedis::uri).orElseGet(() -> config.redis().uri().orElseThrow());
  }

  private void describe() {
    mongo.ifPresent(m -> System.out.println("govmedia: embedded MongoDB at " + m.uri() + ", file "
      + config.dataDir().resolve("mongo.mv") + (config.mongo().embeddedSync() ? " (fsync on every commit)" : "")
      + "; it ignores non-unique indexes (queries scan)"));
    redis.ifPresent(r -> System.out.println("govmedia: embedded Redis at " + r.uri()));
  }

  /** Stops Redis, then MongoDB (closing, and so flushing, its file). */
  @Override
  public void close() {
    redis.ifPresent(EmbeddedRedis::close);
    mongo.ifPresent(EmbeddedMongo::close);
  }
}
