package io.govmedia.inbox;

import io.govmedia.platform.Redis;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.vertx.core.Future;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Each citizen's own cases, newest first, for the mini-program's "my messages": a Redis sorted set per WeChat
 * unionid ({@code u:<unionid>}, which also names them in the official accounts' chats) and per mini-program openid
 * ({@code o:<accountId>:<openid>}), scored by creation time. Kept by following every case write (an add is
 * idempotent) and rebuilt from MongoDB with the other lists when Redis lost them.
 */
final class CitizenCaseIndex {

  private static final String PREFIX = Redis.PREFIX + "inbox:citizen:";
  private static final Document PROJECTION = new Document("channel", 1).append("accountId", 1)
    .append("citizen.openid", 1).append("citizen.unionid", 1).append("createdAt", 1);
  private static final int CHUNK = 1_000;

  /** A page of case ids and the cursor after its last one ({@code <createdAt ms>_<id>}), null at the end. */
  record Found(List<String> ids, String next) {
  }

  private final Redis redis;

  CitizenCaseIndex(Redis redis) {
    this.redis = redis;
  }

  static String unionKey(String unionid) {
    return PREFIX + "u:" + unionid;
  }

  static String openidKey(String accountId, String openid) {
    return PREFIX + "o:" + accountId + ":" + openid;
  }

  /** The sets a case belongs in: its unionid's, and for a mini-program case its openid's. */
  static List<String> keys(Channel channel, String accountId, String openid, String unionid) {
    List<String> keys = new ArrayList<>();
    if (unionid != null) {
      keys.add(unionKey(unionid));
    }
    if (channel == Channel.MINIAPP && accountId != null && openid != null) {
      keys.add(openidKey(accountId, openid));
    }
    return keys;
  }

  /** Follows a case write: a new case (or one whose citizen changed) joins its citizen's sets. */
  Future<Void> follow(Case before, Case after) {
    if (before != null && before.citizen().equals(after.citizen())) {
      return Future.succeededFuture();
    }
    return add(keys(after.channel(), after.accountId(), after.citizen().openid(), after.citizen().unionid()),
      after.createdAt().toEpochMilli(), after.id());
  }

  private Future<Void> add(List<String> keys, long score, String id) {
    var commands = redis.commands();
    return Future.all(keys.stream().map(key -> Redis.await(commands.zadd(key, (double) score, id))).toList())
      .mapEmpty();
  }

  /**
   * Newest first from the union of {@code keys}, after the cursor: each set is read from the cursor's time down,
   * the reads merged, duplicates dropped; cases of the same millisecond are ordered by id.
   */
  Future<Found> page(List<String> keys, String cursor, int limit) {
    long below = cursor == null ? Long.MAX_VALUE : Long.parseLong(cursor.substring(0, cursor.indexOf('_')));
    String afterId = cursor == null ? null : cursor.substring(cursor.indexOf('_') + 1);
    var commands = redis.commands();
    Range<Long> range = Range.create(Long.MIN_VALUE, below);
    List<Future<List<ScoredValue<String>>>> reads = keys.stream()
      .map(key -> Redis.await(commands.zrevrangebyscoreWithScores(key, range, Limit.create(0, limit + 20)))).toList();
    return Future.all(reads).map(all -> {
      Map<String, Long> merged = new LinkedHashMap<>();
      reads.forEach(read -> read.result().forEach(v -> merged.put(v.getValue(), (long) v.getScore())));
      List<Map.Entry<String, Long>> sorted = merged.entrySet().stream()
        .filter(e -> e.getValue() < below || e.getValue() == below && afterId != null && e.getKey().compareTo(afterId) < 0)
        .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
          .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
        .toList();
      List<Map.Entry<String, Long>> page = sorted.size() > limit ? sorted.subList(0, limit) : sorted;
      String next = sorted.size() > limit
        ? page.get(page.size() - 1).getValue() + "_" + page.get(page.size() - 1).getKey() : null;
      return new Found(page.stream().map(Map.Entry::getKey).toList(), next);
    });
  }

  /** Puts every case back in its citizen's sets (after Redis lost them): one projected read of all cases. */
  Future<Void> rebuild(CaseStore store) {
    Map<String, Map<String, Long>> members = new HashMap<>();
    return store.forEach(PROJECTION, d -> {
      Document who = d.get("citizen", Document.class);
      if (who == null || d.getDate("createdAt") == null) {
        return;
      }
      Channel channel = Channel.parse(d.getString("channel")).orElse(null);
      for (String key : keys(channel, d.getString("accountId"), who.getString("openid"), who.getString("unionid"))) {
        members.computeIfAbsent(key, k -> new HashMap<>()).put(d.getString("_id"), d.getDate("createdAt").getTime());
      }
    }).compose(total -> {
      List<Supplier<Future<Void>>> writes = new ArrayList<>();
      members.forEach((key, ids) -> ids.forEach((id, score) -> writes.add(() -> add(List.of(key), score, id))));
      return inChunks(writes, 0);
    });
  }

  private static Future<Void> inChunks(List<Supplier<Future<Void>>> writes, int from) {
    if (from >= writes.size()) {
      return Future.succeededFuture();
    }
    int to = Math.min(writes.size(), from + CHUNK);
    return Future.all(writes.subList(from, to).stream().map(Supplier::get).toList()).compose(v -> inChunks(writes, to));
  }
}
