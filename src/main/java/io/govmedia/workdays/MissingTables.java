package io.govmedia.workdays;

import io.govmedia.events.Event;
import io.govmedia.events.Events;
import io.govmedia.platform.Redis;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;

/**
 * The years a counting reached without a table (then its answers were computed Monday–Friday, provisional): never a
 * silent guess. They are kept in a Redis set, so that every instance and a restart know them, and raised with the
 * admins ({@value #EVENT} and a log warning) when first reached anywhere and then every hour, by whichever instance
 * claims that hour first, until the year has a table.
 */
final class MissingTables {

  static final String EVENT = "workdays.table-missing";
  static final Duration REMIND_EVERY = Duration.ofHours(1);
  private static final String KEY = Redis.PREFIX + "workdays:missing-tables";
  private static final String ALARMED = Redis.PREFIX + "workdays:missing-alarmed:";
  private static final Logger log = LoggerFactory.getLogger(MissingTables.class);

  private final Redis redis;
  private final Events events;
  private final Clock clock;
  /** The years this instance has already put in the set: a counting on an event loop costs nothing more. */
  private final Set<Integer> noted = ConcurrentHashMap.newKeySet();

  MissingTables(Redis redis, Events events, Clock clock) {
    this.redis = redis;
    this.events = events;
    this.clock = clock;
  }

  /**
   * A counting reached {@code year} without a table. Years outside 2000–2100 are not remembered: no table can be
   * added for them. Returns at once; Redis is told in the background and asked again on a later reach if it failed.
   */
  void reached(int year) {
    if (year < HolidayTable.FIRST_YEAR || year > HolidayTable.LAST_YEAR || !noted.add(year)) {
      return;
    }
    Redis.await(redis.commands().sadd(KEY, String.valueOf(year)))
      .compose(added -> added == 1 ? alarm(year) : Future.succeededFuture())
      .onFailure(failure -> {
        noted.remove(year);
        log.warn("year {} has no holiday table, and Redis could not record it; it is tried again", year, failure);
      });
  }

  /** The years reached without a table that still have none, in order. */
  Future<List<Integer>> years(IntPredicate hasTable) {
    return Redis.await(redis.commands().smembers(KEY))
      .map(members -> members.stream().map(Integer::valueOf).filter(year -> !hasTable.test(year)).sorted().toList());
  }

  /** A table for {@code year} now exists: it is no longer missing anywhere. */
  Future<Void> resolved(int year) {
    noted.remove(year);
    return Redis.await(redis.commands().srem(KEY, String.valueOf(year))).mapEmpty();
  }

  /**
   * The hourly job: raises every year still missing again, and forgets those that got a table meanwhile. The years
   * this instance noted are put back first, in case the set was lost with a Redis that kept no data.
   */
  Future<?> remind(IntPredicate hasTable) {
    String[] mine = noted.stream().filter(year -> !hasTable.test(year)).map(String::valueOf).toArray(String[]::new);
    Future<Long> restored = mine.length == 0 ? Future.succeededFuture(0L) : Redis.await(redis.commands().sadd(KEY, mine));
    return restored.compose(done -> Redis.await(redis.commands().smembers(KEY))).compose(members -> Future.all(members
      .stream()
      .map(Integer::valueOf)
      .map(year -> hasTable.test(year) ? resolved(year) : alarm(year))
      .toList()));
  }

  /** Raises {@code year} with the admins once per clock hour, whichever instance comes first. */
  private Future<Void> alarm(int year) {
    long hour = clock.instant().getEpochSecond() / REMIND_EVERY.toSeconds();
    return Redis.await(redis.commands().set(ALARMED + year + ":" + hour, "1",
        SetArgs.Builder.nx().ex(2 * REMIND_EVERY.toSeconds())))
      .compose(set -> {
        if (!"OK".equals(set)) {
          return Future.succeededFuture();
        }
        log.warn("no holiday table for {}: deadlines reaching it are computed Monday to Friday and marked provisional;"
          + " an admin should add it (PUT /api/v1/holidays/{})", year, year);
        return events.publish(new Event(EVENT, new JsonObject().put("year", year).put("message", year
          + " 年的节假日安排（调休表）尚未录入：涉及该年的期限暂按周一至周五计算，并标为临时（provisional）。"
          + "请管理员按国务院办公厅的放假通知尽快录入。"), Event.Audience.admins()));
      });
  }
}
