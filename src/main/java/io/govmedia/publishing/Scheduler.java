package io.govmedia.publishing;

import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountStore;
import io.govmedia.checks.Finding;
import io.govmedia.content.PostView;
import io.govmedia.content.Posts;
import io.govmedia.platform.Config;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Redis;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;


/**
 * Sends each due slot exactly once, however many instances run. MongoDB holds the truth; Redis says what is due
 * ({@link Slots#DUE}), what to ask the channel about ({@link Slots#CHECKS}) and what is being sent
 * ({@link #INFLIGHT}). An instance takes a slot with a Redis lease ({@code SET NX PX}, renewed while it sends) and
 * then the slot's guarded write to {@code publishing}; only the winner of both sends. A send whose outcome is unknown
 * is never sent again by itself: it becomes {@code needs_check} and is resolved by asking the channel. The stuck
 * sweep hands slots whose instance died (lease gone) on, so that nothing stays {@code publishing} unowned.
 */
final class Scheduler {

  static final String INFLIGHT = Redis.PREFIX + "publishing:inflight";
  static final String LEASE = Redis.PREFIX + "publishing:lease:";
  /** {@code accountId:publishId} → slot id of a submitted free publish, for its PUBLISHJOBFINISH callback. */
  static final String PUBLISH_JOB = Redis.PREFIX + "publishing:job:";
  /** WeChat's callback comes within minutes; a mapping lost or expired only means the slot waits for its next check. */
  static final Duration PUBLISH_JOB_KEPT = Duration.ofDays(1);
  /** How long a post's or an account's publication recorded by this instance is not written again. */
  static final Duration RECORDED_FOR = Duration.ofMinutes(1);

  static final int MAX_ATTEMPTS = 5;
  static final Duration DUE_EVERY = Duration.ofMillis(250);
  static final Duration CHECKS_EVERY = Duration.ofSeconds(1);
  static final Duration SWEEP_EVERY = Duration.ofSeconds(15);
  static final Duration RECONCILE_EVERY = Duration.ofMinutes(1);
  static final Duration MAX_CHECK_DELAY = Duration.ofMinutes(10);
  /** A channel with no trace of a send this long after it started did not publish it. */
  static final Duration NOT_FOUND_AFTER = Duration.ofMinutes(10);
  /** How long the due path reuses a post, its recheck findings and an account read for another slot. */
  static final Duration CACHED_FOR = Duration.ofSeconds(5);

  private static final String RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then "
    + "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
  private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then "
    + "return redis.call('del', KEYS[1]) else return 0 end";
  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

  private final Vertx vertx;
  private final Redis redis;
  private final Slots slots;
  private final Supplier<Posts> posts;
  private final AccountStore accounts;
  private final Map<String, Publisher> publishers;
  private final MassQuota quota;
  private final Hold hold;
  private final Inspection inspection;
  private final Config.Publishing settings;
  private final String instanceId = Ids.newId();
  private final AtomicInteger sending = new AtomicInteger();
  /** The renewal timer of each lease this instance holds. */
  private final Map<String, Long> renewals = new java.util.concurrent.ConcurrentHashMap<>();
  /*
   * Short-lived per-instance caches of the due path: a burst of slots of the same posts (one per account) reads each
   * post, rechecks it and reads each account once instead of once per slot. ContentChecks does not expose its lists'
   * version, so a findings entry may miss a list change for up to CACHED_FOR; that staleness is accepted. A post
   * edited meanwhile is a new version (its slots are unscheduled) and is keyed apart. Only what lets a send go on is
   * kept: a refusal (blocking findings, an account not active, a post not sendable) is read again every time, so
   * that a slot retried after the editor or an admin put it right goes out at once.
   */
  private final Recent<String, PostView> postCache = new Recent<>(CACHED_FOR);
  private final Recent<String, List<Finding>> findingsCache = new Recent<>(CACHED_FOR);
  private final Recent<String, Account> accountCache = new Recent<>(CACHED_FOR);
  private final Recent<String, PostView> checkedPosts = new Recent<>(CACHED_FOR);
  /* What afterPublished already wrote from this instance: a burst of sends of one post (or to one account) writes
   * it once. The inspection guard counts calendar days, so an account is skipped only for a publication of the same
   * day (its recorded time may then lag by up to RECORDED_FOR). */
  private final Recent<String, Boolean> postsPublished = new Recent<>(RECORDED_FOR);
  private final Recent<String, Boolean> accountsPublished = new Recent<>(RECORDED_FOR);
  private volatile boolean closed;

