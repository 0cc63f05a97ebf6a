package io.govmedia.inbox;

import io.govmedia.platform.Redis;
import io.govmedia.search.Bigrams;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Cases of other citizens that look like a case (suggested for linking as one issue): compared by the search index's
 * terms ({@link Bigrams}) of title and text, among the cases received in the last {@code inbox.similarDays} days.
 * Redis keeps what the comparison needs of each recent case ({@code recent}: ids by receipt time;
 * {@code recent-terms}: the writer and the terms), written when the case is created and trimmed periodically, so a
 * suggestion reads at most {@link #CANDIDATES} entries and no case document but the ones it suggests.
 */
final class SimilarCases {

  private static final Logger log = LoggerFactory.getLogger(SimilarCases.class);
  private static final String PREFIX = Redis.PREFIX + "inbox:";
  private static final String RECENT = PREFIX + "recent";
  private static final String TERMS = PREFIX + "recent-terms";
  /** The most recent cases compared with; a bounded read whatever the volume. */
  static final int CANDIDATES = 2_000;
  /** How much of a case's text is compared: its opening states the issue. */
  private static final int TEXT = 500;
  private static final int MAX_TERMS = 300;
  /** Shared terms over the smaller set's size (overlap coefficient) from which a case is suggested. */
  static final double THRESHOLD = 0.35;

  /** A suggestion: the case id and how alike. */
  record Similar(String caseId, double similarity) {
  }

  private final Redis redis;
  private final Duration window;
  private final Clock clock;

  SimilarCases(Redis redis, Duration window, Clock clock) {
    this.redis = redis;
    this.window = window;
    this.clock = clock;
  }

  /** After every write: a new case is remembered for comparison. Never fails. */
  Future<Void> follow(Case before, Case after) {
    if (before != null) {
      return Future.succeededFuture();
    }
    var commands = redis.commands();
    String value = writer(after) + "\t" + String.join(" ", terms(after));
    return Future.all(Redis.await(commands.zadd(RECENT, (double) after.receivedAt().toEpochMilli(), after.id())),
        Redis.await(commands.hset(TERMS, after.id(), value))).<Void>mapEmpty()
      .recover(failure -> {
        log.warn("case {} not kept for similar-case suggestions (Redis unavailable?)", after.id());
        return Future.succeededFuture();
      });
  }

  /** The cases alike {@code c} from other citizens within the window, most alike first. */
  Future<List<Similar>> of(Case c, int limit) {
    Set<String> mine = terms(c);
    String writer = writer(c);
    double since = (double) clock.instant().minus(window).toEpochMilli();
    var commands = redis.commands();
    return Redis.await(commands.zrevrangebyscore(RECENT, Range.create(since, Double.POSITIVE_INFINITY),
        Limit.create(0, CANDIDATES)))
      .compose(ids -> ids.isEmpty() ? Future.succeededFuture(List.<KeyValue<String, String>>of())
        : Redis.await(commands.hmget(TERMS, ids.toArray(String[]::new))))
      .map(values -> {
        List<Similar> found = new ArrayList<>();
        for (KeyValue<String, String> kv : values) {
          if (!kv.hasValue() || kv.getKey().equals(c.id())) {
            continue;
          }
          int tab = kv.getValue().indexOf('\t');
          String other = kv.getValue().substring(0, tab);
          if (!writer.isEmpty() && writer.equals(other)) {
            continue;  // the same citizen's repeats are merged by intake, not suggested
          }
          double alike = overlap(mine, Set.of(kv.getValue().substring(tab + 1).split(" ")));
          if (alike >= THRESHOLD) {
            found.add(new Similar(kv.getKey(), Math.round(alike * 1000) / 1000.0));
          }
        }
        found.sort(Comparator.comparingDouble(Similar::similarity).reversed());
        return found.size() > limit ? List.copyOf(found.subList(0, limit)) : found;
      });
  }

  /** Forgets the cases received before the window. */
  Future<Void> trim() {
    double before = (double) clock.instant().minus(window).toEpochMilli();
    var commands = redis.commands();
    return Redis.await(commands.zrangebyscore(RECENT, Range.create(Double.NEGATIVE_INFINITY, before)))
      .compose(old -> old.isEmpty() ? Future.succeededFuture()
        : Future.all(Redis.await(commands.hdel(TERMS, old.toArray(String[]::new))),
          Redis.await(commands.zrem(RECENT, old.toArray(String[]::new)))).mapEmpty());
  }

  private static double overlap(Set<String> a, Set<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return 0;
    }
    Set<String> small = a.size() <= b.size() ? a : b;
    Set<String> large = small == a ? b : a;
    long shared = small.stream().filter(large::contains).count();
    return (double) shared / small.size();
  }

  static Set<String> terms(Case c) {
    String text = (c.title() == null ? "" : c.title()) + "\n" + (c.content() == null ? ""
      : c.content().substring(0, Math.min(TEXT, c.content().length())));
    Set<String> terms = new HashSet<>();
    for (String term : Bigrams.of(text)) {
      if (!term.isBlank() && !term.contains(" ") && !term.contains("\t") && terms.size() < MAX_TERMS) {
        terms.add(term);
      }
    }
    return terms;
  }

  /** Who wrote: the citizen's ids, or nothing known (a phone case): then any other case may be alike. */
  private static String writer(Case c) {
    Citizen who = c.citizen();
    String id = who == null ? null : who.unionid() != null ? "u:" + who.unionid()
      : who.openid() != null ? "o:" + who.openid() : who.weiboUid() != null ? "w:" + who.weiboUid() : null;
    return id == null ? "" : id;
  }
}
