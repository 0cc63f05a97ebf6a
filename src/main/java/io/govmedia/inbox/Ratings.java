package io.govmedia.inbox;

import io.govmedia.auth.Role;
import io.govmedia.events.Event;
import io.govmedia.events.Events;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The end of the closed loop: the citizen's rating of an answered case (taken by staff on the phone for now; the
 * mini-program calls {@link #rate} too), 回访 records, and the case closing itself 7 days after the reply reached the
 * citizen without a rating. Satisfied or basically satisfied closes it; unsatisfied reopens it to the same department
 * under 督办 ({@code supervised}); a second unsatisfied leaves it answered for a supervisor to decide
 * ({@code supervisor-decision}: they close or reopen it, with a reason).
 *
 * <p>The case's {@code rating}: {@code {value, comment, via, by, byName, at, replyId, unsatisfied, earlier: [...],
 * followUps: [{by, byName, at, how, note}]}}; {@code value} null while only follow-ups are recorded.
 */
final class Ratings {

  private static final Logger log = LoggerFactory.getLogger(Ratings.class);
  /** The flag of a case rated unsatisfied twice: a supervisor decides whether it closes or is worked again. */
  static final String SUPERVISOR_DECISION = "supervisor-decision";
  static final Map<String, String> VALUES = Map.of("satisfied", "满意", "basically", "基本满意", "unsatisfied", "不满意");
  static final Set<String> VIAS = Set.of("phone", "follow-up", "sms", "visit", "miniapp");
  static final Set<String> HOWS = Set.of("phone", "sms", "visit", "wechat", "other");
  static final int COMMENT_MAX = 500;
  private static final int DUE_BATCH = 100;

  /** A rating as given: by a staff member taking it ({@code by} their id) or the citizen ({@code by} citizen). */
  record Rating(String value, String comment, String via, String by, String byName) {
  }

  /** A 回访 as staff record it: when it took place, how, and what was said. */
  record FollowUp(Instant at, String how, String note, String by, String byName) {
  }

  private final CaseStore store;
  private final CaseChanges changes;
  private final ClosingQueue closing;
  private final Deadlines deadlines;
  private final Events events;
  private final Clock clock;

  Ratings(CaseStore store, CaseChanges changes, ClosingQueue closing, Deadlines deadlines, Events events, Clock clock) {
    this.store = store;
    this.changes = changes;
    this.closing = closing;
    this.deadlines = deadlines;
    this.events = events;
    this.clock = clock;
  }

  /** 403 unless a supervisor (or an admin) decides; 400 without a reason. For cases awaiting a supervisor's decision. */
  static void requireSupervisor(CaseScope scope, String reason) {
    if (!scope.principal().isAdmin() && !scope.principal().has(Role.SUPERVISOR)) {
      throw Problem.forbidden("两次不满意的工单由督办人员决定办结或重新办理");
    }
    if (reason == null) {
      throw Problem.badRequest("reason-required", "督办决定须说明理由", "请填写 reason。");
    }
  }

  // Rating

  Future<Case> rate(String caseId, Rating rating) {
    return store.update(caseId, c -> rated(c, rating, clock.instant()), rating.by())
      .compose(moved -> moved == null ? Future.failedFuture(Problem.notFound("工单")) : followed(moved.before(), moved.after()))
      .compose(after -> announceRating(after).map(after));
  }

  private Case rated(Case c, Rating rating, Instant now) {
    CaseAction.RATE.require(c.status());
    CaseReply reply = CaseReply.lastSent(c).orElseThrow(() ->
      Problem.conflict("no-reply", "工单尚未答复，不能评价", null));
    if (reply.reachedAt() != null && now.isAfter(reply.reachedAt().plus(ClosingQueue.RATING_WINDOW))) {
      throw Problem.conflict("rating-closed", "评价期已过", "答复送达 7 日内可以评价。");
    }
    Document before = c.rating();
    if (before != null && reply.id().equals(before.getString("replyId")) && before.getString("value") != null) {
      throw Problem.conflict("already-rated", "该答复已评价", null).with("rating", before.getString("value"));
    }
    int unsatisfied = before == null ? 0 : before.getInteger("unsatisfied", 0);
    boolean again = "unsatisfied".equals(rating.value()) && unsatisfied > 0;
    CaseStatus to = !"unsatisfied".equals(rating.value()) ? CaseStatus.CLOSED
      : again ? CaseStatus.ANSWERED : c.departmentId() == null ? CaseStatus.DISPATCHING : CaseStatus.ASSIGNED;
    String note = VALUES.get(rating.value()) + (rating.comment() == null ? "" : "：" + rating.comment())
      + (again ? "（再次不满意，提请督办人员决定）" : "unsatisfied".equals(rating.value()) ? "（重新办理，督办）" : "");
    Case.Step step = new Case.Step(rating.by(), rating.byName(), now, "rate", c.status(), to, c.departmentId(), null,
      note);
    return c.change(step, e -> {
      e.status = to;
      e.rating = ratingDocument(before, rating, reply.id(), now, unsatisfied);
      if ("unsatisfied".equals(rating.value())) {
        if (again) {
          e.flags.add(SUPERVISOR_DECISION);
        } else {
          e.flags.add(Case.SUPERVISED);
          e.deadline = deadlines.restart(c.deadline(), now);
        }
      }
    });
  }