  Scheduler(Vertx vertx, Redis redis, Slots slots, Supplier<Posts> posts, AccountStore accounts,
            Map<String, Publisher> publishers, MassQuota quota, Hold hold, Inspection inspection,
            Config.Publishing settings) {
    this.vertx = vertx;
    this.redis = redis;
    this.slots = slots;
    this.posts = posts;
    this.accounts = accounts;
    this.publishers = publishers;
    this.quota = quota;
    this.hold = hold;
    this.inspection = inspection;
    this.settings = settings;
  }

  /** Rebuilds Redis from MongoDB once, then runs the loops, each waiting for its own last pass. */
  Future<Void> start() {
    vertx.eventBus().<JsonObject>consumer(io.govmedia.wechat.WeChatFeature.PUBLISH_JOB_ADDRESS, message -> publishJobFinished(message.body()));
    return reconcile().<Void>mapEmpty().onComplete(done -> {
      loop("due", DUE_EVERY, this::duePass);
      loop("checks", CHECKS_EVERY, this::checksPass);
      loop("stuck", SWEEP_EVERY, this::stuckSweep);
      loop("reconcile", RECONCILE_EVERY, this::reconcile);
    });
  }

  void close() {
    closed = true;
  }

  private void loop(String name, Duration every, Supplier<Future<?>> pass) {
    vertx.setTimer(every.toMillis(), tick -> {
      if (closed) {
        return;
      }
      pass.get().onComplete(done -> {
        if (done.failed()) {
          log.warn("publishing {} pass failed; it runs again in {}", name, every, done.cause());
        }
        loop(name, every, pass);
      });
    });
  }

  // Due slots

  private Future<?> duePass() {
    int free = settings.concurrency() - sending.get();
    if (free <= 0) {
      return Future.succeededFuture();
    }
    // Several instances read the same head of the set: each reads more than it can take and tries them in its own
    // random order, so that they mostly take different slots instead of all racing for the same leases.
    return hold.current().compose(state -> state.held() ? Future.succeededFuture(List.<String>of()) : Redis.await(
        redis.commands().zrangebyscore(Slots.DUE, Range.create(0, slots.now().toEpochMilli()), Limit.create(0, free * 4L))))
      .compose(ids -> {
        List<String> order = new java.util.ArrayList<>(ids);
        java.util.Collections.shuffle(order);
        return Future.join(order.stream().limit(free)
          .map(id -> acquire(id).map(got -> got ? id : null).otherwise((String) null)).toList());
      })
      .compose(tried -> {
        List<String> leased = tried.<String>list().stream().filter(java.util.Objects::nonNull).toList();
        // counted from here, so that the next pass takes no more than the concurrency allows
        sending.addAndGet(leased.size());
        // the leased slots read in one query, a burst of due slots costing one read instead of one each
        return leased.isEmpty() ? Future.succeededFuture() : slots.store().written(leased)
          .recover(failure -> Future.join(leased.stream().map(this::giveBack).toList())
            .transform(v -> Future.failedFuture(failure)))
          .map(found -> {
            // not awaited: the next pass starts while these prepare (a WeChat draft takes a few calls), so that a
            // slow one never holds up the rest
            leased.forEach(id -> takeDue(id, found.get(id))
              .onFailure(failure -> log.warn("due slot {} not taken now; it is tried again", id, failure)));
            return null;
          });
      });
  }

  /** Releases a due slot's lease without sending it, and its place in the concurrency. */
  private Future<Void> giveBack(String slotId) {
    sending.decrementAndGet();
    return release(slotId);
  }

