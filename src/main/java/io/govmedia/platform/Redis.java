package io.govmedia.platform;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One Lettuce connection shared by every verticle (Lettuce pipelines commands from many threads on it),
 * with its replies bridged to futures on the caller's context. While Redis is away commands fail fast
 * instead of queueing, and the connection reconnects by itself.
 */
public final class Redis implements AutoCloseable {

  public static final String PREFIX = "govmedia:";

  private final RedisClient client;
  private final RedisURI uri;
  private final StatefulRedisConnection<String, String> connection;

  private Redis(RedisClient client, RedisURI uri, StatefulRedisConnection<String, String> connection) {
    this.client = client;
    this.uri = uri;
    this.connection = connection;
  }

  /** Blocking: call at start, before the event loops serve anything. */
  public static Redis connect(String uri) {
    // Reconnect attempts back off to at most 2 s, so the server is back within seconds of Redis returning.
    ClientResources resources = DefaultClientResources.builder()
      .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
      .build();
    RedisURI redisUri = RedisURI.create(uri);
    RedisClient client = RedisClient.create(resources, redisUri);
    client.setOptions(ClientOptions.builder()
      .autoReconnect(true)
      .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
      .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
      .build());
    return new Redis(client, redisUri, client.connect());
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

  /**
   * Listens to a channel on a connection of its own (a subscribed connection can do nothing else); closing the
   * answer stops listening. Lettuce subscribes again after a reconnect, and {@code onSubscribed} runs after every
   * subscription, the first included, so that a listener can catch up on what was published while it was away.
   * Both callbacks run on Lettuce's threads.
   */
  public Future<AutoCloseable> subscribe(String channel, Consumer<String> onMessage, Runnable onSubscribed) {
    return await(client.connectPubSubAsync(StringCodec.UTF8, uri).thenCompose(pubSub -> {
      pubSub.addListener(new RedisPubSubAdapter<>() {
        @Override
        public void message(String from, String message) {
          if (channel.equals(from)) {
            onMessage.accept(message);
          }
        }

        @Override
        public void subscribed(String to, long count) {
          if (channel.equals(to)) {
            onSubscribed.run();
          }
        }
      });
      return pubSub.async().subscribe(channel).thenApply(ok -> (AutoCloseable) pubSub::close);
    }));
  }

  /** Publishes on a channel; answers how many subscribers (on every instance) received it. */
  public Future<Long> publish(String channel, String message) {
    return await(commands().publish(channel, message));
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