  private static Document ratingDocument(Document before, Rating rating, String replyId, Instant now, int unsatisfied) {
    List<Document> earlier = new ArrayList<>(before == null ? List.of() : before.getList("earlier", Document.class, List.of()));
    if (before != null && before.getString("value") != null) {
      earlier.add(new Document(before).append("earlier", null).append("followUps", null).append("unsatisfied", null));
    }
    return new Document("value", rating.value()).append("comment", rating.comment()).append("via", rating.via())
      .append("by", rating.by()).append("byName", rating.byName()).append("at", Times.show(now))
      .append("replyId", replyId)
      .append("unsatisfied", unsatisfied + ("unsatisfied".equals(rating.value()) ? 1 : 0))
      .append("earlier", earlier)
      .append("followUps", before == null ? List.of() : before.getList("followUps", Document.class, List.of()));
  }

  /** case.rated to the department; a case awaiting a decision also to its supervisors (case.supervisor-decision). */
  private Future<Void> announceRating(Case c) {
    JsonObject data = new JsonObject().put("caseId", c.id()).put("number", c.number())
      .put("status", c.status().wire()).put("departmentId", c.departmentId())
      .put("rating", c.rating() == null ? null : c.rating().getString("value"));
    Set<String> departments = c.departmentId() == null ? Set.of() : Set.of(c.departmentId());
    List<Future<Void>> sent = new ArrayList<>();
    sent.add(events.publish(new Event("case.rated", data, new Event.Audience(
      Set.of(Role.REPLIER, Role.DISPATCHER, Role.SUPERVISOR), departments, Set.of(),
      c.assigneeId() == null ? Set.of() : Set.of(c.assigneeId())))));
    if (c.flags().contains(SUPERVISOR_DECISION)) {
      sent.add(events.publish(new Event("case.supervisor-decision", data, new Event.Audience(
        Set.of(Role.SUPERVISOR), departments, Set.of(), Set.of()))));
    }
    return Future.all(sent).<Void>mapEmpty().recover(failure -> Future.succeededFuture());
  }

  // 回访

  Future<Case> followUp(String caseId, FollowUp followUp) {
    return store.update(caseId, c -> {
      CaseAction.FOLLOW_UP.require(c.status());
      Instant now = clock.instant();
      Document record = new Document("by", followUp.by()).append("byName", followUp.byName())
        .append("at", Times.show(followUp.at() == null ? now : followUp.at())).append("how", followUp.how())
        .append("note", followUp.note());
      Case.Step step = new Case.Step(followUp.by(), followUp.byName(), now, "follow-up", c.status(), c.status(),
        c.departmentId(), null, followUp.note());
      return c.change(step, e -> {
        Document rating = c.rating() == null ? new Document("value", null).append("unsatisfied", 0)
          .append("earlier", List.of()) : new Document(c.rating());
        List<Document> all = new ArrayList<>(rating.getList("followUps", Document.class, List.of()));
        all.add(record);
        e.rating = rating.append("followUps", all);
      });
    }, followUp.by()).compose(moved -> moved == null ? Future.failedFuture(Problem.notFound("工单"))
      : followed(moved.before(), moved.after()));
  }

  // Closing by itself

  /** Closes the cases whose rating window has passed; re-files or drops the entries that no longer apply. */
  Future<Integer> closeDue() {
    Instant now = clock.instant();
    return closing.due(now, DUE_BATCH).compose(ids -> Future.all(ids.stream().map(id -> closeIfDue(id, now)).toList())
      .map(all -> (int) all.list().stream().filter(Boolean.TRUE::equals).count()));
  }

  private Future<Boolean> closeIfDue(String caseId, Instant now) {
    return store.update(caseId, c -> {
      Instant at = ClosingQueue.closesAt(c);
      if (at == null || at.isAfter(now)) {
        return null;
      }
      return c.change(new Case.Step(Case.Step.SYSTEM, null, now, "auto-close", c.status(), CaseStatus.CLOSED,
        c.departmentId(), null, "答复送达后 7 日内未评价，自动办结"), e -> e.status = CaseStatus.CLOSED);
    }, Case.Step.SYSTEM).compose(moved -> {
      if (moved == null) {
        return closing.drop(caseId).map(false);
      }
      return moved.changed() ? followed(moved.before(), moved.after()).map(true)
        : closing.follow(moved.after()).map(false);
    }).recover(failure -> {
      log.warn("case {} not closed on time; the next run tries again", caseId, failure);
      return Future.succeededFuture(false);
    });
  }

  private Future<Case> followed(Case before, Case after) {
    return changes.followed(before, after, null).compose(c -> closing.follow(c).map(c));
  }
}