  /** A due slot whose lease this instance holds, as last written (null when unknown). */
  private Future<Void> takeDue(String slotId, Slot written) {
    return (written == null ? Redis.await(redis.commands().zrem(Slots.DUE, slotId)).map(false) : prepare(written))
      // a move refused by a claim may meet one whose writer died: reading the slot rolls it forward for next time
      .transform(done -> (done.failed() && SlotStore.isChanged(done.cause())
          ? slots.store().find(slotId).<Void>mapEmpty().recover(failure -> Future.<Void>succeededFuture())
          : Future.<Void>succeededFuture())
        .compose(rolled -> done.succeeded() && done.result() ? Future.<Void>succeededFuture()
          : giveBack(slotId).compose(v -> done.failed() && !SlotStore.isChanged(done.cause())
            ? Future.failedFuture(done.cause()) : Future.<Void>succeededFuture())));
  }

  /** Every check before a send; answers true once the send is under way (it then owns the lease). */
  private Future<Boolean> prepare(Slot slot) {
    Instant now = slots.now();
    if (slot.status() != SlotStatus.SCHEDULED || slot.dueAt().isAfter(now)) {
      return slots.index(slot).map(false);
    }
    if (Duration.between(slot.dueAt(), now).compareTo(settings.grace()) > 0) {
      return slots.move(slot, SlotStatus.MISSED, Slots.SYSTEM, "超过宽限时间仍未发出，请编辑决定是否重新排期", s -> s).map(false);
    }
    String postKey = slot.postId() + ":" + slot.postVersion();
    return postCache.get(postKey, () -> posts.get().find(slot.postId()),
      found -> found != null && found.version() == slot.postVersion() && found.sendable()).compose(post -> {
      if (post == null || post.version() != slot.postVersion() || !post.sendable()) {
        return slots.move(slot, SlotStatus.CANCELLED, Slots.SYSTEM, "稿件已修改或不再可发布，排期已取消", s -> s).map(false);
      }
      return findingsCache.get(postKey, () -> posts.get().recheck(post),
        found -> found.stream().noneMatch(Finding::blocks)).compose(findings -> {
        List<Finding> blocking = findings.stream().filter(Finding::blocks).toList();
        if (!blocking.isEmpty()) {
          JsonArray listed = new JsonArray();
          blocking.forEach(f -> listed.add(f.toJson()));
          return fail(slot, Slot.error("content-check-failed", "发送前复查发现须处理的问题，未发送").put("findings", listed));
        }
        return account(slot.accountId()).compose(account -> account == null
          || account.status() != Account.Status.ACTIVE
          ? fail(slot, Slot.error("account-unavailable", "账号不存在或已停用，未发送"))
          : takeQuota(slot, account, now).compose(placed -> placed == null
            ? Future.succeededFuture(false)
            : claim(placed, post, account, now)));
      });
    });
  }

  /** The account, read again unless an active one was read in the last seconds. */
  private Future<Account> account(String accountId) {
    return accountCache.get(accountId, () -> accounts.find(accountId),
      found -> found != null && found.status() == Account.Status.ACTIVE);
  }

  private Future<Boolean> fail(Slot slot, JsonObject error) {
    return slots.move(slot, SlotStatus.FAILED, Slots.SYSTEM, error.getString("message"), s -> s.withError(error))
      .map(false);
  }

  /** A mass send counts in the period of the day it actually goes out; null when that period has no place left. */
  private Future<Slot> takeQuota(Slot slot, Account account, Instant now) {
    if (!"mass".equals(slot.mode())) {
      return Future.succeededFuture(slot);
    }
    String period = MassQuota.period(account, now);
    if (period.equals(slot.quotaPeriod())) {
      return Future.succeededFuture(slot);
    }
    return quota.take(account, period, slot.id())
      .compose(v -> quota.release(account.id(), slot.quotaPeriod(), slot.id()))
      .map(v -> slot.withQuotaPeriod(period))
      .recover(failure -> failure instanceof Problem p && "mass-quota-exceeded".equals(p.code())
        ? fail(slot, Slot.error(p.code(), p.getMessage())).map((Slot) null)
        : Future.failedFuture(failure));
  }

