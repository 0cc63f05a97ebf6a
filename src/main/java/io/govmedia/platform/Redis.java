package io.govmedia.platform;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One Lettuce connection shared by every verticle (Lettuce pipelines commands from many threads on it),
 * with its replies bridged to futures on the caller's context. While Redis is away commands fail fast
 * instead of queueing, and the connection reconnects by itself.
 */
public final class Redis implements AutoCloseable {

  public static final String PREFIX = "govmedia:";

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  private Redis(RedisClient client, StatefulRedisConnection<String, String> connection) {
    this.client = client;
    this.connection = connection;
  }

  /** Blocking: call at start, before the event loops serve anything. */
  public static Redis connect(String uri) {
    // Reconnect attempts back off to at most 2 s, so the server is back within seconds of Redis returning.
    ClientResources resources = DefaultClientResources.builder()
      .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
      .build();
    RedisClient client = RedisClient.create(resources, RedisURI.create(uri));
    client.setOptions(ClientOptions.builder()
      .autoReconnect(true)
      .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
      .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
      .build());
    return new Redis(client, client.connect());
  }

  public RedisAsyncCommands<String, String> commands() {
    return connection.async();
  }

  /** Blocking commands on the same connection, for code that runs on worker threads only (WxJava's token store). */
  public RedisCommands<String, String> sync() {
    return connection.sync();
  }

  /** The Lettuce reply as a future completed on the calling Vert.x context. */
  public static <T> Future<T> await(CompletionStage<T> reply) {
    var context = Vertx.currentContext();
    return context == null ? Future.fromCompletionStage(reply) : Future.fromCompletionStage(reply, context);
  }

  public Future<String> ping() {
    return await(commands().ping());
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    client.getResources().shutdown(0, 2, TimeUnit.SECONDS);
  }
}
