package io.govmedia.citizen;

import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.govmedia.content.ContentFeature;
import io.govmedia.content.Item;
import io.govmedia.content.ReviewStatus;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Input;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.govmedia.platform.RequestLog;
import io.govmedia.platform.Times;
import io.govmedia.workdays.Workdays;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Staff's side of 意见征集: an editor who may edit a draft document opens it for comment
 * ({@code POST /api/v1/documents/{id}/consultation}), reads the comments, decides on each (adopted, partly, not
 * adopted, with a reason), accepts or refuses those WeChat held for review, and publishes the adoption summary
 * (采纳情况) once the period is over. Only staff who may edit the document (its department and those above; admins)
 * reach its consultation: to anyone else it does not exist (404).
 */
final class ConsultationRoutes {

  static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
  private static final int EXCERPT_LENGTH = 100;
  private static final int MISSING_LISTED = 20;

  private final Consultations store;
  private final ContentFeature content;
  private final Workdays workdays;
  private final AuditLog audit;
  private final Clock clock;

  ConsultationRoutes(Consultations store, ContentFeature content, Workdays workdays, AuditLog audit, Clock clock) {
    this.store = store;
    this.content = content;
    this.workdays = workdays;
    this.audit = audit;
    this.clock = clock;
  }

  /** Mounted after content's own document routes, which leave this path to later routes. */
  void mount(Vertx vertx, Router root) {
    root.post("/api/v1/documents/:id/consultation").handler(this::open);
    Router router = Router.router(vertx);
    router.get("/").handler(this::list);
    router.get("/:id").handler(this::get);
    router.post("/:id/close").handler(this::close);
    router.get("/:id/comments").handler(this::comments);
    router.post("/:id/comments/:commentId/adoption").handler(this::adoption);
    router.post("/:id/comments/:commentId/screening").handler(this::screening);
    router.post("/:id/summary").handler(this::summary);
    root.route("/api/v1/consultations*").subRouter(router);
  }

  // Opening and closing

  private void open(RoutingContext ctx) {
    Principal principal = staff(ctx);
    Input input = Input.of(ctx);
    String kind = input.oneOf("kind", Consultation.Kind.WIRES);
    LocalDate from = date(input, "from");
    LocalDate to = date(input, "to");
    String shortReason = input.optionalText("shortReason", 500);
    input.validate();
    Instant now = clock.instant();
    LocalDate today = today(now);
    editableDocument(principal, ctx.pathParam("id"))
      .compose(document -> store.open(Consultation.open(Ids.newId(), document.id(), document.departmentId(),
        Consultation.Kind.parse(kind), unpublished(document).title(), excerpt(document.bodyText()), from, to,
        shortReason, principal.isAdmin(), today, workdays, principal.actor(), now), document.body(), running(today)))
      .compose(opened -> audited(ctx, "consultation.open", opened, null, opened.toJson(today)))
      .onSuccess(opened -> Reply.created(ctx, opened.toJson(today)))
      .onFailure(ctx::fail);
  }

  /** Ends the period early, with the reason (a draft withdrawn, a period opened by mistake). */
  private void close(RoutingContext ctx) {
    Principal principal = staff(ctx);
    Input input = Input.of(ctx);
    String reason = input.text("reason", 500);
    input.validate();
    Instant now = clock.instant();
    LocalDate today = today(now);
    consultation(principal, ctx.pathParam("id"))
      .compose(before -> store.replace(before, before.closed(reason, today, now))
        .compose(after -> audited(ctx, "consultation.close", after, before.toJson(today), after.toJson(today))))
      .onSuccess(after -> Reply.ok(ctx, after.toJson(today)))
      .onFailure(ctx::fail);
  }

  // Reading

