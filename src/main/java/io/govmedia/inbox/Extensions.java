package io.govmedia.inbox;

import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.govmedia.events.Event;
import io.govmedia.events.Events;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static com.mongodb.client.model.Filters.eq;

/**
 * Extensions of a case's answer deadline (延期): the assignee or the department's staff ask with a reason, a head of
 * the case's department (or a supervisor) approves or refuses; approved, the due date moves by the working days
 * asked ({@link Deadlines#extend}) and the citizen is told the new date. An information request (依申请公开,
 * 条例 Art. 33) has one extension of at most 20 working days; any other case at most 15 working days in all
 * (DOMAIN.md §2, complex cases).
 *
 * <p>The pending request is a document of {@code case_extensions} whose {@code _id} is the case's: its insert is the
 * guard that allows one pending request per case. The decision is one guarded change of the case whose history step
 * names the request ({@code note}), so a decision repeated after a crash finds it made and only finishes the rest.
 */
final class Extensions {

  static final int DISCLOSURE_MAX = 20;
  static final int TOTAL_MAX = 15;
  private static final Set<CaseStatus> EXTENDABLE = EnumSet.of(CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS,
    CaseStatus.PAUSED);
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy年M月d日");

  /** A request waiting for a decision. */
  record Pending(String requestId, String caseId, int days, String reason, String by, String byName, Instant at) {

    Document toDocument() {
      return new Document("_id", caseId).append("requestId", requestId).append("days", days).append("reason", reason)
        .append("by", by).append("byName", byName).append("at", Times.date(at));
    }

    static Pending from(Document d) {
      return new Pending(d.getString("requestId"), d.getString("_id"), d.getInteger("days"), d.getString("reason"),
        d.getString("by"), d.getString("byName"), Times.instant(d.getDate("at")));
    }

    JsonObject toJson() {
      return new JsonObject().put("id", requestId).put("status", "pending").put("days", days).put("reason", reason)
        .put("requestedBy", by).put("requestedByName", byName).put("requestedAt", Times.show(at));
    }
  }

  private final CaseStore store;
  private final CaseActions actions;
  private final CaseChanges changes;
  private final Deadlines deadlines;
  private final Deliveries deliveries;
  private final DepartmentHeads heads;
  private final Events events;
  private final AuditLog audit;
  private final MongoCollection<Document> pending;
  private final Clock clock;

  Extensions(MongoDatabase db, CaseStore store, CaseActions actions, CaseChanges changes, Deadlines deadlines,
             Deliveries deliveries, DepartmentHeads heads, Events events, AuditLog audit, Clock clock) {
    this.store = store;
    this.actions = actions;
    this.changes = changes;
    this.deadlines = deadlines;
    this.deliveries = deliveries;
    this.heads = heads;
    this.events = events;
    this.audit = audit;
    this.pending = db.getCollection("case_extensions");
    this.clock = clock;
  }

  /** The pending request of a case, or null. */
  Future<Pending> pendingOf(String caseId) {
    return Mongo.first(pending.find(eq("_id", caseId))).map(d -> d == null ? null : Pending.from(d));
  }

  /**
   * The requests waiting for a decision this member may take (a head of the case's department, a supervisor of its
   * scope, an admin), oldest first, at most {@code max}: the supervision board's list. The collection holds only the
   * pending requests, one per case, so it stays small.
   */
  Future<List<JsonObject>> waiting(CaseScope scope, int max) {
    Principal who = scope.principal();
    return Mongo.all(pending.find().sort(com.mongodb.client.model.Sorts.ascending("at"))).compose(docs -> {
      List<Pending> asked = docs.stream().map(Pending::from).toList();
      return store.written(asked.stream().map(Pending::caseId).toList()).map(cases -> {
        Map<String, Case> byId = cases.stream().collect(Collectors.toMap(Case::id, Function.identity()));
        return asked.stream()
          .filter(p -> byId.get(p.caseId()) != null && decides(scope, byId.get(p.caseId())))
          .limit(max)
          .map(p -> waitingJson(p, byId.get(p.caseId())))
          .toList();
      });
    });
  }

