package io.govmedia.inbox;

import io.govmedia.platform.GuardedStore;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Redis;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Makes cases of citizens' messages ({@link CaseIntake}), and of what staff enter. Idempotent on the source id: a
 * {@code case_sources} insert records what was decided for it (a new case with its id, or the case it joined), so
 * that a second try (the sweep, a retry) finishes the same decision instead of making a second case.
 *
 * <p>A WeChat message joins the citizen's open case on the same account that was created or joined in the last 30
 * minutes; the same citizen's same text within 24 hours is merged into the case that has it (a number is drawn and
 * stays reserved, unused, and the history says so). Both are found through Redis keys that expire with their
 * windows, checked against the case itself (the clock of the case decides, not Redis's): should Redis lose them,
 * the message makes a case of its own, which staff can link.
 */
final class Intake implements CaseIntake {

  private static final Logger log = LoggerFactory.getLogger(Intake.class);
  static final Duration JOIN_WINDOW = Duration.ofMinutes(30);
  static final Duration MERGE_WINDOW = Duration.ofHours(24);
  private static final String PREFIX = Redis.PREFIX + "inbox:";
  private static final DateTimeFormatter ANSWER_BY = DateTimeFormatter.ofPattern("yyyy年M月d日");
  private static final int TITLE_LENGTH = 30;
  /** How long a message waits for the case another message of the same citizen is creating, before making its own. */
  private static final int JOIN_WAIT_TRIES = 15;

  private final Vertx vertx;
  private final CaseStore store;
  private final CaseNumbers numbers;
  private final Deadlines deadlines;
  private final Routing routing;
  private final Assignment assignment;
  private final Deliveries deliveries;
  private final CaseChanges changes;
  private final Redis redis;
  private final Clock clock;

  Intake(Vertx vertx, CaseStore store, CaseNumbers numbers, Deadlines deadlines, Routing routing,
         Assignment assignment, Deliveries deliveries, CaseChanges changes, Redis redis, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.numbers = numbers;
    this.deadlines = deadlines;
    this.routing = routing;
    this.assignment = assignment;
    this.deliveries = deliveries;
    this.changes = changes;
    this.redis = redis;
    this.clock = clock;
  }

  /** What intake decided for a message: a new case, or the case it joins or merges into. */
  private record Plan(String kind, String caseId) {
    static final String NEW = "new";
    static final String JOIN = "join";
    static final String MERGE = "merge";
  }

  @Override
  public Future<Accepted> accept(Incoming incoming) {
    if (incoming.sourceId() == null) {
      return Future.failedFuture(new IllegalArgumentException("an incoming message needs its sourceId"));
    }
    // Most messages are new: decide and claim at once; only a claim that finds the source taken reads what was decided.
    return plan(incoming).compose(plan -> store.claimSource(incoming.sourceId(), plan.caseId(), plan.kind(), clock.instant())
      .compose(first -> first ? carryOut(plan, incoming, true) : store.source(incoming.sourceId()).compose(known ->
        known != null ? carryOut(new Plan(known.plan(), known.caseId()), incoming, false) : accept(incoming))));
  }

  // Deciding

  private Future<Plan> plan(Incoming incoming) {
    return joinable(incoming).compose(join -> join != null ? Future.succeededFuture(new Plan(Plan.JOIN, join))
      : repeated(incoming).map(merge -> merge != null ? new Plan(Plan.MERGE, merge) : new Plan(Plan.NEW, Ids.newId())));
  }

  /** The citizen's open case on this WeChat account, created or joined within 30 minutes; else null. */
  private Future<String> joinable(Incoming incoming) {
    String key = chatKey(incoming);
    if (key == null) {
      return Future.succeededFuture(null);
    }
    return Redis.await(redis.commands().get(key)).compose(id -> id == null ? Future.succeededFuture(null)
      : store.find(id).map(c -> c != null && canJoin(c, incoming) ? id : null))
      .recover(failure -> Future.succeededFuture(null));
  }

  private boolean canJoin(Case c, Incoming incoming) {
    return c.status().open() && c.channel() == Channel.WECHAT && c.accountId().equals(incoming.accountId())
      && incoming.citizen().openid().equals(c.citizen().openid())
      && !c.lastMessageAt().plus(JOIN_WINDOW).isBefore(received(incoming));
  }

  /** The case holding the same text from the same citizen within 24 hours; else null. */
  private Future<String> repeated(Incoming incoming) {
    String key = repeatKey(incoming);
    if (key == null) {
      return Future.succeededFuture(null);
    }
    return Redis.await(redis.commands().get(key)).compose(id -> id == null ? Future.succeededFuture(null)
      : store.find(id).map(c -> c != null && holds(c, incoming) ? id : null))
      .recover(failure -> Future.succeededFuture(null));
  }

  private boolean holds(Case c, Incoming incoming) {
    Instant since = received(incoming).minus(MERGE_WINDOW);
    return c.messages().stream().anyMatch(m -> m.text().equals(incoming.text().strip()) && !m.at().isBefore(since));
  }

  // Carrying out

  /** {@code fresh}: this call made the plan, so a new case's id cannot be taken yet (no read to find it). */
  private Future<Accepted> carryOut(Plan plan, Incoming incoming, boolean fresh) {
    return switch (plan.kind()) {
      case Plan.JOIN, Plan.MERGE -> addTo(plan, incoming);
      default -> fresh ? openNew(plan.caseId(), incoming) : open(plan.caseId(), incoming);
    };
  }

  /** Appends the message to the case (once: a second try finds it there), with a history step. */
  private Future<Accepted> addTo(Plan plan, Incoming incoming) {
    boolean merge = Plan.MERGE.equals(plan.kind());
    Future<String> reserved = merge ? numbers.next() : Future.succeededFuture(null);
    return reserved.compose(number -> store.update(plan.caseId(), c -> {
      if (c.messages().stream().anyMatch(m -> incoming.sourceId().equals(m.sourceId()))) {
        return null;
      }
      Instant now = clock.instant();
      Case.Step step = new Case.Step(Case.Step.CITIZEN, null, now, merge ? "merged" : "message", c.status(), c.status(),
        c.departmentId(), null, merge ? "24 小时内的重复留言已合并到本工单，编号 " + number + " 保留不用" : null);
      return c.change(step, e -> {
        e.messages.add(message(incoming));
        e.lastMessageAt = received(incoming);
        e.attachments.addAll(incoming.attachmentIds());
      });
    }, "intake")).compose(moved -> {
      if (moved == null) {
        // the case to join is gone (should not happen): make the message a case of its own
        return openNew(Ids.newId(), incoming);
      }
      Future<Case> followed = moved.changed() ? changes.followed(moved.before(), moved.after(), null)
        : Future.succeededFuture(moved.after());
      return followed.compose(c -> remember(c, incoming)).map(c -> new Accepted(c.id(), c.number(), true));
    });
  }

  /** A new case of the message, routed, assigned, acknowledged; the case already made when this is a second try. */
  private Future<Accepted> open(String caseId, Incoming incoming) {
    return store.find(caseId).compose(existing -> existing != null
      ? Future.succeededFuture(new Accepted(existing.id(), existing.number(), false))
      : openNew(caseId, incoming));
  }

  private Future<Accepted> openNew(String caseId, Incoming incoming) {
    return claimChat(caseId, incoming).compose(other -> other != null
      ? joinOrOpen(other, caseId, incoming, JOIN_WAIT_TRIES)
      : create(caseId, incoming));
  }

  /**
   * Another message of the same citizen is making a case right now (it holds the chat key): join that case once it
   * exists, or make one's own if it does not appear within a few seconds.
   */
  private Future<Accepted> joinOrOpen(String other, String caseId, Incoming incoming, int tries) {
    return store.find(other).compose(c -> {
      if (c != null) {
        return canJoin(c, incoming) ? addTo(new Plan(Plan.JOIN, other), incoming) : create(caseId, incoming);
      }
      if (tries <= 0) {
        return create(caseId, incoming);
      }
      Promise<Void> later = Promise.promise();
      vertx.setTimer(200, t -> later.complete());
      return later.future().compose(v -> joinOrOpen(other, caseId, incoming, tries - 1));
    });
  }

  private Future<Accepted> create(String caseId, Incoming incoming) {
    Category category = guessCategory(incoming.text());
    Case.Message first = message(incoming);
    String title = title(incoming.text());
    return numbers.next().compose(number -> {
      Case opened = Case.open(caseId, number, incoming.channel(), incoming.accountId(), incoming.citizen(), null,
        category, Urgency.NORMAL, title, first, null, false, incoming.replyTarget(), clock.instant());
      return start(opened, new Case.Step(Case.Step.CITIZEN, null, opened.createdAt(), "received", null,
        CaseStatus.DISPATCHING, null, null, incoming.channel().label()), incoming.text());
    }).compose(c -> remember(c, incoming)).map(c -> new Accepted(c.id(), c.number(), false));
  }

  /** The case with the next number of the year. */
  Future<Case> numbered(Case opened) {
    return numbers.next().map(number -> opened.change(null, e -> e.number = number));
  }

  /**
   * Routes, assigns, stores and acknowledges a new case (from intake or staff). A repeat of the same id (a second
   * try) stores nothing and gives back the place the assignment took.
   */
  Future<Case> start(Case opened, Case.Step received, String text) {
    Case.Deadline deadline = deadlines.start(opened.category(), opened.urgency(), opened.receivedAt());
    boolean held = opened.flags().contains(Case.HELD);
    return (held ? Future.<String>succeededFuture(null)
      : routing.departmentFor(new Routing.Facts(text, opened.category(), opened.accountId(), opened.region())))
      .recover(failure -> {
        log.warn("routing failed for case {}; it waits for dispatch", opened.id(), failure);
        return Future.succeededFuture(null);
      })
      .compose(department -> (department == null ? Future.<String>succeededFuture(null)
        : assignment.pick(department).recover(failure -> Future.succeededFuture(null)))
        .compose(picked -> {
          Case routed = routed(opened, received, deadline, department, picked);
          return store.insert(routed).compose(inserted -> {
            if (!inserted) {
              Future<Void> giveBack = picked == null ? Future.succeededFuture()
                : assignment.released(picked, department);
              return giveBack.compose(v -> store.find(opened.id()));
            }
            return changes.followed(null, routed, picked).compose(this::acknowledge);
          });
        }));
  }

  private Case routed(Case opened, Case.Step received, Case.Deadline deadline, String department, String picked) {
    Instant now = opened.createdAt();
    CaseStatus status = department == null ? CaseStatus.DISPATCHING : CaseStatus.ASSIGNED;
    return opened.change(null, e -> {
      e.history.add(received);
      e.deadline = deadline;
      e.status = status;
      if (opened.flags().contains(Case.HELD)) {
        e.history.add(new Case.Step(Case.Step.SYSTEM, null, now, "held", CaseStatus.DISPATCHING,
          CaseStatus.DISPATCHING, null, null, "内容安全检测建议人工复核：待工作人员放行后再分办"));
      } else if (department == null) {
        e.history.add(new Case.Step(Case.Step.SYSTEM, null, now, "queued", CaseStatus.DISPATCHING,
          CaseStatus.DISPATCHING, null, null, "无匹配的分办规则，等待分拨"));
      } else {
        e.moveTo(department, now);
        e.history.add(new Case.Step(Case.Step.SYSTEM, null, now, "routed", CaseStatus.DISPATCHING,
          CaseStatus.ASSIGNED, department, null, null));
        if (picked != null) {
          e.assigneeId = picked;
          e.history.add(new Case.Step(Case.Step.SYSTEM, null, now, "assigned", CaseStatus.ASSIGNED,
            CaseStatus.ASSIGNED, department, null, "自动分派：" + picked));
        }
      }
    });
  }

  /**
   * GB/T 33358: within 3 minutes, on the citizen's channel, with the case number and the answer-by date. The
   * delivery (never a failure) is recorded on the case; should that write fail, the case stands without the record.
   * The record goes over the case as this intake inserted it, without a read: the write is guarded all the same (a
   * message joined or staff acted first: it is re-applied on a fresh read).
   */
  private Future<Case> acknowledge(Case c) {
    String text = acknowledgement(c);
    return deliveries.deliver(c.recipient(), text, Deliveries.Purpose.ACKNOWLEDGEMENT).compose(delivery -> {
      Function<Case, Case> record = current -> current.change(new Case.Step(Case.Step.SYSTEM, null, clock.instant(),
        "acknowledged", current.status(), current.status(), current.departmentId(), null,
        delivery.route() + " " + delivery.status()), e -> e.acknowledgements.add(delivery));
      return store.move(c, record.apply(c), "intake").recover(failure -> !GuardedStore.isChanged(failure)
        ? Future.failedFuture(failure)
        : store.update(c.id(), record, "intake").map(moved -> moved == null ? c : moved.after()));
    }).recover(failure -> {
      log.warn("acknowledgement of case {} not recorded", c.id(), failure);
      return Future.succeededFuture(c);
    });
  }

  static String acknowledgement(Case c) {
    return "您的留言已受理，编号 " + c.number() + "，我们将在 " + ANSWER_BY.format(c.deadline().dueDate())
      + " 前答复。可凭编号查询办理进度。";
  }

  /** Keeps the join and merge windows' keys, each expiring with its window. Best effort: Redis may be away. */
  private Future<Case> remember(Case c, Incoming incoming) {
    String chat = chatKey(incoming);
    String repeat = repeatKey(incoming);
    var commands = redis.commands();
    Future<?> a = chat == null || !c.channel().equals(Channel.WECHAT) ? Future.succeededFuture()
      : Redis.await(commands.set(chat, c.id(), SetArgs.Builder.ex(JOIN_WINDOW.toSeconds())));
    Future<?> b = repeat == null ? Future.succeededFuture()
      : Redis.await(commands.set(repeat, c.id(), SetArgs.Builder.ex(MERGE_WINDOW.toSeconds())));
    return Future.all(a, b).map(c).recover(failure -> Future.succeededFuture(c));
  }

  /** Takes the chat key for a new case; answers the case id another message holds it for, else null. */
  private Future<String> claimChat(String caseId, Incoming incoming) {
    String key = chatKey(incoming);
    if (key == null) {
      return Future.succeededFuture(null);
    }
    var commands = redis.commands();
    return Redis.await(commands.set(key, caseId, SetArgs.Builder.nx().ex(JOIN_WINDOW.toSeconds())))
      .compose(set -> "OK".equals(set) ? Future.succeededFuture((String) null)
        : Redis.await(commands.get(key)).compose(other -> other == null || other.equals(caseId)
          ? Future.succeededFuture((String) null)
          : store.find(other).map(c -> c == null || canJoin(c, incoming) ? other : null)))
      .recover(failure -> Future.succeededFuture(null));
  }

  private static String chatKey(Incoming incoming) {
    if (incoming.channel() != Channel.WECHAT || incoming.accountId() == null || incoming.citizen() == null
      || incoming.citizen().openid() == null) {
      return null;
    }
    return PREFIX + "chat:" + incoming.accountId() + ":" + incoming.citizen().openid();
  }

  private static String repeatKey(Incoming incoming) {
    Citizen who = incoming.citizen();
    if (who == null || incoming.text() == null || incoming.text().isBlank()) {
      return null;
    }
    String citizen = who.unionid() != null ? "u:" + who.unionid()
      : who.openid() != null ? "o:" + incoming.accountId() + ":" + who.openid()
      : who.weiboUid() != null ? "w:" + who.weiboUid() : null;
    return citizen == null ? null : PREFIX + "repeat:" + citizen + ":" + sha256(incoming.text().strip());
  }

  private Instant received(Incoming incoming) {
    return incoming.receivedAt() == null ? clock.instant() : incoming.receivedAt();
  }

  private Case.Message message(Incoming incoming) {
    return new Case.Message(incoming.text() == null ? "" : incoming.text().strip(), received(incoming),
      incoming.sourceId(), incoming.attachmentIds());
  }

  /**
   * A category the citizen named at the start of the message ("投诉：…", "【建议】…"); else a consultation, which
   * staff may correct.
   */
  static Category guessCategory(String text) {
    if (text == null) {
      return Category.CONSULTATION;
    }
    String head = text.strip().replaceFirst("^[【\\[（(]", "");
    for (Map.Entry<String, Category> named : List.of(Map.entry("依申请公开", Category.DISCLOSURE_REQUEST),
      Map.entry("信息公开申请", Category.DISCLOSURE_REQUEST), Map.entry("投诉", Category.COMPLAINT),
      Map.entry("举报", Category.REPORT), Map.entry("建议", Category.SUGGESTION), Map.entry("求助", Category.HELP),
      Map.entry("咨询", Category.CONSULTATION))) {
      if (head.startsWith(named.getKey())) {
        return named.getValue();
      }
    }
    return Category.CONSULTATION;
  }

  static String title(String text) {
    String line = text == null ? "" : text.strip().lines().findFirst().orElse("");
    if (line.isEmpty()) {
      return "（无文字内容）";
    }
    return line.codePointCount(0, line.length()) <= TITLE_LENGTH ? line
      : line.substring(0, line.offsetByCodePoints(0, TITLE_LENGTH)) + "…";
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
