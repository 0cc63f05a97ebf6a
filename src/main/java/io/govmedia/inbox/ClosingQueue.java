package io.govmedia.inbox;

import io.govmedia.platform.Redis;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.vertx.core.Future;
import org.bson.Document;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The answered cases waiting for a rating, in a Redis sorted set scored by the moment they close themselves (7
 * calendar days after the reply reached the citizen), so the closing job reads only what is due, never the cases.
 * MongoDB stays the truth: the job checks each due case on its document, and the set is rebuilt from the cases when
 * Redis lost it. An entry that no longer applies (rated, reopened, closed by staff) is dropped when it comes due.
 */
final class ClosingQueue {

  /** DOMAIN §2 / issue 9 part 8: the citizen rates within 7 calendar days of the delivered reply. */
  static final Duration RATING_WINDOW = Duration.ofDays(7);
  private static final String KEY = Redis.PREFIX + "inbox:closing";
  private static final String BUILT = Redis.PREFIX + "inbox:closing-built";
  static final Document PROJECTION = new Document("status", 1).append("flags", 1).append("replies", 1);

  private final Redis redis;

  ClosingQueue(Redis redis) {
    this.redis = redis;
  }

  /**
   * When the case closes itself if nobody rates it: the last sent reply's reach plus 7 days; null when it does not
   * (not answered, not reached yet, or waiting for a supervisor's decision).
   */
  static Instant closesAt(Case c) {
    return closesAt(c.status(), c.flags(), c.replies());
  }

  private static Instant closesAt(CaseStatus status, Collection<String> flags, List<Document> replies) {
    if (status != CaseStatus.ANSWERED || flags.contains(Ratings.SUPERVISOR_DECISION)) {
      return null;
    }
    return CaseReply.lastSent(replies).map(CaseReply::reachedAt).map(at -> at.plus(RATING_WINDOW)).orElse(null);
  }

  /** Puts the case in the set at its closing time, or takes it out. Never fails: the job and the rebuild repair it. */
  Future<Void> follow(Case c) {
    return follow(c.id(), closesAt(c));
  }

  private Future<Void> follow(String caseId, Instant at) {
    var commands = redis.commands();
    Future<?> write = at == null ? Redis.await(commands.zrem(KEY, caseId))
      : Redis.await(commands.zadd(KEY, (double) at.toEpochMilli(), caseId));
    return write.<Void>mapEmpty().recover(failure -> Future.succeededFuture());
  }

  /** Up to {@code limit} case ids whose closing time has come. */
  Future<List<String>> due(Instant now, int limit) {
    return Redis.await(redis.commands().zrangebyscore(KEY, Range.create(0d, (double) now.toEpochMilli()),
      Limit.create(0, limit))).map(ids -> ids == null ? List.<String>of() : ids);
  }

  Future<Void> drop(String caseId) {
    return Redis.await(redis.commands().zrem(KEY, caseId)).mapEmpty();
  }

  /** Whether the set exists (false after Redis lost its data, or before the first build). */
  Future<Boolean> built() {
    return Redis.await(redis.commands().exists(BUILT)).map(n -> n != null && n > 0);
  }

  /** One read of the cases (no filter, a small projection) puts every answered, reached case back in the set. */
  Future<Long> rebuild(CaseStore store) {
    List<Future<Void>> writes = new ArrayList<>();
    return store.forEach(PROJECTION, d -> {
      CaseStatus status = CaseStatus.parse(d.getString("status")).orElse(null);
      Instant at = closesAt(status, d.getList("flags", String.class, List.of()),
        d.getList("replies", Document.class, List.of()));
      if (at != null) {
        writes.add(follow(d.getString("_id"), at));
      }
    }).compose(total -> Future.all(writes)
      .compose(v -> Redis.await(redis.commands().set(BUILT, Instant.now().toString())))
      .map(total));
  }
}