  private boolean decides(CaseScope scope, Case c) {
    Principal who = scope.principal();
    return scope.sees(c) && (who.isAdmin() || who.has(Role.SUPERVISOR) || heads.isHead(who, c.departmentId()));
  }

  private static JsonObject waitingJson(Pending asked, Case c) {
    return asked.toJson().put("caseId", c.id()).put("number", c.number()).put("title", c.title())
      .put("caseStatus", c.status().wire()).put("departmentId", c.departmentId())
      .put("dueDate", c.deadline() == null ? null : c.deadline().dueDate().toString());
  }

  // Asking

  Future<Pending> request(CaseScope scope, String caseId, int days, String reason, String requestId) {
    Principal who = scope.principal();
    return actions.visible(scope, caseId).compose(c -> {
      boolean staff = c.departmentId() != null && scope.memberOf(c.departmentId()) || who.staffId().equals(c.assigneeId());
      if (!staff) {
        throw Problem.forbidden("只有工单的办理人或所在部门的办理人员可以申请延期");
      }
      requireExtendable(c, days);
      Pending asked = new Pending(Ids.newId(), c.id(), days, reason, who.staffId(), who.username(), clock.instant());
      return Mongo.first(pending.insertOne(asked.toDocument()))
        .recover(failure -> Future.failedFuture(Mongo.isDuplicateKey(failure)
          ? Problem.conflict("extension-pending", "该工单已有待审批的延期申请", "请等待部门负责人审批。") : failure))
        .compose(v -> record(c.id(), asked, who, "申请延期 " + days + " 个工作日：" + reason)
          .recover(failure -> Mongo.first(pending.deleteOne(eq("_id", c.id()))).transform(x -> Future.failedFuture(failure))))
        .compose(after -> tellApprovers(after, asked))
        .compose(v -> audit.append(who.actor(), "case.extend", "case", c.id(), null,
          asked.toJson().put("number", c.number()), requestId))
        .map(asked);
    });
  }

  /** 409 when the case's status or the rules of DOMAIN.md §2 leave no room for {@code days} more. */
  private static void requireExtendable(Case c, int days) {
    if (!EXTENDABLE.contains(c.status()) || c.deadline() == null) {
      throw Problem.conflict("action-not-allowed", "工单当前状态（" + c.status().label() + "）不能申请延期", null)
        .with("status", c.status().wire()).with("action", "extend");
    }
    if (c.category() == Category.DISCLOSURE_REQUEST) {
      if (extended(c)) {
        throw Problem.conflict("extension-used", "依申请公开只能延期一次", "《政府信息公开条例》第三十三条：延长答复期限最长不超过 20 个工作日。");
      }
      if (days > DISCLOSURE_MAX) {
        throw Problem.conflict("extension-too-long", "依申请公开延期最长 20 个工作日", null).with("maxDays", DISCLOSURE_MAX);
      }
    } else if (c.deadline().limitDays() + days > TOTAL_MAX) {
      int room = Math.max(0, TOTAL_MAX - c.deadline().limitDays());
      throw Problem.conflict("extension-too-long", "延期后办理时限不能超过 15 个工作日",
        "本工单最多还可延期 " + room + " 个工作日。").with("maxDays", room);
    }
  }

  private static boolean extended(Case c) {
    return c.history().stream().anyMatch(s -> "extension_approved".equals(s.action()));
  }

  private Future<Case> record(String caseId, Pending asked, Principal who, String reason) {
    return store.update(caseId, c -> {
        requireExtendable(c, asked.days());
        return c.change(step(c, who, clock.instant(), "extension_requested", reason, asked), e -> {
        });
      }, who.staffId())
      .compose(moved -> moved == null ? Future.failedFuture(Problem.notFound("工单")) : Future.succeededFuture(moved.after()));
  }