  /** {@code ?status=scheduled|open|ended|summarized}; consultations of documents the member may edit. */
  private void list(RoutingContext ctx) {
    Principal principal = staff(ctx);
    Page page = Page.of(ctx);
    String status = ctx.request().getParam("status");
    if (status != null && !Consultation.Phase.WIRES.contains(status)) {
      throw Problem.badRequest("invalid-parameter", "查询参数有误", "status 取值应为 "
        + String.join(" / ", Consultation.Phase.WIRES.stream().sorted().toList()) + " 之一。");
    }
    LocalDate today = today(clock.instant());
    content.writableDepartments(principal)
      .compose(writable -> store.all().map(all -> all.stream()
        .filter(c -> writable.test(c.departmentId()) && (status == null || c.phase(today).wire().equals(status)))
        .filter(c -> page.cursor() == null || c.id().compareTo(page.cursor()) < 0)
        .limit(page.limit() + 1L).toList()))
      .onSuccess(list -> Reply.ok(ctx, page.answer(list, c -> c.toJson(today), Consultation::id)))
      .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    LocalDate today = today(clock.instant());
    consultation(staff(ctx), ctx.pathParam("id"))
      .onSuccess(found -> Reply.ok(ctx, found.toJson(today)))
      .onFailure(ctx::fail);
  }

  /** Every comment, oldest first (the order they are worked through); the commenter as a reference only. */
  private void comments(RoutingContext ctx) {
    Principal principal = staff(ctx);
    Page page = Page.of(ctx);
    consultation(principal, ctx.pathParam("id"))
      .compose(found -> store.comments(found.id(), page))
      .onSuccess(list -> Reply.ok(ctx, page.answer(list, ConsultationComment::toStaffJson, ConsultationComment::id)))
      .onFailure(ctx::fail);
  }

  // Deciding

  /** Adopted, partly or not adopted, with a reason (required unless adopted); changeable until the summary is out. */
  private void adoption(RoutingContext ctx) {
    Principal principal = staff(ctx);
    Input input = Input.of(ctx);
    String decision = input.oneOf("decision", ConsultationComment.Decision.VALUES);
    String reason = input.optionalText("reason", 1000);
    input.validate();
    ConsultationComment.Decision decided = ConsultationComment.Decision.of(decision, reason, principal.actor(),
      clock.instant());
    decidableComment(principal, ctx)
      .compose(comment -> {
        comment.requireShown();
        return store.decide(comment, decided);
      })
      .compose(after -> audit.append(principal.actor(), "consultation.adoption", "consultation-comment", after.id(),
        null, decided.toJson(), RequestLog.id(ctx)).map(after))
      .onSuccess(after -> Reply.ok(ctx, after.toStaffJson()))
      .onFailure(ctx::fail);
  }

  /** A comment WeChat held for review: staff accept it (shown, counted, to be decided on) or refuse it. */
  private void screening(RoutingContext ctx) {
    Principal principal = staff(ctx);
    Input input = Input.of(ctx);
    String decision = input.oneOf("decision", Set.of("accept", "refuse"));
    input.validate();
    decidableComment(principal, ctx)
      .compose(comment -> {
        if (comment.screened() != ConsultationComment.Screened.HELD) {
          return Future.failedFuture(Problem.conflict("comment-not-held", "该意见不在待审核状态", null));
        }
        return store.screen(comment, "accept".equals(decision), principal.actor());
      })
      .compose(after -> audit.append(principal.actor(), "consultation.screening", "consultation-comment", after.id(),
        null, new JsonObject().put("decision", decision), RequestLog.id(ctx)).map(after))
      .onSuccess(after -> Reply.ok(ctx, after.toStaffJson()))
      .onFailure(ctx::fail);
  }

  /**
   * 采纳情况: once the period is over and every comment is decided (held ones accepted or refused first), the counts
   * and the adopted comments' gist with the reasons; 409 {@code comments-undecided} says what is missing.
   */
  private void summary(RoutingContext ctx) {
    Principal principal = staff(ctx);
    Instant now = clock.instant();
    LocalDate today = today(now);
    consultation(principal, ctx.pathParam("id"))
      .compose(before -> {
        before.requireSummarizable(today);
        return store.everyComment(before.id())
          .map(all -> before.summarized(summaryOf(all, principal.actor(), now), today))
          .compose(after -> store.summarized(before, after))
          .compose(after -> audited(ctx, "consultation.summary", after, null, after.summary().toJson()));
      })
      .onSuccess(after -> Reply.ok(ctx, after.toJson(today)))
      .onFailure(ctx::fail);
  }

