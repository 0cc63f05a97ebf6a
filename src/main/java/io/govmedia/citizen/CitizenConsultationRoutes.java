package io.govmedia.citizen;

import io.govmedia.content.ContentFeature;
import io.govmedia.content.Item;
import io.govmedia.content.ReviewStatus;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Input;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The citizens' side of 意见征集 under {@code /mp/v1/consultations}: the drafts open for comment, a draft's text, and
 * commenting on it within its period (screened by WeChat's content security like messages, under the same daily
 * limits). A citizen sees the details of their own comments only; others' reach them only through the published
 * adoption summary, masked, once the final document is out.
 */
final class CitizenConsultationRoutes {

  static final int MAX_CONTENT = 2000;
  /** Comments a citizen (an openid) may leave a day, and from one network address: as for messages. */
  static final int PER_CITIZEN = 10;
  static final int PER_ADDRESS = 100;

  private final Consultations store;
  private final ContentFeature content;
  private final Screening screening;
  private final CitizenLimits limits;
  private final Clock clock;

  CitizenConsultationRoutes(Consultations store, ContentFeature content, Screening screening, CitizenLimits limits,
                            Clock clock) {
    this.store = store;
    this.content = content;
    this.screening = screening;
    this.limits = limits;
    this.clock = clock;
  }

  /** Mounted behind the citizen session check. */
  void mount(Router root) {
    root.get("/mp/v1/consultations").handler(this::list);
    root.get("/mp/v1/consultations/:id").handler(this::get);
    root.get("/mp/v1/consultations/:id/comments").handler(this::mine);
    root.post("/mp/v1/consultations/:id/comments").handler(this::comment);
  }

  /** The drafts taking comments today, newest first: title, kind, period, an excerpt and the comment count. */
  private void list(RoutingContext ctx) {
    CitizenAuth.of(ctx);
    Page page = Page.of(ctx);
    LocalDate today = today();
    store.takingComments(today)
      .map(open -> open.stream().filter(c -> page.cursor() == null || c.id().compareTo(page.cursor()) < 0)
        .limit(page.limit() + 1L).toList())
      .onSuccess(list -> Reply.ok(ctx, page.answer(list, c -> c.citizenSummary(today), Consultation::id)))
      .onFailure(ctx::fail);
  }

  /**
   * A consultation from its first day on: the draft's text as put out, and once the final document is published,
   * the adoption summary and the document's page.
   */
  private void get(RoutingContext ctx) {
    CitizenAuth.of(ctx);
    LocalDate today = today();
    visible(ctx.pathParam("id"), today)
      .compose(found -> Future.all(store.text(found.id()), content.document(found.documentId()))
        .map(both -> {
          JsonObject json = found.citizenSummary(today).put("body", both.<String>resultAt(0));
          Item document = both.resultAt(1);
          if (document != null && document.status() == ReviewStatus.PUBLISHED) {
            json.put("documentUrl", "/p/" + document.id());
            if (found.summary() != null) {
              json.put("summary", found.summary().toJson());
            }
          }
          return json;
        }))
      .onSuccess(json -> Reply.ok(ctx, json))
      .onFailure(ctx::fail);
  }

  /** The citizen's own comments on it, newest first, with their decision once the summary is out. */
  private void mine(RoutingContext ctx) {
    CitizenSession who = CitizenAuth.of(ctx);
    Page page = Page.of(ctx);
    visible(ctx.pathParam("id"), today())
      .compose(found -> store.commentsOf(found.id(), who, page)
        .map(list -> page.answer(list, c -> c.toCitizenJson(found.summary() != null), ConsultationComment::id)))
      .onSuccess(json -> Reply.ok(ctx, json))
      .onFailure(ctx::fail);
  }

  /**
   * A comment (1–2,000 characters) within the period (else 409 {@code consultation-closed}); risky text is refused
   * (422 {@code content-refused}), text WeChat wants a person to read is kept but held until staff accept it.
   */
  private void comment(RoutingContext ctx) {
    CitizenSession who = CitizenAuth.of(ctx);
    Input input = Input.of(ctx);
    String text = input.text("content", MAX_CONTENT);
    input.validate();
    Instant now = clock.instant();
    LocalDate today = ConsultationRoutes.today(now);
    String address = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().host();
    Ids.lookup(ctx.pathParam("id"), store::find, "意见征集")
      .compose(found -> {
        found.requireOpen(today);
        return limits.take("comment", who, address, PER_CITIZEN, PER_ADDRESS)
          .compose(v -> screening.text(who, Screening.Scene.COMMENT, text))
          .compose(result -> result.verdict() == Screening.Verdict.RISKY ? Future.failedFuture(refused())
            : store.add(ConsultationComment.of(Ids.newId(), found.id(), who, text, result, now), who));
      })
      .onSuccess(added -> Reply.created(ctx, new JsonObject().put("id", added.id())
        .put("status", added.screened().wire())))
      .onFailure(ctx::fail);
  }

  private static Problem refused() {
    return new Problem(422, "content-refused", "内容含有违规信息，未能提交", "请修改后重新提交。");
  }

  /** A consultation citizens may see (from its first day on); 404 before that, as for an unknown id. */
  private Future<Consultation> visible(String id, LocalDate today) {
    return Ids.lookup(id, store::find, "意见征集").compose(found -> found.visibleToCitizens(today)
      ? Future.succeededFuture(found) : Future.failedFuture(Problem.notFound("意见征集")));
  }

  private LocalDate today() {
    return ConsultationRoutes.today(clock.instant());
  }
}