  private Future<Void> tellApprovers(Case c, Pending asked) {
    JsonObject data = new JsonObject().put("caseId", c.id()).put("number", c.number()).put("days", asked.days())
      .put("reason", asked.reason()).put("departmentId", c.departmentId());
    Set<String> headIds = heads.of(c.departmentId());
    Future<Void> toHeads = headIds.isEmpty() ? Future.succeededFuture()
      : events.publish(new Event("case.extension", data, new Event.Audience(Set.of(), Set.of(), Set.of(), headIds)));
    Future<Void> toSupervisors = events.publish(new Event("case.extension", data,
      new Event.Audience(Set.of(Role.SUPERVISOR), Set.of(c.departmentId()), Set.of(), Set.of())));
    return Future.all(toHeads, toSupervisors).mapEmpty();
  }

  // Deciding

  Future<Case> decide(CaseScope scope, String caseId, boolean approved, String note, String requestId) {
    Principal who = scope.principal();
    return actions.visible(scope, caseId).compose(c -> {
      if (!heads.isHead(who, c.departmentId()) && !who.has(Role.SUPERVISOR)) {
        throw Problem.forbidden("只有工单所在部门的负责人或督办人员可以审批延期");
      }
      return pendingOf(c.id()).compose(asked -> {
        if (asked == null) {
          throw Problem.conflict("no-pending-extension", "该工单没有待审批的延期申请", null);
        }
        if (asked.by().equals(who.staffId())) {
          throw Problem.forbidden("不能审批自己提出的延期申请");
        }
        return store.update(c.id(), current -> decision(current, asked, approved, note, who), who.staffId())
          .compose(moved -> {
            if (moved == null) {
              return Future.failedFuture(Problem.notFound("工单"));
            }
            Future<Case> followed = moved.changed() ? changes.followed(moved.before(), moved.after(), null)
              : Future.succeededFuture(moved.after());
            return followed.compose(after -> approved ? notice(after) : Future.succeededFuture(after));
          })
          .compose(after -> Mongo.first(pending.deleteOne(eq("_id", c.id()))).map(after))
          .compose(after -> audit.append(who.actor(), approved ? "case.extension.approve" : "case.extension.refuse",
            "case", c.id(), asked.toJson(), CaseActions.summary(after), requestId).map(after));
      });
    });
  }

  /** The decided case; null when this request was decided already (a repeat finishes the rest). */
  private Case decision(Case c, Pending asked, boolean approved, String note, Principal who) {
    if (decided(c, asked)) {
      return null;
    }
    Instant now = clock.instant();
    if (!approved) {
      return c.change(step(c, who, now, "extension_refused", note, asked), e -> {
      });
    }
    requireExtendable(c, asked.days());
    Case.Deadline longer = deadlines.extend(c.deadline(), asked.days());
    String reason = "延期 " + asked.days() + " 个工作日，截止日期由 " + c.deadline().dueDate() + " 改为 " + longer.dueDate()
      + (note == null ? "" : "：" + note);
    return c.change(step(c, who, now, "extension_approved", reason, asked), e -> e.deadline = longer);
  }

  private static Case.Step step(Case c, Principal who, Instant now, String action, String reason, Pending asked) {
    return new Case.Step(who.staffId(), who.username(), now, action, c.status(), c.status(), c.departmentId(), reason,
      asked.requestId());
  }

  private static boolean decided(Case c, Pending asked) {
    return c.history().stream().anyMatch(s -> asked.requestId().equals(s.note())
      && ("extension_approved".equals(s.action()) || "extension_refused".equals(s.action())));
  }

  /** The citizen learns the new date (DOMAIN.md §2: an extension needs a notice); the delivery goes in the history. */
  private Future<Case> notice(Case c) {
    String text = "您的留言（编号 " + c.number() + "）办理期限已依规延长，我们将在 " + DATE.format(c.deadline().dueDate())
      + " 前答复。";
    return deliveries.deliver(c.recipient(), text, Deliveries.Purpose.NOTICE)
      .compose(delivery -> store.update(c.id(), current -> current.change(new Case.Step(Case.Step.SYSTEM, null,
        clock.instant(), "extension_notice", current.status(), current.status(), current.departmentId(), text,
        delivery.route() + " " + delivery.status()), e -> {
      }), "extensions"))
      .map(moved -> moved == null ? c : moved.after());
  }
}