  /**
   * Claims the slot ({@code publishing}) and starts its send. What the publisher can prepare without sending anything
   * (WeChat's uploads and draft) is done first, under the lease while the slot is still {@code scheduled}, and its
   * state, marked as sending, goes into the claim: one write instead of a claim and then a {@code sending} write. A
   * crash while preparing leaves the slot scheduled (its lease runs out and it is taken again, as a slot rescued
   * before sending would be); once claimed it may have gone out, and is only ever checked. A preparation that fails is
   * left to the publisher's own send, which reports it as it always has.
   */
  private Future<Boolean> claim(Slot slot, PostView post, Account account, Instant now) {
    Publisher publisher = publishers.get(slot.channel());
    Slot starting = slot.started(now).withQuotaPeriod(slot.quotaPeriod());
    return prepared(publisher, starting, post, account)
      .compose(state -> slots.move(slot, SlotStatus.PUBLISHING, Slots.SYSTEM, "开始第 " + (slot.attempt() + 1) + " 次发送",
          s -> state == null ? s.started(now).withQuotaPeriod(slot.quotaPeriod())
            : s.started(now).withQuotaPeriod(slot.quotaPeriod()).withState(state))
        .compose(claimed -> Redis.await(redis.commands().sadd(INFLIGHT, claimed.id())).map(claimed))
        .map(claimed -> {
          send(claimed, post, account, state != null);
          return true;
        }));
  }

  /** The publisher's preparation, or null when it has none or it failed (its send then prepares and reports). */
  private Future<JsonObject> prepared(Publisher publisher, Slot starting, PostView post, Account account) {
    try {
      return publisher.prepare(sendOf(starting, post, account, new AtomicReference<>(starting)))
        .otherwise(failure -> null);
    } catch (RuntimeException e) {
      return Future.succeededFuture();
    }
  }

