package io.govmedia.citizen;

import io.govmedia.platform.Redis;
import io.lettuce.core.KeyValue;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The mini-program's read answers (feed pages, article details, search answers) kept in Redis, each with its ETag.
 * One generation counter in Redis stands for "everything citizens read as of now": publishing, withdrawing or
 * editing anything citizens see increments it ({@link #invalidate}). An entry is stored with the generation read
 * before it was computed, and a read fetches the entry and the current generation in one {@code MGET}: an entry of
 * an older generation is a miss. So an invalidation on any instance holds on every instance from the next request
 * on, with no pub/sub delay and no extra round trip (the one read is the cache read itself).
 *
 * <p>Entries expire after {@link #TTL} (or earlier, when the caller says its answer goes stale sooner: a document
 * that expires at a given time), so the cache never grows without bound. Each instance also keeps a copy of what it
 * read for a minute: then a request reads only the generation ({@code GET}, a few bytes) and answers from the copy
 * when it is still current, so the answer is not fetched again and again. Concurrent misses of one key on one
 * instance compute it once. When Redis fails, the answer is computed and served uncached.
 */
public final class CitizenCache {

  /** How long an answer is kept when nothing invalidates it. */
  public static final Duration TTL = Duration.ofMinutes(5);
  static final String GENERATION = Redis.PREFIX + "mp:cache:generation";
  private static final String ENTRY = Redis.PREFIX + "mp:cache:entry:";
  /** How long this instance keeps a copy of an answer (each use still checks the generation in Redis). */
  static final Duration REMEMBER_HERE = Duration.ofSeconds(60);
  private static final int MAX_COPIES = 5_000;
  private static final Logger log = LoggerFactory.getLogger(CitizenCache.class);

  private final Redis redis;
  private final Map<String, Future<Answer>> computing = new ConcurrentHashMap<>();
  private final Map<String, Local> copies = new ConcurrentHashMap<>();

  private record Local(String generation, Answer answer, long until) {
  }

  CitizenCache(Redis redis) {
    this.redis = redis;
  }

  /** An answer as served: its JSON text and its strong ETag (a digest of the text). */
  public record Answer(String body, String etag) {

    static Answer of(String body) {
      return new Answer(body, "\"" + digest(body) + "\"");
    }

    /**
     * The answer with {@code extra}'s fields added at its top level (counts that change on every visit), without
     * parsing the cached text. {@code etag} is then the caller's (weak: the counts may differ between two answers
     * with the same tag).
     */
    public Answer with(JsonObject extra, String etag) {
      String more = extra.encode();
      if (more.length() <= 2) {
        return new Answer(body, etag);
      }
      String joined = body.length() <= 2 ? more : body.substring(0, body.length() - 1) + "," + more.substring(1);
      return new Answer(joined, etag);
    }
  }

  /** What a computation answers: the body, and how long it may be kept (null: {@link #TTL}). */
  public record Fresh(JsonObject body, Duration keep) {

    public Fresh(JsonObject body) {
      this(body, null);
    }
  }

  /**
   * The cached answer for {@code key}, or the one {@code compute} makes now (then stored). {@code key} names the
   * route and every parameter that changes the answer; it must not name the citizen unless the answer is theirs.
   * A failure of {@code compute} (a 404) is not cached.
   */
  public Future<Answer> get(String key, Supplier<Future<Fresh>> compute) {
    String entryKey = ENTRY + key;
    Local local = copies.get(entryKey);
    if (local != null && local.until() > System.nanoTime()) {
      // a copy here: only the generation is read, not the answer again
      return Redis.await(redis.commands().get(GENERATION)).compose(
        generation -> local.generation().equals(generation == null ? "0" : generation)
          ? Future.succeededFuture(local.answer()) : read(entryKey, compute),
        redisAway -> uncached(compute, redisAway));
    }
    return read(entryKey, compute);
  }

  private Future<Answer> read(String entryKey, Supplier<Future<Fresh>> compute) {
    return Redis.await(redis.commands().mget(GENERATION, entryKey))
      .compose(values -> {
        String generation = value(values.get(0), "0");
        String stored = value(values.get(1), null);
        Stored hit = stored == null ? null : decode(stored, generation);
        if (hit == null) {
          return computeOnce(entryKey, generation, compute);
        }
        keepHere(entryKey, generation, hit.answer(), Duration.ofMillis(hit.untilMillis() - System.currentTimeMillis()));
        return Future.succeededFuture(hit.answer());
      }, redisAway -> uncached(compute, redisAway));
  }

  private static Future<Answer> uncached(Supplier<Future<Fresh>> compute, Throwable redisAway) {
    log.debug("citizen cache unavailable; answering uncached", redisAway);
    return compute.get().map(fresh -> Answer.of(fresh.body().encode()));
  }

  /** A copy on this instance, valid while the generation it was read in is current (checked on every use). */
  private void keepHere(String entryKey, String generation, Answer answer, Duration keep) {
    if (keep.compareTo(REMEMBER_HERE) > 0) {
      keep = REMEMBER_HERE;
    }
    if (copies.size() >= MAX_COPIES) {
      copies.clear();  // crude, but bounded: at worst a round of reads from Redis
    }
    copies.put(entryKey, new Local(generation, answer, System.nanoTime() + keep.toNanos()));
  }

  /** Everything cached so far is stale, on every instance, from the next request on. */
  public Future<Void> invalidate() {
    return Redis.await(redis.commands().incr(GENERATION)).mapEmpty();
  }

  /** Concurrent misses of one entry in one generation share one computation. */
  private Future<Answer> computeOnce(String entryKey, String generation, Supplier<Future<Fresh>> compute) {
    String flight = generation + "|" + entryKey;
    Future<Answer> running = computing.get(flight);
    if (running != null) {
      return running;
    }
    Future<Answer> started = compute.get().map(fresh -> {
      Answer answer = Answer.of(fresh.body().encode());
      store(entryKey, generation, answer, fresh.keep());
      keepHere(entryKey, generation, answer, fresh.keep() == null ? TTL : fresh.keep());
      return answer;
    });
    computing.put(flight, started);
    started.onComplete(done -> computing.remove(flight, started));
    return started;
  }

  /** Stored in the background: the citizen does not wait for it, and a failed store only costs a later miss. */
  private void store(String entryKey, String generation, Answer answer, Duration keep) {
    long millis = Math.max(1, Math.min(TTL.toMillis(), keep == null ? TTL.toMillis() : keep.toMillis()));
    long until = System.currentTimeMillis() + millis;
    Redis.await(redis.commands().set(entryKey, generation + "|" + until + "|" + answer.etag() + "|" + answer.body(),
        SetArgs.Builder.px(millis)))
      .onFailure(failure -> log.debug("citizen cache entry not stored", failure));
  }

  /** An answer as stored in Redis ({@code generation|untilMillis|etag|body}), and until when it holds. */
  private record Stored(Answer answer, long untilMillis) {
  }

  /** The stored answer when it belongs to {@code generation}; null otherwise (stale, or not ours). */
  private static Stored decode(String stored, String generation) {
    int first = stored.indexOf('|');
    int second = first < 0 ? -1 : stored.indexOf('|', first + 1);
    int third = second < 0 ? -1 : stored.indexOf('|', second + 1);
    if (third < 0 || first != generation.length() || !stored.startsWith(generation)) {
      return null;
    }
    try {
      return new Stored(new Answer(stored.substring(third + 1), stored.substring(second + 1, third)),
        Long.parseLong(stored, first + 1, second, 10));
    } catch (NumberFormatException notOurs) {
      return null;
    }
  }

  private static String value(KeyValue<String, String> kv, String otherwise) {
    return kv != null && kv.hasValue() ? kv.getValue() : otherwise;
  }

  /**
   * Sends a cached answer: {@code Cache-Control: private, no-cache} (the phone keeps it but asks each time), the
   * ETag, and 304 with no body when the client already holds it ({@code If-None-Match}, weak comparison).
   */
  public static void reply(RoutingContext ctx, Answer answer) {
    var response = ctx.response().putHeader("Cache-Control", "private, no-cache").putHeader("ETag", answer.etag());
    if (matches(ctx.request().getHeader("If-None-Match"), answer.etag())) {
      response.setStatusCode(304).end();
      return;
    }
    response.setStatusCode(200).putHeader("Content-Type", "application/json; charset=utf-8").end(answer.body());
  }

  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    String tag = opaque(etag);
    return ifNoneMatch.strip().equals("*") || List.of(ifNoneMatch.split(",")).stream()
      .map(CitizenCache::opaque).anyMatch(tag::equals);
  }

  private static String opaque(String tag) {
    String t = tag.strip();
    return t.startsWith("W/") ? t.substring(2) : t;
  }

  static String digest(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