  private static Consultation.Summary summaryOf(List<ConsultationComment> all, AuditLog.Actor by, Instant now) {
    List<ConsultationComment> held = all.stream().filter(c -> c.screened() == ConsultationComment.Screened.HELD).toList();
    List<ConsultationComment> shown = all.stream().filter(c -> c.screened() == ConsultationComment.Screened.SHOWN)
      .toList();
    List<ConsultationComment> undecided = shown.stream().filter(c -> c.decision() == null).toList();
    if (!held.isEmpty() || !undecided.isEmpty()) {
      throw Problem.conflict("comments-undecided", "尚有意见未处理，不能公布采纳情况",
          "待审核 " + held.size() + " 条，未作采纳决定 " + undecided.size() + " 条。")
        .with("held", held.size()).with("undecided", undecided.size())
        .with("commentIds", new JsonArray(java.util.stream.Stream.concat(held.stream(), undecided.stream())
          .limit(MISSING_LISTED).map(ConsultationComment::id).toList()));
    }
    int adopted = count(shown, "adopted");
    int partly = count(shown, "partly");
    List<Consultation.Summary.Adopted> items = shown.stream()
      .filter(c -> !"not_adopted".equals(c.decision().value()))
      .map(c -> new Consultation.Summary.Adopted(c.gist(), c.decision().value(), c.decision().reason())).toList();
    return new Consultation.Summary(adopted, partly, shown.size() - adopted - partly, items, by, now);
  }

  private static int count(List<ConsultationComment> comments, String decision) {
    return (int) comments.stream().filter(c -> decision.equals(c.decision().value())).count();
  }

  // Helpers

  private static Principal staff(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.EDITOR, Role.ADMIN);
    return principal;
  }

  /** The document if the member may edit it; 404 as for an unknown one otherwise (whatever its department). */
  private Future<Item> editableDocument(Principal principal, String id) {
    return content.writableDepartments(principal).compose(writable -> Ids.lookup(id, content::document, "政策文件")
      .compose(document -> writable.test(document.departmentId()) ? Future.succeededFuture(document)
        : Future.failedFuture(Problem.notFound("政策文件"))));
  }

  /** The consultation if the member may edit its document (wherever the document is now); else 404. */
  private Future<Consultation> consultation(Principal principal, String id) {
    return Ids.lookup(id, store::find, "意见征集").compose(found -> content.writableDepartments(principal)
      .compose(writable -> content.document(found.documentId()).compose(document -> {
        String department = document == null ? found.departmentId() : document.departmentId();
        return writable.test(department) ? Future.succeededFuture(found)
          : Future.failedFuture(Problem.notFound("意见征集"));
      })));
  }

  /** A comment of a consultation the member reaches, while decisions may still change. */
  private Future<ConsultationComment> decidableComment(Principal principal, RoutingContext ctx) {
    return consultation(principal, ctx.pathParam("id")).compose(found -> {
      found.requireDecidable();
      return Ids.lookup(ctx.pathParam("commentId"), commentId -> store.comment(found.id(), commentId), "意见");
    });
  }

  /** Only a draft is put out for comment: a published document is final. */
  private static Item unpublished(Item document) {
    if (document.status() == ReviewStatus.PUBLISHED) {
      throw Problem.conflict("document-published", "已发布的文件不能再征求意见", null);
    }
    return document;
  }

  /** A consultation that still blocks another on its document: not yet over. */
  private static Predicate<Consultation> running(LocalDate today) {
    return c -> c.phase(today) == Consultation.Phase.SCHEDULED || c.phase(today) == Consultation.Phase.OPEN;
  }

  private Future<Consultation> audited(RoutingContext ctx, String action, Consultation consultation, JsonObject before,
                                       JsonObject after) {
    return audit.append(Principal.of(ctx).actor(), action, "consultation", consultation.id(), before, after,
      RequestLog.id(ctx)).map(consultation);
  }

  static LocalDate today(Instant now) {
    return now.atZone(Times.ZONE).toLocalDate();
  }

  private static String excerpt(String text) {
    if (text == null) {
      return "";
    }
    String flat = text.strip().replaceAll("\\s+", " ");
    return flat.codePointCount(0, flat.length()) <= EXCERPT_LENGTH ? flat
      : flat.substring(0, flat.offsetByCodePoints(0, EXCERPT_LENGTH)) + "……";
  }

  /** A date {@code yyyy-MM-dd} (Asia/Shanghai). */
  private static LocalDate date(Input input, String name) {
    String value = input.matching(name, DATE, "日期，如 2026-12-01");
    if (value == null) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      input.error(name, "不是有效的日期");
      return null;
    }
  }
}