  private void send(Slot slot, PostView post, Account account, boolean prepared) {
    AtomicReference<Slot> current = new AtomicReference<>(slot);
    Publisher publisher = publishers.get(slot.channel());
    Future<Outcome> outcome;
    try {
      Send send = sendOf(slot, post, account, current);
      outcome = prepared ? publisher.sendPrepared(send) : publisher.send(send);
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    outcome.recover(failure -> asOutcome(slot.id(), failure))
      .compose(result -> apply(current.get(), result))
      .onFailure(failure -> log.warn("outcome of slot {} not recorded; the stuck sweep takes it over", slot.id(), failure))
      .onComplete(done -> {
        sending.decrementAndGet();
        Redis.await(redis.commands().srem(INFLIGHT, slot.id()))
          .onComplete(v -> release(slot.id()));
      });
  }

  Send sendOf(Slot slot, PostView post, Account account, AtomicReference<Slot> current) {
    String pageUrl = settings.publicBaseUrl() + "/p/" + slot.postId() + "?s=" + slot.id();
    return new Send(slot.id(), slot.attempt(), slot.channel(), slot.mode(), post, account, slot.clientMsgId(),
      slot.rip(), pageUrl, slot.state().copy(),
      learned -> slots.record(current.get(), s -> s.withState(learned)).onSuccess(current::set).mapEmpty());
  }

  /** A publisher's failed future: unknown once the publishing call may have left, else known not to have published. */
  private Future<Outcome> asOutcome(String slotId, Throwable failure) {
    return slots.store().find(slotId).map(slot -> slot != null && slot.sending()
      ? new Outcome.Unknown("send-error", String.valueOf(failure.getMessage()), new JsonObject())
      : new Outcome.Failed("send-error", String.valueOf(failure.getMessage()), true, Duration.ZERO));
  }

  /** Records what a send answered. */
  private Future<Slot> apply(Slot slot, Outcome outcome) {
    Instant now = slots.now();
    if (outcome instanceof Outcome.Published p) {
      return published(slot, p);
    }
    if (outcome instanceof Outcome.Pending p) {
      return slots.record(slot, s -> s.withState(p.state()).withNextCheckAt(now.plus(p.checkAfter())))
        .compose(this::rememberPublishJob);
    }
    if (outcome instanceof Outcome.Failed f) {
      JsonObject error = Slot.error(f.code(), f.message());
      return f.retryable() && slot.attempt() < MAX_ATTEMPTS
        ? slots.move(slot, SlotStatus.SCHEDULED, Slots.SYSTEM, "发送未成功（" + f.message() + "），稍后自动重试",
          s -> s.withoutSending().withError(error).withDueAt(now.plus(max(f.retryAfter(), backoff(slot.attempt())))))
        : slots.move(slot, SlotStatus.FAILED, Slots.SYSTEM, f.message(), s -> s.withError(error));
    }
    if (outcome instanceof Outcome.Unknown u) {
      return slots.move(slot, SlotStatus.NEEDS_CHECK, Slots.SYSTEM, "发送结果不明（" + u.message() + "），正在向平台核实，不会自动重发",
        s -> s.withState(u.state()).withError(Slot.error(u.code(), u.message()))
          .withNextCheckAt(now.plus(Duration.ofMinutes(1))));
    }
    // NotFound answers a check, not a send: treat it as known not sent
    return slots.move(slot, SlotStatus.SCHEDULED, Slots.SYSTEM, ((Outcome.NotFound) outcome).message(),
      s -> s.withoutSending().withDueAt(now.plus(backoff(slot.attempt()))));
  }

  private Future<Slot> published(Slot slot, Outcome.Published p) {
    Instant now = slots.now();
    JsonObject result = new JsonObject().put("channelId", p.channelId()).put("url", p.url())
      .put("publishedAt", io.govmedia.platform.Times.show(now));
    // It is out on the channel: the post and the account learn it first, so that whoever sees the slot published
    // also finds the post public and the account's inspection current.
    return afterPublished(slot, now).compose(v -> slots.move(slot, SlotStatus.PUBLISHED, Slots.SYSTEM, "已发布",
      s -> s.withState(p.state()).withResult(result)));
  }

  /**
   * The post's first publication makes it public; the account's last publication feeds the inspection guard. A post
   * edited while its send was under way is a new draft that cannot become published: the send is out all the same,
   * and failing here would leave the slot unpublished for ever, checked again and again (a mass send re-sent).
   */
  Future<Void> afterPublished(Slot slot, Instant at) {
    return postsPublished.get(slot.postId(), () -> posts.get().published(slot.postId(), at).map(true))
      .recover(failure -> {
        if (failure instanceof Problem p && "wrong-status".equals(p.code())) {
          log.warn("slot {} is out but its post {} was edited meanwhile: the post stays unpublished", slot.id(),
            slot.postId());
          return Future.succeededFuture(false);
        }
        return Future.failedFuture(failure);
      })
      .compose(v -> accountsPublished.get(slot.accountId() + ":" + java.time.LocalDate.ofInstant(at, io.govmedia.platform.Times.ZONE),
        () -> inspection.published(slot.accountId(), at).map(true)))
      .mapEmpty();
  }

  static Duration backoff(int attempt) {
    return Duration.ofMinutes(1L << Math.max(0, Math.min(attempt - 1, 4)));
  }

  private static Duration max(Duration a, Duration b) {
    return a != null && a.compareTo(b) > 0 ? a : b;
  }

  private Future<Slot> rememberPublishJob(Slot slot) {
    String publishId = slot.state().getValue("publishId") == null ? null : String.valueOf(slot.state().getValue("publishId"));
    if (publishId == null) {
      return Future.succeededFuture(slot);
    }
    // Kept in Redis, not MongoDB: one write less per slot, and losing it only delays the result to the next check.
    return Redis.await(redis.commands().set(PUBLISH_JOB + slot.accountId() + ":" + publishId, slot.id(),
        SetArgs.Builder.px(PUBLISH_JOB_KEPT.toMillis())))
      .map(slot)
      .recover(failure -> {
        log.warn("publish job {} of slot {} not remembered; its next check finds the result", publishId, slot.id(), failure);
        return Future.succeededFuture(slot);
      });
  }

  /** PUBLISHJOBFINISH: the slot of that publish job is checked at once instead of at its next check time. */
  private void publishJobFinished(JsonObject job) {
    Object publishId = job == null ? null : job.getValue("publishId");
    if (publishId == null || job.getString("accountId") == null) {
      return;
    }
    Redis.await(redis.commands().get(PUBLISH_JOB + job.getString("accountId") + ":" + publishId))
      .compose(slotId -> slotId == null ? Future.succeededFuture()
        : Redis.await(redis.commands().zadd(Slots.CHECKS, 0, slotId)))
      .onFailure(failure -> log.warn("publish job {} not matched to a slot", publishId, failure));
  }

  // Checks

  private Future<?> checksPass() {
    return Redis.await(redis.commands().zrangebyscore(Slots.CHECKS, Range.create(0, slots.now().toEpochMilli()),
        Limit.create(0, settings.concurrency())))
      .compose(ids -> Future.join(ids.stream().map(this::check).toList()));
  }

  private Future<Void> check(String slotId) {
    return acquire(slotId).compose(got -> !got ? Future.<Void>succeededFuture()
      : slots.store().find(slotId).compose(this::askChannel)
        .transform(done -> release(slotId).compose(v -> done.failed() && !SlotStore.isChanged(done.cause())
          ? Future.failedFuture(done.cause()) : Future.<Void>succeededFuture())));
  }

  private Future<Void> askChannel(Slot slot) {
    if (slot == null) {
      return Future.succeededFuture();
    }
    boolean awaiting = slot.status() == SlotStatus.NEEDS_CHECK
      || slot.status() == SlotStatus.PUBLISHING && slot.nextCheckAt() != null;
    if (!awaiting) {
      return slots.index(slot);
    }
    // a check reads the post only to match the article and the account to call WeChat: a read of the last seconds does
    return Future.all(checkedPosts.get(slot.postId(), () -> posts.get().find(slot.postId())),
      account(slot.accountId())).compose(found -> {
      PostView post = found.resultAt(0);
      Account account = found.resultAt(1);
      AtomicReference<Slot> current = new AtomicReference<>(slot);
      return publishers.get(slot.channel()).check(sendOf(slot, post, account, current))
        .recover(failure -> Future.succeededFuture(new Outcome.Unknown("check-error", failure.getMessage(), null)))
        .compose(outcome -> checked(current.get(), outcome));
    }).mapEmpty();
  }

  private Future<Slot> checked(Slot slot, Outcome outcome) {
    Instant now = slots.now();
    if (outcome instanceof Outcome.Published p) {
      return published(slot, p);
    }
    // The channel's final no (a free publish job WeChat failed or refused in audit). A mass check re-asks with the
    // clientMsgId, and a refusal of that repeat proves nothing about the first send: it is asked again.
    if (outcome instanceof Outcome.Failed f && !f.retryable() && !"mass".equals(slot.mode())) {
      return slots.move(slot, SlotStatus.FAILED, Slots.SYSTEM, f.message(), s -> s.withError(Slot.error(f.code(), f.message())));
    }
    if (outcome instanceof Outcome.NotFound n && (slot.startedAt() == null
      || slot.startedAt().plus(NOT_FOUND_AFTER).isBefore(now))) {
      return slots.move(slot, SlotStatus.FAILED, Slots.SYSTEM, "平台上没有找到这次发送：未发布，可重试",
        s -> s.withError(Slot.error("not-published", n.message())));
    }
    // pending, unknown, or not found yet: ask again later, less and less often
    int checks = slot.state().getInteger("checks", 0) + 1;
    JsonObject learned = outcome instanceof Outcome.Pending p ? p.state()
      : outcome instanceof Outcome.Unknown u ? u.state() : null;
    return slots.record(slot, s -> s.withState(learned).withState(new JsonObject().put("checks", checks))
      .withNextCheckAt(now.plus(min(backoff(checks), MAX_CHECK_DELAY))));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }

  // Stuck slots and reconciling Redis with MongoDB

  /** Slots being sent by an instance whose lease is gone (it died): on to needs_check if the send may have left. */
  private Future<?> stuckSweep() {
    return Redis.await(redis.commands().smembers(INFLIGHT))
      .compose(ids -> Future.join(ids.stream().map(this::rescueIfOrphaned).toList()));
  }

  private Future<Void> rescueIfOrphaned(String slotId) {
    return Redis.await(redis.commands().exists(LEASE + slotId)).compose(leased -> leased > 0
      ? Future.<Void>succeededFuture()
      : acquire(slotId).compose(got -> !got ? Future.<Void>succeededFuture()
        : slots.store().find(slotId).compose(this::rescue)
          .compose(v -> Redis.await(redis.commands().srem(INFLIGHT, slotId)).<Void>mapEmpty())
          .transform(done -> release(slotId).compose(v -> done.failed() ? Future.failedFuture(done.cause())
            : Future.<Void>succeededFuture()))));
  }

  private Future<Void> rescue(Slot slot) {
    if (slot == null || slot.status() != SlotStatus.PUBLISHING || slot.nextCheckAt() != null) {
      return Future.succeededFuture();
    }
    Instant now = slots.now();
    Future<Slot> moved = slot.sending()
      ? slots.move(slot, SlotStatus.NEEDS_CHECK, Slots.SYSTEM, "发送中的实例中断，发送结果不明，正在向平台核实",
        s -> s.withNextCheckAt(now))
      : slots.move(slot, SlotStatus.SCHEDULED, Slots.SYSTEM, "发送中的实例中断，尚未发出，重新排入发送", s -> s.withDueAt(now));
    return moved.mapEmpty();
  }

  /** One scan of the slots the scheduler watches: Redis is rebuilt from it at start and corrected every minute. */
  Future<?> reconcile() {
    return slots.store().inStatus(SlotStatus.WATCHED).compose(found -> Future.join(found.stream()
      .map(slot -> slot.status() == SlotStatus.PUBLISHING && slot.nextCheckAt() == null
        ? Redis.await(redis.commands().sadd(INFLIGHT, slot.id()))
        : slots.index(slot))
      .toList()));
  }

  // Leases

  /**
   * Takes the slot's lease and keeps renewing it until {@link #release}: from the start, not only while the send
   * runs, so that a slow preparation (a loaded store) never lets the stuck sweep take over a slot still being sent.
   */
  private Future<Boolean> acquire(String slotId) {
    return Redis.await(redis.commands().set(LEASE + slotId, instanceId,
      SetArgs.Builder.nx().px(settings.lease().toMillis()))).map("OK"::equals).onSuccess(got -> {
        if (got) {
          Long earlier = renewals.put(slotId,
            vertx.setPeriodic(Math.max(100, settings.lease().toMillis() / 3), t -> renew(slotId)));
          if (earlier != null) {
            vertx.cancelTimer(earlier);
          }
        }
      });
  }

  private void renew(String slotId) {
    Redis.await(redis.commands().<Long>eval(RENEW, ScriptOutputType.INTEGER, new String[]{LEASE + slotId}, instanceId,
        String.valueOf(settings.lease().toMillis())))
      .onFailure(failure -> log.warn("lease of slot {} not renewed", slotId, failure));
  }

  private Future<Void> release(String slotId) {
    Long renewal = renewals.remove(slotId);
    if (renewal != null) {
      vertx.cancelTimer(renewal);
    }
    return Redis.await(redis.commands().<Long>eval(RELEASE, ScriptOutputType.INTEGER, new String[]{LEASE + slotId},
      instanceId)).<Void>mapEmpty().recover(failure -> Future.succeededFuture());
  }

  /** Values read at most {@code ttl} ago, shared by concurrent readers of the same key; failures are not kept. */
  static final class Recent<K, V> {
    private record Entry<V>(Future<V> value, long until) { }

    private final java.util.concurrent.ConcurrentHashMap<K, Entry<V>> entries = new java.util.concurrent.ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int maxEntries;

    Recent(Duration ttl) {
      this(ttl, 10_000);
    }

    Recent(Duration ttl, int maxEntries) {
      this.ttlNanos = ttl.toNanos();
      this.maxEntries = maxEntries;
    }

    Future<V> get(K key, Supplier<Future<V>> read) {
      return get(key, read, value -> true);
    }

    /** As {@link #get(Object, Supplier)}, keeping only values that pass {@code keep}. */
    Future<V> get(K key, Supplier<Future<V>> read, java.util.function.Predicate<V> keep) {
      long now = System.nanoTime();
      Entry<V> entry = entries.get(key);
      if (entry != null && entry.until - now > 0) {
        return entry.value;
      }
      if (entries.size() >= maxEntries) {
        entries.values().removeIf(e -> e.until - now <= 0);
        if (entries.size() >= maxEntries) {
          return read.get();  // full of live entries: read without keeping, memory stays bounded
        }
      }
      Future<V> value = read.get();
      Entry<V> created = new Entry<>(value, now + ttlNanos);
      entries.put(key, created);
      value.onComplete(done -> {
        if (done.failed() || !keep.test(done.result())) {
          entries.remove(key, created);
        }
      });
      return value;
    }
  }
}
