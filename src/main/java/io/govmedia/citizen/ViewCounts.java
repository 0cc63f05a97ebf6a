package io.govmedia.citizen;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Redis;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;

/**
 * Articles' view counts: counted in Redis ({@code HINCRBY}, one command per view, the article marked as changed), and
 * written back to MongoDB in batches by a periodic job ({@link #flush}) on whichever instances run it (each takes
 * its own changed articles with {@code SPOP}). MongoDB keeps the highest count written ({@code $max}), so a late or
 * repeated write never lowers it. When Redis has lost the counts (no {@code loaded} mark), the first instance to
 * start adds MongoDB's counts back to whatever was counted meanwhile.
 */
final class ViewCounts {

  static final String COUNTS = Redis.PREFIX + "mp:views";
  static final String CHANGED = Redis.PREFIX + "mp:views:changed";
  static final String LOADED = Redis.PREFIX + "mp:views:loaded";
  private static final int BATCH = 500;

  private final Redis redis;
  private final MongoCollection<Document> stats;

  ViewCounts(Redis redis, MongoDatabase db) {
    this.redis = redis;
    this.stats = db.getCollection("citizen_article_stats");
  }

  /** What a visit to an article's page answers besides the page: its views (this one included) and votes. */
  record Visit(long views, long helpful, boolean voted) {
  }

  /** Counts only an article in the feed (a guessed id adds nothing), marks it for the write-back, reads the votes. */
  private static final String VISIT = """
    if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return nil end
    local views = redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
    redis.call('SADD', KEYS[3], ARGV[1])
    return {views, redis.call('SCARD', KEYS[4]), redis.call('SISMEMBER', KEYS[4], ARGV[2])}
    """;
  private static final String VISIT_SHA = sha1(VISIT);

  /**
   * One visit, in one script (one command, atomic, by its SHA once Redis knows it). Answers null when the article is
   * not in the feed.
   */
  Future<Visit> visit(String articleId, CitizenSession who) {
    String[] keys = {Feed.SUMMARY, COUNTS, CHANGED, HelpfulVotes.PREFIX + articleId};
    String voter = HelpfulVotes.voter(who);
    var commands = redis.commands();
    Future<List<Object>> ran = Redis.<List<Object>>await(commands.evalsha(VISIT_SHA, ScriptOutputType.MULTI, keys,
        articleId, voter))
      .recover(failure -> failure instanceof RedisNoScriptException
        ? Redis.<List<Object>>await(commands.eval(VISIT, ScriptOutputType.MULTI, keys, articleId, voter))
        : Future.failedFuture(failure));
    return ran.map(result -> result == null || result.isEmpty() ? null : new Visit((Long) result.get(0),
      (Long) result.get(1), ((Long) result.get(2)) == 1));
  }

  private static String sha1(String script) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
        .digest(script.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
    }
  }

  /** Writes the counts changed since the last flush to MongoDB; answers how many articles it wrote. */
  Future<Integer> flush() {
    return Redis.await(redis.commands().spop(CHANGED, BATCH)).compose(ids -> {
      if (ids == null || ids.isEmpty()) {
        return Future.succeededFuture(0);
      }
      List<String> taken = List.copyOf(ids);
      return Redis.await(redis.commands().hmget(COUNTS, taken.toArray(String[]::new)))
        .compose(counts -> write(counts).map(taken.size()))
        .recover(failure -> Redis.await(redis.commands().sadd(CHANGED, taken.toArray(String[]::new)))
          .compose(v -> Future.failedFuture(failure)))
        .compose(written -> written < BATCH ? Future.succeededFuture(written) : flush().map(more -> written + more));
    });
  }

  private Future<Void> write(List<KeyValue<String, String>> counts) {
    List<UpdateOneModel<Document>> writes = new ArrayList<>();
    for (KeyValue<String, String> kv : counts) {
      if (kv.hasValue()) {
        writes.add(new UpdateOneModel<>(Filters.eq("_id", kv.getKey()),
          Updates.max("views", Long.parseLong(kv.getValue())), new UpdateOptions().upsert(true)));
      }
    }
    return writes.isEmpty() ? Future.succeededFuture()
      : Mongo.first(stats.bulkWrite(writes, new BulkWriteOptions().ordered(false))).mapEmpty();
  }

  /** At start: when Redis does not hold the counts (first start, or its data lost), MongoDB's are added back. */
  Future<Void> load() {
    return Redis.await(redis.commands().set(LOADED, "1", SetArgs.Builder.nx())).compose(claimed -> {
      if (!"OK".equals(claimed)) {
        return Future.succeededFuture();
      }
      return Mongo.all(stats.find().projection(new Document("views", 1))).compose(docs -> {
        List<Future<?>> adds = new ArrayList<>();
        var commands = redis.commands();
        for (Document d : docs) {
          Number views = d.get("views", Number.class);
          if (views != null && views.longValue() > 0) {
            adds.add(Redis.await(commands.hincrby(COUNTS, d.getString("_id"), views.longValue())));
          }
        }
        return Future.all(adds).<Void>mapEmpty();
      }).recover(failure -> Redis.await(redis.commands().del(LOADED)).compose(v -> Future.failedFuture(failure)));
    });
  }
}
