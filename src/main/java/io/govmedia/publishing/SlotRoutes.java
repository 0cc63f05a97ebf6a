package io.govmedia.publishing;

import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountAccess;
import io.govmedia.accounts.AccountType;
import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.govmedia.content.PostView;
import io.govmedia.content.Posts;
import io.govmedia.platform.Idempotency;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Input;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Redis;
import io.govmedia.platform.Reply;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/posts/{id}/slots}: editors schedule an approved post on a channel account, cancel or reschedule it
 * until its send starts, and after a send retry it, mark it published (they saw it on the channel) or withdraw it.
 */
final class SlotRoutes {

  static final Map<String, AccountType> CHANNELS = Map.of("wechat", AccountType.WECHAT_MP, "weibo", AccountType.WEIBO,
    "miniapp", AccountType.WECHAT_MINIAPP);
  private static final Set<String> MODES = Set.of("freepublish", "mass");
  private static final Duration PAST_TOLERANCE = Duration.ofMinutes(1);

  private final Slots slots;
  private final Supplier<Posts> posts;
  private final AccountAccess access;
  private final MassQuota quota;
  private final Hold hold;
  private final Idempotency idempotency;
  private final Map<String, Publisher> publishers;
  private final Scheduler scheduler;

  SlotRoutes(Slots slots, Supplier<Posts> posts, AccountAccess access, MassQuota quota, Hold hold, Redis redis,
             Map<String, Publisher> publishers, Scheduler scheduler) {
    this.slots = slots;
    this.posts = posts;
    this.access = access;
    this.quota = quota;
    this.hold = hold;
    this.idempotency = new Idempotency(redis, "publishing", "排期");
    this.publishers = publishers;
    this.scheduler = scheduler;
  }

  void mount(Router root) {
    root.post("/api/v1/posts/:id/slots").handler(this::create);
    root.get("/api/v1/posts/:id/slots").handler(this::list);
    root.delete("/api/v1/posts/:id/slots/:slotId").handler(this::cancel);
    root.patch("/api/v1/posts/:id/slots/:slotId").handler(this::reschedule);
    root.post("/api/v1/posts/:id/slots/:slotId/retry").handler(this::retry);
    root.post("/api/v1/posts/:id/slots/:slotId/mark-published").handler(this::markPublished);
    root.post("/api/v1/posts/:id/slots/:slotId/withdraw").handler(this::withdraw);
  }

  // Scheduling

  record Request(String channel, String accountId, String mode, Instant at) {
  }

