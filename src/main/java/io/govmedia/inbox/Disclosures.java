package io.govmedia.inbox;

import io.govmedia.auth.DepartmentStore;
import io.govmedia.checks.PersonalData;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Public disclosure of a case's reply (issue 9 part 10): only with the citizen's consent given at intake, for an
 * answered or closed case with a sent reply. Staff ask for it (and may reword the question and the reply for the
 * public); the texts are masked — ID numbers, mobile numbers ({@link PersonalData#mask}), the case's contact name and
 * the citizen's nickname, and names introduced as such ({@link PersonalData#maskNames}) — and wait for a head of
 * the department or a supervisor (not the one who asked) to approve them.
 */
final class Disclosures {

  static final int QUESTION_MAX = 5_000;

  private final CaseStore store;
  private final CaseChanges changes;
  private final PublicReplyStore publics;
  private final DepartmentStore departments;
  private final CaseView view;
  private final AuditLog audit;
  private final Clock clock;

  Disclosures(CaseStore store, CaseChanges changes, PublicReplyStore publics, DepartmentStore departments,
              CaseView view, AuditLog audit, Clock clock) {
    this.store = store;
    this.changes = changes;
    this.publics = publics;
    this.departments = departments;
    this.view = view;
    this.audit = audit;
    this.clock = clock;
  }

  /** Asks for the case's reply to be published: the masked record, waiting for review. */
  Future<PublicReply> request(CaseScope scope, String caseId, String question, String reply, String requestLogId) {
    return scope.visible(store, caseId).compose(c -> {
      scope.requireWorker(c);
      CaseAction.PUBLISH.require(c.status());
      if (!c.consent()) {
        throw Problem.conflict("no-consent", "留言人未同意公开，不能公开答复", "只有受理时留言人同意公开的工单可以公开。");
      }
      CaseReply sent = CaseReply.lastSent(c).filter(r -> r.status() == CaseReply.Status.SENT)
        .orElseThrow(() -> Problem.conflict("no-reply", "工单没有已发出的答复", null));
      return publics.find(c.id()).compose(existing -> {
        if (existing != null && existing.status() != PublicReply.Status.REJECTED) {
          throw Problem.conflict(existing.status() == PublicReply.Status.PUBLISHED ? "already-published" : "publish-pending",
            existing.status() == PublicReply.Status.PUBLISHED ? "该工单的答复已公开" : "该工单的公开申请正在审核", null);
        }
        return departments.find(c.departmentId())
          .map(department -> record(scope, c, sent, department == null ? null : department.name(), question, reply,
            existing))
          .compose(record -> existing == null ? publics.insert(record) : publics.replace(existing, record))
          .compose(record -> noted(scope, c.id(), "publish-requested", null, "申请公开答复，待审核")
            .compose(after -> audited(scope, "case.publish", record, requestLogId)));
      });
    });
  }

  private PublicReply record(CaseScope scope, Case c, CaseReply sent, String departmentName, String question,
                             String reply, PublicReply earlier) {
    List<String> names = new ArrayList<>();
    names.add(view.contactName(c));
    names.add(c.citizen().nickname());
    String asked = question != null ? question
      : c.messages().stream().map(Case.Message::text).collect(Collectors.joining("\n"));
    return new PublicReply(c.id(), c.number(), PublicReply.Status.PENDING_REVIEW, c.departmentId(), departmentName,
      c.category().wire(), Deadlines.date(c.receivedAt()), Deadlines.date(sent.sentAt()), masked(c.title(), names),
      masked(asked, names), masked(reply != null ? reply : sent.text(), names), scope.principal().staffId(),
      scope.principal().username(), clock.instant(), null, null, earlier == null ? 1 : earlier.version() + 1);
  }

  /** DOMAIN §4: ID numbers 110105********002X, mobiles 138****1234, names 张**. */
  static String masked(String text, Collection<String> names) {
    return PersonalData.maskNames(PersonalData.mask(text), names.stream().filter(n -> n != null).toList());
  }

  /** A head or supervisor other than the one who asked approves (published) or rejects (with a reason) it. */
  Future<PublicReply> decide(CaseScope scope, String id, boolean approve, String note, String requestLogId) {
    return visible(scope, id).compose(record -> {
      if (!Reviewers.reviews(scope, record.departmentId())) {
        throw Problem.forbidden("公开答复由该部门负责人或督办人员审核");
      }
      if (record.requestedBy().equals(scope.principal().staffId())) {
        throw Problem.forbidden("申请人不能审核自己的公开申请");
      }
      if (record.status() != PublicReply.Status.PENDING_REVIEW) {
        throw Problem.conflict("not-in-review", "该公开申请不在审核中", null).with("status", record.status().wire());
      }
      Instant now = clock.instant();
      Document decision = new Document("by", scope.principal().staffId()).append("byName", scope.principal().username())
        .append("at", Times.show(now)).append("decision", approve ? "approved" : "rejected").append("note", note);
      return publics.replace(record, record.decided(approve ? PublicReply.Status.PUBLISHED : PublicReply.Status.REJECTED,
          decision, now))
        .compose(after -> noted(scope, id, approve ? "published" : "publish-rejected", approve ? null : note,
            approve ? "答复已公开" : null)
          .compose(c -> audited(scope, approve ? "public-reply.approve" : "public-reply.reject", after, requestLogId)));
    });
  }

  /** The record if its department is in the member's scope; else 404. */
  Future<PublicReply> visible(CaseScope scope, String id) {
    return io.govmedia.platform.Ids.lookup(id, publics::find, "公开答复").compose(found -> scope.everything()
      || found.departmentId() != null && scope.departments().contains(found.departmentId())
      ? Future.succeededFuture(found) : Future.failedFuture(Problem.notFound("公开答复")));
  }

  Future<List<PublicReply>> list(CaseScope scope, PublicReply.Status status, String departmentId, String cursor,
                                 int limit) {
    Collection<String> in = departmentId != null ? List.of(departmentId)
      : scope.everything() ? null : scope.departments();
    if (departmentId != null && !scope.everything() && !scope.departments().contains(departmentId)) {
      return Future.succeededFuture(List.of());
    }
    return publics.list(status, in, cursor, limit);
  }

  /** A history step on the case (status unchanged); the public record stands even if this write fails. */
  private Future<Case> noted(CaseScope scope, String caseId, String action, String reason, String note) {
    return store.update(caseId, c -> c.change(new Case.Step(scope.principal().staffId(), scope.principal().username(),
        clock.instant(), action, c.status(), c.status(), c.departmentId(), reason, note), e -> { }),
        scope.principal().staffId())
      .compose(moved -> moved == null ? Future.succeededFuture((Case) null)
        : changes.followed(moved.before(), moved.after(), null));
  }

  private Future<PublicReply> audited(CaseScope scope, String action, PublicReply record, String requestLogId) {
    return audit.append(scope.principal().actor(), action, "public_reply", record.id(), null,
      new JsonObject().put("number", record.number()).put("status", record.status().wire()), requestLogId).map(record);
  }
}
