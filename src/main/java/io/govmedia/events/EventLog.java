package io.govmedia.events;

import io.govmedia.platform.Redis;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;

import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Every instance's events in one Redis stream, {@code govmedia:events} (the last ten thousand or so, for clients that
 * reconnect), announced on the pub/sub channel of the same name to every instance.
 */
final class EventLog {

  static final String KEY = Redis.PREFIX + "events";
  static final int KEEP = 10_000;
  private static final Pattern TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*(\\.[A-Za-z][A-Za-z0-9_-]*)*");

  /**
   * Appending and announcing in one script, which Redis runs atomically: the channel then carries the events in
   * stream-id order whichever instance added them, so a client that saw id N has seen every id before N. Added and
   * announced separately, two instances could announce out of order and a client resuming after the later one
   * would miss the earlier.
   */
  private static final String APPEND = """
    local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'type', ARGV[2], 'data', ARGV[3], 'audience', ARGV[4])
    redis.call('PUBLISH', KEYS[1], id .. '\\n' .. ARGV[2] .. '\\n' .. ARGV[4] .. '\\n' .. ARGV[3])
    return id
    """;

  private final Redis redis;

  EventLog(Redis redis) {
    this.redis = redis;
  }

  /** Adds the event to the stream and announces it; answers its stream id. */
  Future<String> append(Event event) {
    if (event.type() == null || !TYPE.matcher(event.type()).matches() || event.data() == null) {
      // The type is a line of the message and of the server-sent event: a line break would forge another field.
      return Future.failedFuture(new IllegalArgumentException("an event needs a dotted type and data: " + event.type()));
    }
    return Redis.await(redis.commands().<String>eval(APPEND, ScriptOutputType.VALUE, new String[] {KEY},
      String.valueOf(KEEP), event.type(), event.data().encode(), Entry.encode(event.audience())));
  }

  /** Up to {@code count} entries after {@code id} (exclusive), oldest first. */
  Future<List<Entry>> after(String id, int count) {
    return Redis.await(redis.commands().xrange(KEY,
        Range.from(Range.Boundary.excluding(id), Range.Boundary.unbounded()), Limit.from(count)))
      .map(messages -> messages.stream().map(Entry::of).toList());
  }

  /** The oldest id the stream still keeps; null when it is empty. */
  Future<String> oldestId() {
    return Redis.await(redis.commands().xrange(KEY, Range.unbounded(), Limit.from(1)))
      .map(messages -> messages.isEmpty() ? null : messages.get(0).getId());
  }

  /**
   * Hands every announced entry to {@code onEntry} on Lettuce's thread, in stream order. {@code onSubscribed} runs
   * after every (re)subscription: entries announced while the connection was down were never received.
   */
  Future<AutoCloseable> subscribe(Consumer<Entry> onEntry, Runnable onSubscribed) {
    return redis.subscribe(KEY, message -> onEntry.accept(Entry.ofMessage(message)), onSubscribed);
  }
}