  private void create(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.EDITOR, Role.ADMIN);
    Input input = Input.of(ctx);
    String channel = input.oneOf("channel", CHANNELS.keySet());
    String accountId = input.string("accountId", 64);
    String mode = "wechat".equals(channel) ? input.oneOf("mode", MODES) : null;
    if (!"wechat".equals(channel) && input.has("mode")) {
      input.error("mode", "只有微信公众号排期可以选择 mode");
    }
    Instant at = input.optionalInstant("at");
    input.validate();
    Instant when = notPast(at);
    String key = Idempotency.key(ctx);
    Request request = new Request(channel, accountId, mode, when);
    String postId = ctx.pathParam("id");
    String address = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().host();
    idempotent(principal, key, postId, request, slotId -> schedule(principal, postId, request, slotId, address, key))
      .onSuccess(slot -> Reply.created(ctx, present(slot)))
      .onFailure(ctx::fail);
  }

  private Instant notPast(Instant at) {
    Instant now = slots.now();
    if (at == null) {
      return now;
    }
    if (at.isBefore(now.minus(PAST_TOLERANCE))) {
      throw new Problem(422, "at-in-past", "发布时间已过", "请选择现在或以后的时间。");
    }
    return at.isBefore(now) ? now : at;
  }

  /**
   * A repeat with the same {@code Idempotency-Key} by the same staff member answers the slot the first made when it
   * names the same post, channel, account and mode (its time may differ: the first request's slot stands).
   */
  private Future<Slot> idempotent(Principal principal, String key, String postId, Request request,
                                  java.util.function.Function<String, Future<Slot>> make) {
    String fingerprint = Idempotency.fingerprint(postId, request.channel(), request.accountId(), request.mode());
    return idempotency.once(principal.staffId(), key, fingerprint, make, slots.store()::find);
  }

  private Future<Slot> schedule(Principal principal, String postId, Request request, String slotId, String address,
                                String key) {
    return posts.get().visible(principal, postId)
      .compose(post -> access.manageable(principal, request.accountId())
        .compose(account -> checkFits(post, account, request)
          .compose(v -> {
            Slot slot = newSlot(slotId, post, account, request, principal, address, key);
            // the place is taken for good only once the slot exists; a refusal after it (quota) gives it up
            return slots.takePlace(slot).compose(v2 -> place(slot, account, request.at())
              .compose(placed -> slots.store().insert(placed)
                .recover(failure -> quota.release(account.id(), placed.quotaPeriod(), slotId)
                  .transform(x -> Future.failedFuture(failure))))
              .recover(failure -> slots.releasePlace(slot).transform(x -> Future.failedFuture(failure))))
              .compose(slots::created);
          })));
  }

  private static Future<Void> checkFits(PostView post, Account account, Request request) {
    if (!post.sendable()) {
      return Future.failedFuture(Problem.conflict("post-not-approved", "稿件尚未通过审核", "只有通过审核的版本可以排期发布。"));
    }
    if (account.status() != Account.Status.ACTIVE) {
      return Future.failedFuture(new Problem(422, "account-inactive", "账号已停用", "停用或注销的账号不能排期发布。"));
    }
    if (CHANNELS.get(request.channel()) != account.type()) {
      return Future.failedFuture(new Problem(422, "account-channel-mismatch", "账号与发布渠道不符",
        "渠道 " + request.channel() + " 需要" + CHANNELS.get(request.channel()).label() + "账号。"));
    }
    boolean hasVariant = switch (request.channel()) {
      case "wechat" -> post.wechat() != null;
      case "weibo" -> post.weibo() != null;
      default -> post.miniapp();
    };
    return hasVariant ? Future.succeededFuture()
      : Future.failedFuture(Problem.conflict("no-variant", "稿件没有该渠道的版本", "请先为稿件编写 " + request.channel() + " 版本。"));
  }

  private Slot newSlot(String id, PostView post, Account account, Request request, Principal principal, String address,
                       String key) {
    Instant now = slots.now();
    return new Slot(id, post.id(), post.version(), post.title(), post.departmentId(), request.channel(), account.id(),
      request.mode(), request.at(), request.at(), SlotStatus.SCHEDULED, 0, 0, null, id, address,
      principal.username(), key, new JsonObject(), null, null, null, null,
      List.of(new Slot.History(now, principal.username(), null, SlotStatus.SCHEDULED.wire(), "排期 " + Times.show(request.at()))),
      now);
  }

  /** A mass send takes its place in the quota of the period it is due in; other slots need none. */
  private Future<Slot> place(Slot slot, Account account, Instant at) {
    if (!"mass".equals(slot.mode())) {
      return Future.succeededFuture(slot);
    }
    String period = MassQuota.period(account, at);
    if (period.equals(slot.quotaPeriod()) && slot.status().holdsQuota()) {
      return Future.succeededFuture(slot);
    }
    return quota.take(account, period, slot.id()).map(v -> slot.withQuotaPeriod(period));
  }

  private void list(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    posts.get().visible(principal, ctx.pathParam("id"))
      .compose(post -> slots.store().ofPost(post.id()))
      .onSuccess(found -> {
        JsonArray items = new JsonArray();
        found.forEach(slot -> items.add(present(slot)));
        Reply.ok(ctx, new JsonObject().put("items", items).put("next", (String) null));
      })
      .onFailure(ctx::fail);
  }

  // Changing a slot

  /** The slot of the post, if the principal may change it: editors of its account and admins. */
  private Future<Target> target(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.EDITOR, Role.ADMIN);
    String postId = ctx.pathParam("id");
    return posts.get().visible(principal, postId)
      .compose(post -> Ids.lookup(ctx.pathParam("slotId"), slots.store()::find, "排期")
        .compose(slot -> slot.postId().equals(post.id()) ? Future.succeededFuture(slot)
          : Future.failedFuture(Problem.notFound("排期")))
        .compose(slot -> access.manageable(principal, slot.accountId())
          .map(account -> new Target(principal, post, slot, account))));
  }

  record Target(Principal principal, PostView post, Slot slot, Account account) {
  }

  private void cancel(RoutingContext ctx) {
    target(ctx).compose(t -> {
      requireNotStarted(t.slot());
      return slots.move(t.slot(), SlotStatus.CANCELLED, t.principal().username(), "编辑取消排期", s -> s);
    }).onSuccess(slot -> Reply.ok(ctx, present(slot))).onFailure(ctx::fail);
  }

  private void reschedule(RoutingContext ctx) {
    Input input = Input.of(ctx);
    Instant at = input.optionalInstant("at");
    input.validate();
    Instant when = notPast(at);
    Long expected = Input.ifMatch(ctx);
    target(ctx).compose(t -> {
      requireNotStarted(t.slot());
      Input.requireVersion(expected, t.slot().seq());
      return again(t, t.slot().withAt(when), "改期至 " + Times.show(when));
    }).onSuccess(slot -> Reply.ok(ctx, present(slot))).onFailure(ctx::fail);
  }

  /** Scheduled again (rescheduled, retried): a mass send takes its place in the quota of its new period first. */
  private Future<Slot> again(Target t, Slot changed, String note) {
    String before = t.slot().status().holdsQuota() ? t.slot().quotaPeriod() : null;
    return slots.takePlace(t.slot()).compose(v -> place(changed.status().holdsQuota() ? changed : changed.withQuotaPeriod(null), t.account(), changed.dueAt())
      .compose(placed -> slots.move(t.slot(), SlotStatus.SCHEDULED, t.principal().username(), note,
          s -> placed)
        .recover(failure -> placed.quotaPeriod() != null && !placed.quotaPeriod().equals(before)
          ? quota.release(t.account().id(), placed.quotaPeriod(), placed.id()).transform(x -> Future.failedFuture(failure))
          : Future.failedFuture(failure))
        .compose(moved -> before != null && !before.equals(moved.quotaPeriod())
          ? quota.release(t.account().id(), before, moved.id()).map(moved) : Future.succeededFuture(moved))));
  }

  private static void requireNotStarted(Slot slot) {
    if (slot.status().started()) {
      throw Problem.conflict("slot-started", "发送已开始，不能取消或改期", "当前状态：" + slot.status().label())
        .with("status", slot.status().wire());
    }
    if (slot.status() == SlotStatus.CANCELLED) {
      throw Problem.conflict("slot-cancelled", "排期已取消", null);
    }
  }

  /**
   * Failed and missed slots go out again now; a slot whose outcome was unknown only once the editor confirmed,
   * having looked at the channel, that it did not go out ({@code {"confirmed": true}}).
   */
  private void retry(RoutingContext ctx) {
    Input input = optionalBody(ctx);
    Boolean confirmed = input.optionalBoolean("confirmed");
    input.validate();
    target(ctx).compose(t -> {
      SlotStatus status = t.slot().status();
      if (status == SlotStatus.NEEDS_CHECK && !Boolean.TRUE.equals(confirmed)) {
        return Future.failedFuture(Problem.conflict("needs-check", "发送结果不明，请先到平台核实",
          "确认平台上没有这条内容后，请以 {\"confirmed\": true} 重试；若已发出，请标记为已发布。"));
      }
      if (status != SlotStatus.FAILED && status != SlotStatus.MISSED && status != SlotStatus.NEEDS_CHECK) {
        return Future.failedFuture(Problem.conflict("not-retryable", "当前状态（" + status.label() + "）不能重试", null)
          .with("status", status.wire()));
      }
      Slot fresh = t.slot().withAt(slots.now()).withoutSending().withNextCheckAt(null).withError(null);
      return again(t, fresh, status == SlotStatus.NEEDS_CHECK ? "编辑核实未发出后重试" : "编辑重试");
    }).onSuccess(slot -> Reply.ok(ctx, present(slot))).onFailure(ctx::fail);
  }

  /** A body is optional here; when one is sent as JSON it must be JSON. */
  private static Input optionalBody(RoutingContext ctx) {
    boolean none = ctx.request().getHeader("Content-Type") == null && (ctx.body() == null || ctx.body().length() <= 0);
    return none ? Input.of(new JsonObject()) : Input.of(ctx);
  }

  /** The editor saw it on the channel: a slot that failed or whose outcome was unknown is recorded as published. */
  private void markPublished(RoutingContext ctx) {
    Input input = Input.of(ctx);
    String url = input.optionalMatching("url", Pattern.compile("https?://\\S{1,2000}"), "http(s) 链接");
    String note = input.optionalText("note", 500);
    input.validate();
    target(ctx).compose(t -> {
      Slot slot = t.slot();
      if (slot.status() != SlotStatus.NEEDS_CHECK && slot.status() != SlotStatus.FAILED) {
        return Future.failedFuture(Problem.conflict("not-markable", "只有待核实或发布失败的排期可以标记为已发布", null)
          .with("status", slot.status().wire()));
      }
      Instant now = slots.now();
      JsonObject result = new JsonObject().put("channelId", (String) null).put("url", url)
        .put("publishedAt", Times.show(now)).put("markedBy", t.principal().username());
      return slots.move(slot, SlotStatus.PUBLISHED, t.principal().username(), note == null ? "编辑标记为已发布" : note,
          s -> s.withResult(result))
        .compose(done -> scheduler.afterPublished(done, now).map(done));
    }).onSuccess(slot -> Reply.ok(ctx, present(slot))).onFailure(ctx::fail);
  }

  /** Takes a published slot back from the channel (the mini-program just hides it). */
  private void withdraw(RoutingContext ctx) {
    Input input = Input.of(ctx);
    String reason = input.text("reason", 500);
    input.validate();
    target(ctx).compose(t -> {
      if (t.slot().status() != SlotStatus.PUBLISHED) {
        return Future.failedFuture(Problem.conflict("not-published", "只有已发布的排期可以撤回", null)
          .with("status", t.slot().status().wire()));
      }
      Send send = scheduler.sendOf(t.slot(), t.post(), t.account(), new java.util.concurrent.atomic.AtomicReference<>(t.slot()));
      return publishers.get(t.slot().channel()).withdraw(send)
        .recover(failure -> Future.failedFuture(failure instanceof Problem ? failure
          : new Problem(502, "withdraw-failed", "平台未能撤回", String.valueOf(failure.getMessage()))))
        .compose(v -> slots.move(t.slot(), SlotStatus.WITHDRAWN, t.principal().username(), "撤回：" + reason, s -> s));
    }).onSuccess(slot -> Reply.ok(ctx, present(slot))).onFailure(ctx::fail);
  }

  JsonObject present(Slot slot) {
    return slot.toJson(hold.heldNow());
  }
}
