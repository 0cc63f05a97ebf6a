package io.govmedia.publishing;

import io.govmedia.events.Event;
import io.govmedia.events.Events;
import io.govmedia.platform.Redis;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Every move of a slot, by an editor or the scheduler: the guarded write ({@link SlotStore#move}), then what follows
 * from it — the Redis sets the scheduler works from, the mass-send place given up, and the event editors see. Redis
 * is written after MongoDB and may miss a write (an outage, a crash): the sweep puts it right from MongoDB.
 */
final class Slots {

  static final String DUE = Redis.PREFIX + "publishing:due";
  static final String CHECKS = Redis.PREFIX + "publishing:checks";
  static final String SYSTEM = "system";

  private static final Logger log = LoggerFactory.getLogger(Slots.class);

  private final SlotStore store;
  private final SlotPlaces places;
  private final MassQuota quota;
  private final Hold hold;
  private final Redis redis;
  private final Events events;
  private final Clock clock;
  private final List<Function<String, Future<Void>>> miniappListeners = new CopyOnWriteArrayList<>();

  Slots(SlotStore store, SlotPlaces places, MassQuota quota, Hold hold, Redis redis, Events events, Clock clock) {
    this.store = store;
    this.places = places;
    this.quota = quota;
    this.hold = hold;
    this.redis = redis;
    this.events = events;
    this.clock = clock;
    store.onRollForward((before, after) -> followUp(before, after));
  }

  SlotStore store() {
    return store;
  }

  /** Hears, with the post id, of every mini-program slot published or withdrawn (the citizens' feed). */
  void onMiniappChange(Function<String, Future<Void>> listener) {
    miniappListeners.add(listener);
  }

  /** Gives up the place of a slot that was never written (a refusal after the place was taken). */
  Future<Void> releasePlace(Slot slot) {
    return places.release(slot);
  }

  /** One live slot per post and account; see {@link SlotPlaces}. */
  Future<Void> takePlace(Slot slot) {
    return places.take(slot.postId(), slot.accountId(), slot.id(), store::find);
  }

  /** Moves the slot to {@code to} (allowed by {@link SlotStatus}) with {@code change} applied; 409 slot-changed on a race. */
  Future<Slot> move(Slot before, SlotStatus to, String actor, String note, UnaryOperator<Slot> change) {
    before.status().require(to, "slot-changed");
    Slot changed = change.apply(before);
    Slot after = to == before.status() && note == null ? changed : changed.moved(to, actor, note, clock.instant());
    return store.move(before, after, actor).compose(written -> followUp(before, written).map(written));
  }

  /** A write that only records what was learned (ids, the next check): no status change, no event. */
  Future<Slot> record(Slot before, UnaryOperator<Slot> change) {
    return move(before, before.status(), SYSTEM, null, change);
  }

  Future<Slot> created(Slot slot) {
    return index(slot).map(slot).compose(s -> announce(s).map(s));
  }

  private Future<Void> followUp(Slot before, Slot after) {
    boolean leftLive = SlotStatus.LIVE.contains(before.status()) && !SlotStatus.LIVE.contains(after.status());
    Future<Void> quotaDone = (before.status().holdsQuota() && !after.status().holdsQuota()
      ? quota.release(after.accountId(), after.quotaPeriod(), after.id()) : Future.<Void>succeededFuture())
      .compose(v -> leftLive ? places.release(after) : Future.<Void>succeededFuture());
    return quotaDone.compose(v -> index(after))
      .compose(v -> before.status() == after.status() ? Future.succeededFuture() : announce(after))
      .compose(v -> inFeedChanged(before, after) ? tellMiniappListeners(after.postId()) : Future.succeededFuture());
  }

  /** A mini-program slot is the post's place in the citizens' feed: it counts while published. */
  private static boolean inFeedChanged(Slot before, Slot after) {
    return "miniapp".equals(after.channel())
      && (before.status() == SlotStatus.PUBLISHED) != (after.status() == SlotStatus.PUBLISHED);
  }

  /** The move's answer waits for the listeners, so the feed shows it at once; a failure is logged, not the move's. */
  private Future<Void> tellMiniappListeners(String postId) {
    return Future.join(miniappListeners.stream().map(listener -> listener.apply(postId).recover(failure -> {
      log.warn("the feed was not told of post {}; it is put right at the next start", postId, failure);
      return Future.<Void>succeededFuture();
    })).toList()).mapEmpty();
  }

  /** Puts the slot where the scheduler looks for it: the due set, the checks set, or neither. */
  Future<Void> index(Slot slot) {
    var redisCommands = redis.commands();
    Future<?> done = switch (slot.status()) {
      case SCHEDULED -> Redis.await(redisCommands.zrem(CHECKS, slot.id()))
        .compose(v -> Redis.await(redisCommands.zadd(DUE, slot.dueAt().toEpochMilli(), slot.id())));
      // a send in flight has no check time: its instance owns it (the stuck sweep takes over if it dies)
      case PUBLISHING -> Redis.await(redisCommands.zrem(DUE, slot.id()))
        .compose(v -> slot.nextCheckAt() == null ? Future.succeededFuture()
          : Redis.await(redisCommands.zadd(CHECKS, slot.nextCheckAt().toEpochMilli(), slot.id())));
      // an unknown outcome is always asked about, at once when no time was set
      case NEEDS_CHECK -> Redis.await(redisCommands.zrem(DUE, slot.id()))
        .compose(v -> Redis.await(redisCommands.zadd(CHECKS, slot.nextCheckAt() == null ? 0
          : slot.nextCheckAt().toEpochMilli(), slot.id())));
      default -> Redis.await(redisCommands.zrem(DUE, slot.id()))
        .compose(v -> Redis.await(redisCommands.zrem(CHECKS, slot.id())));
    };
    return done.<Void>mapEmpty().recover(failure -> {
      log.warn("slot {} not indexed in Redis; the sweep puts it right", slot.id(), failure);
      return Future.succeededFuture();
    });
  }

  /** {@code slot.status} to the post's department and the account's editors; a missed slot also as {@code slot.missed}. */
  private Future<Void> announce(Slot slot) {
    Event.Audience audience = new Event.Audience(Set.of(), Set.of(slot.departmentId()), Set.of(slot.accountId()),
      Set.of());
    var data = slot.toJson(hold.heldNow());
    Future<Void> status = events.publish(new Event("slot.status", data, audience));
    Future<Void> missed = slot.status() == SlotStatus.MISSED
      ? events.publish(new Event("slot.missed", data, audience)) : Future.succeededFuture();
    return Future.all(status, missed).<Void>mapEmpty().recover(failure -> {
      log.warn("event for slot {} not sent", slot.id(), failure);
      return Future.succeededFuture();
    });
  }

  Instant now() {
    return clock.instant();
  }
}
