package io.govmedia.inbox;

import io.govmedia.auth.Role;
import io.govmedia.checks.ContentChecks;
import io.govmedia.checks.Finding;
import io.govmedia.content.Item;
import io.govmedia.events.Event;
import io.govmedia.events.Events;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Idempotency;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Replies to citizens: drafts kept on the case, review where the department wants it (a head or a supervisor, never
 * the author), and the send through {@link Deliveries}: the reply is stored as {@code sending} with the case
 * answered before anything goes out, then its delivery is recorded on it. A delivery that did not reach the citizen
 * leaves the case answered and flagged {@code delivery-failed}: staff send it again ({@link #redeliver}) or record
 * how they reached the citizen otherwise ({@link #reached}). The text passes the content checks first.
 */
final class Replies {

  private static final Logger log = LoggerFactory.getLogger(Replies.class);
  /** The flag of an answered case whose reply did not reach the citizen. */
  static final String DELIVERY_FAILED = "delivery-failed";
  static final int TEXT_MAX = 2_000;
  static final int DOCUMENTS_MAX = 10;
  /** A reply still {@code sending} after this long lost its delivery record (the instance died): it may go again. */
  static final Duration STUCK = Duration.ofMinutes(2);
  private static final Set<Role> CASE_ROLES = Set.of(Role.REPLIER, Role.DISPATCHER, Role.SUPERVISOR);

  /** A reply as asked: {@code replyId} names a draft (or a rejected reply) to update or send. */
  record Request(String text, String cannedReplyId, List<String> documentIds, boolean draft, String replyId) {
  }

  private final CaseStore store;
  private final CaseChanges changes;
  private final ClosingQueue closing;
  private final Deliveries deliveries;
  private final ContentChecks checks;
  private final CannedReplyStore canned;
  private final ReplySettings settings;
  private final Function<String, Future<Item>> published;
  private final String publicBaseUrl;
  private final Idempotency idempotency;
  private final Events events;
  private final AuditLog audit;
  private final Clock clock;

  Replies(CaseStore store, CaseChanges changes, ClosingQueue closing, Deliveries deliveries, ContentChecks checks,
          CannedReplyStore canned, ReplySettings settings, Function<String, Future<Item>> published,
          String publicBaseUrl, Idempotency idempotency, Events events, AuditLog audit, Clock clock) {
    this.store = store;
    this.changes = changes;
    this.closing = closing;
    this.deliveries = deliveries;
    this.checks = checks;
    this.canned = canned;
    this.settings = settings;
    this.published = published;
    this.publicBaseUrl = publicBaseUrl;
    this.idempotency = idempotency;
    this.events = events;
    this.audit = audit;
    this.clock = clock;
  }

  // Writing and sending

  /** Saves a draft, submits for review, or sends; once per {@code Idempotency-Key}. Answers the reply. */
  Future<CaseReply> reply(CaseScope scope, String caseId, Request request, String key, String requestLogId) {
    return scope.visible(store, caseId).compose(c -> {
      scope.requireWorker(c);
      String fingerprint = Idempotency.fingerprint(c.id(), request.text(), request.cannedReplyId(),
        request.documentIds(), request.draft(), request.replyId());
      return idempotency.once(scope.principal().staffId(), key, fingerprint,
        requestId -> write(scope, c, request, requestId, requestLogId),
        requestId -> store.find(c.id()).map(found -> found == null ? null : byRequest(found, requestId)));
    });
  }

  private Future<CaseReply> write(CaseScope scope, Case c, Request request, String requestId, String requestLogId) {
    Future<List<Finding>> checked = request.draft() ? Future.succeededFuture(List.of()) : checked(request.text());
    Future<Boolean> review = request.draft() ? Future.succeededFuture(false)
      : settings.of(c.departmentId()).map(ReplySettings.Settings::review);
    return Future.all(cannedReply(scope, request.cannedReplyId()), documents(request.documentIds()), checked, review)
      .compose(all -> store.update(c.id(), current -> written(scope, current, request, requestId, all.resultAt(1),
        all.resultAt(2), all.resultAt(3)), scope.principal().staffId()))
      .compose(this::followed)
      .compose(after -> {
        CaseReply reply = byRequest(after, requestId);
        Future<Void> told = reply.status() == CaseReply.Status.PENDING_REVIEW ? askReview(after) : Future.succeededFuture();
        return told.compose(v -> audited(scope, "case.reply." + reply.status().wire(), c, after, requestLogId))
          .compose(v -> reply.status() == CaseReply.Status.SENDING ? deliver(after, reply) : Future.succeededFuture(reply));
      });
  }

  private Case written(CaseScope scope, Case current, Request request, String requestId, List<Document> documents,
                       List<Finding> findings, boolean review) {
    CaseAction.REPLY.require(current.status());
    Instant now = clock.instant();
    CaseReply existing = request.replyId() == null ? null : editable(current, request.replyId());
    CaseReply.Status status = request.draft() ? CaseReply.Status.DRAFT
      : review ? CaseReply.Status.PENDING_REVIEW : CaseReply.Status.SENDING;
    CaseReply reply = new CaseReply(existing == null ? requestId : existing.id(), requestId, status, request.text(),
      request.cannedReplyId(), documents, scope.principal().staffId(), scope.principal().username(),
      existing == null ? now : existing.createdAt(), now, null, findings.stream().map(Finding::toDocument).toList(),
      List.of(), status == CaseReply.Status.SENDING ? now : null, null, null);
    Case.Step step = switch (status) {
      case DRAFT -> null;
      case PENDING_REVIEW -> step(scope, current, now, "reply-submitted", current.status(), null, "答复待审核");
      default -> step(scope, current, now, "reply", CaseStatus.ANSWERED, null, null);
    };
    return current.change(step, e -> {
      e.replies = CaseReply.replacing(current, reply);
      if (status == CaseReply.Status.SENDING) {
        e.status = CaseStatus.ANSWERED;
        e.flags.remove(DELIVERY_FAILED);
      }
    });
  }

  /** The reply named to be updated or sent: a draft or a rejected reply of this case. */
  private static CaseReply editable(Case c, String replyId) {
    CaseReply found = CaseReply.find(c, replyId).orElseThrow(() -> Problem.notFound("答复"));
    if (!found.status().editable()) {
      throw Problem.conflict("reply-not-editable", "只有草稿或被退回的答复可以修改或发送", null)
        .with("status", found.status().wire());
    }
    return found;
  }

  /** The content checks on the text: a blocking finding refuses it (422 with the findings); warnings are kept. */
  private Future<List<Finding>> checked(String text) {
    return checks.check(null, null, Map.of("text", text)).compose(findings -> {
      List<Finding> blocking = findings.stream().filter(Finding::blocks).toList();
      return blocking.isEmpty() ? Future.succeededFuture(findings)
        : Future.failedFuture(new Problem(422, "blocking-findings", "答复内容检查发现必须修改的问题", "请修改后再发送。")
          .with("findings", new JsonArray(blocking.stream().map(Finding::toJson).toList())));
    });
  }

  /** The canned reply named must exist and be in the member's reach (office-wide or of a department they see). */
  private Future<Void> cannedReply(CaseScope scope, String id) {
    if (id == null) {
      return Future.succeededFuture();
    }
    return canned.find(id).compose(found -> found != null && (found.departmentId() == null || scope.everything()
      || scope.departments().contains(found.departmentId())) ? Future.succeededFuture()
      : Future.failedFuture(Problem.badRequest("unknown-canned-reply", "常用答复不存在", "cannedReplyId: " + id)));
  }

  /** The linked documents, each a published document or interpretation, with its public page. */
  private Future<List<Document>> documents(List<String> ids) {
    return Future.all(ids.stream().map(published).toList()).compose(all -> {
      List<Document> linked = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        Item item = all.resultAt(i);
        if (item == null) {
          return Future.failedFuture(Problem.badRequest("unknown-document", "关联的文件不存在或尚未发布",
            "documentIds[" + i + "]: " + ids.get(i)));
        }
        linked.add(new Document("id", item.id()).append("kind", item.kind().wire()).append("title", item.title())
          .append("url", publicBaseUrl + "/p/" + item.id()));
      }
      return Future.succeededFuture(linked);
    });
  }

  /** What the citizen gets: the reply, then the linked documents' titles and pages. */
  static String outgoing(CaseReply reply) {
    if (reply.documents().isEmpty()) {
      return reply.text();
    }
    StringBuilder text = new StringBuilder(reply.text()).append("\n相关文件：");
    reply.documents().forEach(d -> text.append("\n《").append(d.getString("title")).append("》").append(d.getString("url")));
    return text.toString();
  }

  /** Sends the reply and records its delivery. Never fails: a reply whose record failed stays sending, to go again. */
  private Future<CaseReply> deliver(Case c, CaseReply reply) {
    return deliveries.deliver(c.recipient(), outgoing(reply), Deliveries.Purpose.REPLY)
      .compose(delivery -> store.update(c.id(), current -> delivered(current, reply.id(), delivery), Case.Step.SYSTEM))
      .compose(moved -> moved == null ? Future.succeededFuture(c) : followed(moved))
      .map(after -> CaseReply.find(after, reply.id()).orElse(reply))
      .recover(failure -> {
        log.warn("delivery of reply {} on case {} not recorded; staff may send it again", reply.id(), c.id(), failure);
        return Future.succeededFuture(reply);
      });
  }

  private Case delivered(Case current, String replyId, Delivery delivery) {
    CaseReply reply = CaseReply.find(current, replyId).orElse(null);
    if (reply == null) {
      return null;
    }
    Instant now = clock.instant();
    CaseReply next = reply.delivered(delivery, now);
    boolean reached = CaseReply.reaches(delivery);
    Case.Step step = new Case.Step(Case.Step.SYSTEM, null, now, reached ? "delivered" : "delivery-failed",
      current.status(), current.status(), current.departmentId(), null, delivery.route() + " " + delivery.status());
    return current.change(step, e -> {
      e.replies = CaseReply.replacing(current, next);
      if (reached || next.reachedAt() != null) {
        e.flags.remove(DELIVERY_FAILED);
      } else {
        e.flags.add(DELIVERY_FAILED);
      }
    });
  }

  // Review

  Future<CaseReply> approve(CaseScope scope, String caseId, String replyId, String note, String requestLogId) {
    return reviewed(scope, caseId, replyId, true, note, requestLogId);
  }

  Future<CaseReply> reject(CaseScope scope, String caseId, String replyId, String reason, String requestLogId) {
    return reviewed(scope, caseId, replyId, false, reason, requestLogId);
  }

  private Future<CaseReply> reviewed(CaseScope scope, String caseId, String replyId, boolean approved, String note,
                                     String requestLogId) {
    return scope.visible(store, caseId).compose(c -> {
      if (!Reviewers.reviews(scope, c.departmentId())) {
        throw Problem.forbidden("答复由该部门负责人或督办人员审核");
      }
      return store.update(c.id(), current -> decided(scope, current, replyId, approved, note), scope.principal().staffId())
        .compose(this::followed)
        .compose(after -> audited(scope, approved ? "case.reply.approve" : "case.reply.reject", c, after, requestLogId)
          .map(after))
        .compose(after -> {
          CaseReply reply = CaseReply.find(after, replyId).orElseThrow();
          return approved ? deliver(after, reply) : Future.succeededFuture(reply);
        });
    });
  }

  private Case decided(CaseScope scope, Case current, String replyId, boolean approved, String note) {
    CaseReply reply = CaseReply.find(current, replyId).orElseThrow(() -> Problem.notFound("答复"));
    if (reply.status() != CaseReply.Status.PENDING_REVIEW) {
      throw Problem.conflict("reply-not-in-review", "该答复不在审核中", null).with("status", reply.status().wire());
    }
    if (reply.authorId().equals(scope.principal().staffId())) {
      throw Problem.forbidden("审核人不能审核自己撰写的答复");
    }
    if (approved) {
      CaseAction.REPLY.require(current.status());
    }
    Instant now = clock.instant();
    Document decision = new Document("by", scope.principal().staffId()).append("byName", scope.principal().username())
      .append("at", Times.show(now)).append("decision", approved ? "approved" : "rejected").append("note", note);
    CaseReply next = reply.reviewed(decision, approved ? CaseReply.Status.SENDING : CaseReply.Status.REJECTED, now);
    Case.Step step = approved ? step(scope, current, now, "reply", CaseStatus.ANSWERED, null, "审核通过" + suffix(note))
      : step(scope, current, now, "reply-rejected", current.status(), note, null);
    return current.change(step, e -> {
      e.replies = CaseReply.replacing(current, next);
      if (approved) {
        e.status = CaseStatus.ANSWERED;
        e.flags.remove(DELIVERY_FAILED);
      }
    });
  }

  private Future<Void> askReview(Case c) {
    JsonObject data = new JsonObject().put("caseId", c.id()).put("number", c.number())
      .put("departmentId", c.departmentId());
    return events.publish(new Event("case.reply-review", data, new Event.Audience(CASE_ROLES,
      c.departmentId() == null ? Set.of() : Set.of(c.departmentId()), Set.of(), Set.of())))
      .recover(failure -> Future.succeededFuture());
  }

  // After a failed delivery

  /** Sends a reply that did not reach the citizen again (or one whose send was lost); 409 otherwise. */
  Future<CaseReply> redeliver(CaseScope scope, String caseId, String replyId, String requestLogId) {
    return scope.visible(store, caseId).compose(c -> {
      scope.requireWorker(c);
      return store.update(c.id(), current -> resend(scope, current, replyId), scope.principal().staffId())
        .compose(this::followed)
        .compose(after -> audited(scope, "case.reply.redeliver", c, after, requestLogId).map(after))
        .compose(after -> deliver(after, CaseReply.find(after, replyId).orElseThrow()));
    });
  }

  /** Marks the reply sending again (so a second click finds it sending and is refused). */
  private Case resend(CaseScope scope, Case current, String replyId) {
    CaseReply reply = CaseReply.find(current, replyId).orElseThrow(() -> Problem.notFound("答复"));
    Instant now = clock.instant();
    boolean failed = reply.status() == CaseReply.Status.SENT && reply.reachedAt() == null;
    boolean lost = reply.status() == CaseReply.Status.SENDING && reply.sentAt() != null
      && reply.sentAt().plus(STUCK).isBefore(now);
    if (!failed && !lost) {
      throw Problem.conflict("not-redeliverable", "只有未送达的答复可以重新发送", null)
        .with("status", reply.status().wire()).with("reached", reply.reachedAt() != null);
    }
    return current.change(step(scope, current, now, "redeliver", current.status(), null, null),
      e -> e.replies = CaseReply.replacing(current, reply.with(CaseReply.Status.SENDING, now)));
  }

  /** Staff reached the citizen another way (a call, a letter): recorded, the flag cleared, the rating window opens. */
  Future<CaseReply> reached(CaseScope scope, String caseId, String replyId, String how, String note,
                            String requestLogId) {
    return scope.visible(store, caseId).compose(c -> {
      scope.requireWorker(c);
      return store.update(c.id(), current -> {
        CaseReply reply = CaseReply.find(current, replyId).orElseThrow(() -> Problem.notFound("答复"));
        if (reply.status() != CaseReply.Status.SENT && reply.status() != CaseReply.Status.SENDING
          || reply.reachedAt() != null) {
          throw Problem.conflict("not-unreached", "只有已发出但未送达的答复可以登记其他方式送达", null)
            .with("status", reply.status().wire());
        }
        Instant now = clock.instant();
        Document record = new Document("how", how).append("note", note).append("by", scope.principal().staffId())
          .append("byName", scope.principal().username()).append("at", Times.show(now));
        CaseReply next = reply.reachedOtherwise(record, now);
        return current.change(step(scope, current, now, "reached", current.status(), null, how + "：" + note), e -> {
          e.replies = CaseReply.replacing(current, next);
          e.flags.remove(DELIVERY_FAILED);
        });
      }, scope.principal().staffId())
        .compose(this::followed)
        .compose(after -> audited(scope, "case.reply.reached", c, after, requestLogId).map(after))
        .map(after -> CaseReply.find(after, replyId).orElseThrow());
    });
  }

  // Shared steps

  private Future<Case> followed(io.govmedia.platform.GuardedStore.Moved<Case> moved) {
    if (moved == null) {
      return Future.failedFuture(Problem.notFound("工单"));
    }
    if (!moved.changed()) {
      return Future.succeededFuture(moved.after());
    }
    return changes.followed(moved.before(), moved.after(), null).compose(c -> closing.follow(c).map(c));
  }

  private static CaseReply byRequest(Case c, String requestId) {
    return CaseReply.of(c).stream().filter(r -> requestId.equals(r.requestId())).findFirst().orElse(null);
  }

  private static Case.Step step(CaseScope scope, Case c, Instant now, String action, CaseStatus to, String reason,
                                String note) {
    return new Case.Step(scope.principal().staffId(), scope.principal().username(), now, action, c.status(), to,
      c.departmentId(), reason, note);
  }

  private static String suffix(String note) {
    return note == null ? "" : "：" + note;
  }

  private Future<Void> audited(CaseScope scope, String action, Case before, Case after, String requestLogId) {
    return audit.append(scope.principal().actor(), action, "case", after.id(), CaseActions.summary(before),
      CaseActions.summary(after), requestLogId).mapEmpty();
  }
}
