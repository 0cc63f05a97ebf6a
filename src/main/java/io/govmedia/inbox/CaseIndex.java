package io.govmedia.inbox;

import io.govmedia.platform.Redis;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The ordered lists of cases, kept in Redis because the embedded MongoDB ignores non-unique indexes: a list page is
 * a range of a sorted set (ids only) and one read of those cases by {@code _id}. MongoDB stays the truth; the sets
 * are rebuilt from it at start and whenever they are found missing ({@link #built}), and a write whose set update
 * failed (Redis away) asks for a repair.
 *
 * <p>Sets per scope ({@code all}, {@code queue} = the dispatchers', {@code dept:<id>}, {@code staff:<id>}):
 * {@code open:<scope>} scored by due day then creation ({@link #openScore}: most urgent first), {@code done:<scope>}
 * (answered and closed) scored by the last change, newest first. {@code summary} holds, per case, what the filters
 * need ({@link Entry}) so that a page is filtered without reading MongoDB.
 */
final class CaseIndex {

  private static final Logger log = LoggerFactory.getLogger(CaseIndex.class);
  private static final String PREFIX = Redis.PREFIX + "inbox:";
  static final String SUMMARY = PREFIX + "summary";
  /** Named for the summary's format: sets built before summaries carried the category are rebuilt at start. */
  static final String BUILT = PREFIX + "built:2";
  /** Creation times are counted in milliseconds from 2025 within a due day: 2^37 ms is about 4.3 years. */
  private static final long CREATED_EPOCH = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
  private static final long DAY_SHIFT = 1L << 37;
  private static final LocalDate NO_DUE = LocalDate.of(2100, 1, 1);
  /** What a rebuild reads of each case. */
  static final org.bson.Document PROJECTION = new org.bson.Document("status", 1).append("departmentId", 1)
    .append("assigneeId", 1).append("flags", 1).append("category", 1).append("deadline.dueDate", 1)
    .append("createdAt", 1).append("updatedAt", 1);
  static final Pattern CURSOR = Pattern.compile("-?[0-9]{1,18}_[0-9a-f]{24}");

  /** What the lists know of a case. */
  record Entry(String id, CaseStatus status, String departmentId, String assigneeId, Set<String> flags,
               Category category, long openScore, long doneScore) {

    static Entry of(Case c) {
      LocalDate due = c.deadline() == null ? NO_DUE : c.deadline().dueDate();
      return new Entry(c.id(), c.status(), c.departmentId(), c.assigneeId(), c.flags(), c.category(),
        CaseIndex.openScore(due, c.createdAt()), c.updatedAt().toEpochMilli());
    }

    /** From a case document read with {@link #PROJECTION}. */
    static Entry from(org.bson.Document d) {
      org.bson.Document deadline = d.get("deadline", org.bson.Document.class);
      LocalDate due = deadline == null ? NO_DUE : LocalDate.parse(deadline.getString("dueDate"));
      return new Entry(d.getString("_id"), CaseStatus.parse(d.getString("status")).orElseThrow(),
        d.getString("departmentId"), d.getString("assigneeId"), Set.copyOf(d.getList("flags", String.class, List.of())),
        Category.parse(d.getString("category")).orElseThrow(), CaseIndex.openScore(due, d.getDate("createdAt").toInstant()),
        d.getDate("updatedAt").getTime());
    }

    String encode() {
      return status.wire() + "|" + nz(departmentId) + "|" + nz(assigneeId) + "|" + String.join(",", flags) + "|"
        + openScore + "|" + doneScore + "|" + category.wire();
    }

    /** A summary written before it carried the category decodes with none (until the rebuild at start rewrites it). */
    static Entry decode(String id, String value) {
      String[] p = value.split("\\|", -1);
      return new Entry(id, CaseStatus.parse(p[0]).orElseThrow(), p[1].isEmpty() ? null : p[1],
        p[2].isEmpty() ? null : p[2], p[3].isEmpty() ? Set.of() : Set.of(p[3].split(",")),
        p.length > 6 ? Category.parse(p[6]).orElse(null) : null, Long.parseLong(p[4]), Long.parseLong(p[5]));
    }

    /** The sets this case belongs to, with its score in each. */
    Map<String, Long> memberships() {
      Map<String, Long> in = new HashMap<>();
      boolean open = status.open();
      String kind = open ? "open:" : "done:";
      long score = open ? openScore : doneScore;
      in.put(PREFIX + kind + "all", score);
      if (status == CaseStatus.DISPATCHING) {
        in.put(PREFIX + "open:queue", score);
      }
      if (departmentId != null) {
        in.put(PREFIX + kind + "dept:" + departmentId, score);
      }
      if (assigneeId != null) {
        in.put(PREFIX + kind + "staff:" + assigneeId, score);
      }
      return in;
    }

    private static String nz(String s) {
      return s == null ? "" : s;
    }
  }

  /** Due day first (most urgent first), then creation (older first); exact in a double (52 bits). */
  static long openScore(LocalDate due, Instant created) {
    long ms = Math.floorMod(created.toEpochMilli() - CREATED_EPOCH, DAY_SHIFT);
    return due.toEpochDay() * DAY_SHIFT + ms;
  }

  /** The open score below which every case is due before {@code today}: overdue. */
  static long overdueBelow(LocalDate today) {
    return today.toEpochDay() * DAY_SHIFT;
  }

  /** Cases whose sets a rebuild writes at once. */
  private static final int REBUILD_CHUNK = 500;

  private final Redis redis;
  private volatile boolean needsRepair;

  CaseIndex(Redis redis) {
    this.redis = redis;
  }

  /** Moves a case from the sets it was in to the ones it belongs in now; never fails (a failure asks for a repair). */
  Future<Void> update(Case before, Case after) {
    Entry old = before == null ? null : Entry.of(before);
    Entry now = Entry.of(after);
    if (now.equals(old)) {
      return Future.succeededFuture();
    }
    List<Future<?>> writes = new ArrayList<>();
    var commands = redis.commands();
    Map<String, Long> target = now.memberships();
    if (old != null) {
      old.memberships().keySet().stream().filter(key -> !target.containsKey(key))
        .forEach(key -> writes.add(Redis.await(commands.zrem(key, old.id()))));
    }
    target.forEach((key, score) -> writes.add(Redis.await(commands.zadd(key, (double) score, now.id()))));
    writes.add(Redis.await(commands.hset(SUMMARY, now.id(), now.encode())));
    return Future.all(writes).<Void>mapEmpty().recover(failure -> {
      needsRepair = true;
      log.warn("case lists not updated for case {} (Redis unavailable?); repaired from MongoDB later", after.id());
      return Future.succeededFuture();
    });
  }

  /** The ids of a staff member's open cases (their own list: one range read, no scan). */
  Future<List<String>> openOf(String staffId) {
    return Redis.await(redis.commands().zrange(PREFIX + "open:staff:" + staffId, 0, -1));
  }

  boolean needsRepair() {
    return needsRepair;
  }

  /** Whether the sets exist in Redis (false after Redis lost its data or before the first build). */
  Future<Boolean> built() {
    return Redis.await(redis.commands().exists(BUILT)).map(n -> n != null && n > 0);
  }

  /**
   * Brings the sets in line with the cases: adds what is missing, moves what changed, removes what is gone. A case
   * changed while this runs may be put back where it was; its next change, or the next repair, corrects it.
   */
  /** A rebuild's count of cases, and of open cases per department and assignee (for {@link Assignment#reset}). */
  record Rebuilt(long cases, Map<String, Map<String, Integer>> openByDepartment) {
  }

  Future<Rebuilt> rebuild(CaseStore store) {
    needsRepair = false;
    Map<String, Map<String, Integer>> open = new HashMap<>();
    return Redis.await(redis.commands().hgetall(SUMMARY)).compose(known -> {
      Map<String, String> summaries = known == null ? new HashMap<>() : new HashMap<>(known);
      List<Supplier<Future<Void>>> writes = new ArrayList<>();
      return store.forEach(PROJECTION, doc -> {
        Entry entry = Entry.from(doc);
        if (entry.status().open() && entry.departmentId() != null) {
          Map<String, Integer> people = open.computeIfAbsent(entry.departmentId(), d -> new HashMap<>());
          if (entry.assigneeId() != null) {
            people.merge(entry.assigneeId(), 1, Integer::sum);
          }
        }
        String had = summaries.remove(entry.id());
        Entry old = had == null ? null : Entry.decode(entry.id(), had);
        if (!entry.equals(old)) {
          writes.add(() -> move(old, entry));
        }
      }).compose(total -> {
        summaries.forEach((id, had) -> writes.add(() -> remove(Entry.decode(id, had))));
        return inChunks(writes, 0).compose(v -> Redis.await(redis.commands().set(BUILT, Instant.now().toString())))
          .map(new Rebuilt(total, open));
      });
    }).onFailure(failure -> needsRepair = true);
  }

  /** Redis writes a chunk at a time: a few hundred thousand at once would outwait the commands' timeout. */
  private static Future<Void> inChunks(List<Supplier<Future<Void>>> writes, int from) {
    if (from >= writes.size()) {
      return Future.succeededFuture();
    }
    int to = Math.min(writes.size(), from + REBUILD_CHUNK);
    return Future.all(writes.subList(from, to).stream().map(Supplier::get).toList())
      .compose(v -> inChunks(writes, to));
  }

  private Future<Void> move(Entry old, Entry now) {
    var commands = redis.commands();
    List<Future<?>> writes = new ArrayList<>();
    Map<String, Long> target = now.memberships();
    if (old != null) {
      old.memberships().keySet().stream().filter(key -> !target.containsKey(key))
        .forEach(key -> writes.add(Redis.await(commands.zrem(key, old.id()))));
    }
    target.forEach((key, score) -> writes.add(Redis.await(commands.zadd(key, (double) score, now.id()))));
    writes.add(Redis.await(commands.hset(SUMMARY, now.id(), now.encode())));
    return Future.all(writes).mapEmpty();
  }

  private Future<Void> remove(Entry old) {
    var commands = redis.commands();
    List<Future<?>> writes = new ArrayList<>();
    old.memberships().keySet().forEach(key -> writes.add(Redis.await(commands.zrem(key, old.id()))));
    writes.add(Redis.await(commands.hdel(SUMMARY, old.id())));
    return Future.all(writes).mapEmpty();
  }

  // Lists

  /** Which sets to page through, in which direction, from where, and what a listed case must satisfy. */
  record Query(List<String> scopes, boolean done, Long below, String cursor, int limit, Predicate<Entry> keep) {
  }

  /** One page: the ids in order, and the cursor of the next page (null at the end). */
  record Found(List<String> ids, String next) {
  }

  static String openScope(String scope) {
    return PREFIX + "open:" + scope;
  }

  static String doneScope(String scope) {
    return PREFIX + "done:" + scope;
  }

  /** Rounds of reading ahead when filters drop cases; then the page may be short, with a cursor to go on. */
  private static final int ROUNDS = 5;

  Future<Found> page(Query query) {
    List<String> keys = query.scopes().stream().map(s -> query.done() ? doneScope(s) : openScope(s)).toList();
    if (keys.isEmpty()) {
      return Future.succeededFuture(new Found(List.of(), null));
    }
    return round(query, keys, query.cursor(), new ArrayList<>(), ROUNDS);
  }

  private record Hit(String id, long score) {
    String cursor() {
      return score + "_" + id;
    }
  }

  private Future<Found> round(Query query, List<String> keys, String cursor, List<Hit> kept, int rounds) {
    int want = query.limit() + 1 - kept.size();
    int fetch = Math.max(want * 2, 20);
    long from = cursor == null ? (query.done() ? Long.MAX_VALUE : Long.MIN_VALUE) : Long.parseLong(cursor.split("_")[0]);
    String afterId = cursor == null ? null : cursor.split("_")[1];
    List<Future<List<ScoredValue<String>>>> reads = new ArrayList<>();
    for (String key : keys) {
      reads.add(Redis.await(query.done()
        ? redis.commands().zrevrangebyscoreWithScores(key, Range.create((double) Long.MIN_VALUE, (double) from),
        Limit.create(0, fetch))
        : redis.commands().zrangebyscoreWithScores(key, Range.create((double) from,
        query.below() == null ? Double.POSITIVE_INFINITY : (double) query.below() - 1), Limit.create(0, fetch))));
    }
    return Future.all(reads).compose(all -> {
      Comparator<Hit> order = Comparator.comparingLong(Hit::score).thenComparing(Hit::id);
      if (query.done()) {
        order = order.reversed();
      }
      Set<String> seen = new LinkedHashSet<>();
      List<Hit> hits = new ArrayList<>();
      boolean more = false;
      for (int i = 0; i < keys.size(); i++) {
        List<ScoredValue<String>> values = reads.get(i).result();
        more |= values.size() == fetch;
        for (ScoredValue<String> v : values) {
          Hit hit = new Hit(v.getValue(), (long) v.getScore());
          if (after(hit, from, afterId, query.done()) && seen.add(hit.id())) {
            hits.add(hit);
          }
        }
      }
      hits.sort(order);
      // With several sets, only the hits up to the first set's last one are surely in order: take at most fetch.
      List<Hit> window = hits.size() > fetch ? hits.subList(0, fetch) : hits;
      boolean moreAfterWindow = more || hits.size() > window.size();
      if (window.isEmpty()) {
        return Future.succeededFuture(found(kept, null));
      }
      List<String> ids = window.stream().map(Hit::id).toList();
      return Redis.await(redis.commands().hmget(SUMMARY, ids.toArray(String[]::new))).compose(summaries -> {
        Map<String, Entry> entries = new HashMap<>();
        for (KeyValue<String, String> kv : summaries) {
          if (kv.hasValue()) {
            entries.put(kv.getKey(), Entry.decode(kv.getKey(), kv.getValue()));
          }
        }
        String last = null;
        for (Hit hit : window) {
          Entry entry = entries.get(hit.id());
          last = hit.cursor();
          if (entry != null && query.keep().test(entry)) {
            kept.add(hit);
            if (kept.size() > query.limit()) {
              kept.remove(kept.size() - 1);
              // the page is full; its last item's cursor is the next page's start
              return Future.succeededFuture(found(kept, kept.get(kept.size() - 1).cursor()));
            }
          }
        }
        if (!moreAfterWindow) {
          return Future.succeededFuture(found(kept, null));
        }
        if (rounds <= 1) {
          return Future.succeededFuture(found(kept, last));
        }
        return round(query, keys, last, kept, rounds - 1);
      });
    });
  }

  private static Found found(List<Hit> kept, String next) {
    return new Found(kept.stream().map(Hit::id).toList(), next);
  }

  private static boolean after(Hit hit, long from, String afterId, boolean descending) {
    if (afterId == null || hit.score() != from) {
      return true;
    }
    return descending ? hit.id().compareTo(afterId) < 0 : hit.id().compareTo(afterId) > 0;
  }
}
