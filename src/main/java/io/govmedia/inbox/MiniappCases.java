package io.govmedia.inbox;

import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The inbox as the mini-program's citizens use it (issue 10): a message filed as a case under the id its request
 * claimed, follow-ups on it, the citizen's rating, an image WeChat's check flagged withheld from staff, and the
 * citizen's own cases — found by their mini-program openid, or by the unionid that names them in an official
 * account's chat too. What the citizen reads of a case ({@link #item}, {@link #detail}) has no staff names, no
 * departments, no internal history: the status, a short timeline, their messages and the replies they were sent.
 */
public final class MiniappCases {

  /** Ids the lists hand out as {@code next}. */
  public static final Pattern CURSOR = Pattern.compile("[0-9]{1,15}_[0-9a-f]{24}");
  private static final Map<CaseStatus, String> SHOWN = Map.of(CaseStatus.DISPATCHING, "已受理",
    CaseStatus.ASSIGNED, "已转交办理单位", CaseStatus.IN_PROGRESS, "办理中", CaseStatus.PAUSED, "办理中（暂停计时）",
    CaseStatus.ANSWERED, "已答复", CaseStatus.CLOSED, "已办结");

  /**
   * A message as the citizen sent it: {@code contact} (phone, and an information request's applicant) is sealed
   * with the case; {@code held} when WeChat's text check asked for a person's look.
   */
  public record Filing(String caseId, String accountId, String openid, String unionid, Category category,
                       String content, List<String> attachments, JsonObject contact, boolean consent,
                       List<String> subscribeTemplateIds, boolean held) {
  }

  /** Who asks: the session's mini-program account, openid and unionid. */
  public record Asker(String accountId, String openid, String unionid) {

    /** Whether the case is this citizen's: the same unionid, or the same mini-program openid. */
    boolean owns(Case c) {
      Citizen who = c.citizen();
      return unionid != null && unionid.equals(who.unionid())
        || c.channel() == Channel.MINIAPP && Objects.equals(accountId, c.accountId()) && openid != null
        && openid.equals(who.openid());
    }
  }

  private final CaseStore store;
  private final Intake intake;
  private final CaseChanges changes;
  private final Ratings ratings;
  private final CaseView view;
  private final CitizenCaseIndex index;
  private final Clock clock;

  MiniappCases(CaseStore store, Intake intake, CaseChanges changes, Ratings ratings, CaseView view,
               CitizenCaseIndex index, Clock clock) {
    this.store = store;
    this.intake = intake;
    this.changes = changes;
    this.ratings = ratings;
    this.view = view;
    this.index = index;
    this.clock = clock;
  }

  /** Files the message as a new case under {@code caseId}; a second try with the same id answers the same case. */
  public Future<Case> file(Filing f) {
    Instant now = clock.instant();
    JsonObject target = f.subscribeTemplateIds().isEmpty() ? null
      : new JsonObject().put("subscribeTemplateIds", new JsonArray(f.subscribeTemplateIds()));
    Case opened = Case.open(f.caseId(), null, Channel.MINIAPP, f.accountId(), new Citizen(f.openid(), f.unionid(), null,
        null), view.seal(f.caseId(), f.contact()), f.category(), Urgency.NORMAL, Intake.title(f.content()),
      new Case.Message(f.content(), now, "mp:" + f.caseId(), f.attachments()), null, f.consent(), target, now);
    Case flagged = f.held() ? opened.change(null, e -> e.flags.add(Case.HELD)) : opened;
    return intake.numbered(flagged).compose(numbered -> intake.start(numbered, new Case.Step(Case.Step.CITIZEN, null,
      now, "received", null, CaseStatus.DISPATCHING, null, null, Channel.MINIAPP.label()), f.content()));
  }

  /** The case if it is the asker's; else (unknown, malformed, another citizen's) 404, the same answer each time. */
  public Future<Case> mine(Asker asker, String caseId) {
    return io.govmedia.platform.Ids.lookup(caseId, store::find, "留言")
      .compose(c -> asker.owns(c) ? Future.succeededFuture(c) : Future.failedFuture(Problem.notFound("留言")));
  }

  /** A page of the asker's cases, newest first. */
  public Future<JsonObject> list(Asker asker, String cursor, int limit) {
    List<String> keys = new ArrayList<>(CitizenCaseIndex.keys(Channel.MINIAPP, asker.accountId(), asker.openid(),
      asker.unionid()));
    return index.page(keys, cursor, limit).compose(found -> store.written(found.ids()).map(cases -> {
      JsonArray items = new JsonArray();
      found.ids().forEach(id -> cases.stream().filter(c -> c.id().equals(id) && asker.owns(c)).findFirst()
        .ifPresent(c -> items.add(item(c))));
      return new JsonObject().put("items", items).put("next", found.next());
    }));
  }

  /**
   * Adds the citizen's follow-up to their case (not once it is closed: 409 {@code case-closed}); {@code held} marks
   * the case for a person's look.
   */
  public Future<Case> followUp(Asker asker, String caseId, String followUpId, String text, List<String> attachments,
                               boolean held) {
    return mine(asker, caseId).compose(mine -> store.update(caseId, c -> {
      String source = "mp:" + followUpId;
      if (c.messages().stream().anyMatch(m -> source.equals(m.sourceId()))) {
        return null;
      }
      if (c.status() == CaseStatus.CLOSED) {
        throw Problem.conflict("case-closed", "留言已办结，不能追加；如有新的问题请重新留言", null);
      }
      Instant now = clock.instant();
      return c.change(new Case.Step(Case.Step.CITIZEN, null, now, "message", c.status(), c.status(), c.departmentId(),
        null, held ? "追加留言；内容安全检测建议人工复核" : "追加留言"), e -> {
          e.messages.add(new Case.Message(text, now, source, attachments));
          e.attachments.addAll(attachments);
          e.lastMessageAt = now;
          if (held) {
            e.flags.add(Case.HELD);
          }
        });
    }, Case.Step.CITIZEN)).compose(moved -> moved == null ? Future.failedFuture(Problem.notFound("留言"))
      : moved.changed() ? changes.followed(moved.before(), moved.after(), null) : Future.succeededFuture(moved.after()));
  }

  /** The citizen rates the reply they were sent, by the inbox's rules (7 days, once, unsatisfied reopens). */
  public Future<Case> rate(Asker asker, String caseId, String value, String comment) {
    return mine(asker, caseId).compose(c -> ratings.rate(c.id(), new Ratings.Rating(value, comment, "miniapp",
      Case.Step.CITIZEN, null)));
  }

  /** The rating values a citizen may give. */
  public static java.util.Set<String> ratingValues() {
    return Ratings.VALUES.keySet();
  }

  /**
   * Withholds an image WeChat's check flagged: staff views leave it out from now on, the history says so. True once
   * withheld (now or before); false when the case does not hold it (yet).
   */
  public Future<Boolean> withhold(String caseId, String assetId, String label) {
    return store.update(caseId, c -> {
      if (!c.attachments().contains(assetId)) {
        return null;
      }
      Instant now = clock.instant();
      return c.change(new Case.Step(Case.Step.SYSTEM, null, now, "image-withheld", c.status(), c.status(),
        c.departmentId(), null, "1 张图片未通过内容安全检测" + (label == null ? "" : "（" + label + "）") + "，已隐藏"), e -> {
          e.attachments.replaceAll(a -> a.equals(assetId) ? Case.WITHHELD + a : a);
          e.messages.replaceAll(m -> m.attachments().contains(assetId) ? new Case.Message(m.text(), m.at(), m.sourceId(),
            m.attachments().stream().map(a -> a.equals(assetId) ? Case.WITHHELD + a : a).toList()) : m);
        });
    }, Case.Step.SYSTEM).compose(moved -> moved == null ? Future.succeededFuture(false)
      : !moved.changed() ? Future.succeededFuture(moved.after().attachments().contains(Case.WITHHELD + assetId))
      : changes.followed(moved.before(), moved.after(), null).map(true));
  }

  // What the citizen reads

  /** In the list: number, category, status, a short timeline, the answer-by date. */
  public JsonObject item(Case c) {
    return new JsonObject().put("id", c.id()).put("number", c.number()).put("category", c.category().wire())
      .put("categoryLabel", c.category().label()).put("title", c.title()).put("status", c.status().wire())
      .put("statusLabel", SHOWN.get(c.status())).put("timeline", timeline(c))
      .put("dueAt", c.deadline() == null ? null : Times.show(c.deadline().dueAt()))
      .put("createdAt", Times.show(c.createdAt())).put("replied", CaseReply.lastSent(c).isPresent());
  }

  /**
   * One case: the item, the citizen's messages with their images ({@code imageUrl} gives an image's link; a withheld
   * one is marked and has none), the replies sent to them, the rating and whether they may rate now.
   */
  public JsonObject detail(Case c, Function<String, String> imageUrl) {
    JsonArray messages = new JsonArray();
    c.messages().forEach(m -> messages.add(new JsonObject().put("text", m.text()).put("at", Times.show(m.at()))
      .put("images", images(m.attachments(), imageUrl))));
    JsonArray replies = new JsonArray();
    CaseReply.of(c).stream().filter(r -> r.status() == CaseReply.Status.SENT).forEach(r -> replies.add(new JsonObject()
      .put("text", r.text()).put("sentAt", Times.show(r.sentAt()))
      .put("documents", new JsonArray(r.documents().stream().map(d -> new JsonObject().put("title", d.getString("title"))
        .put("url", d.getString("url"))).toList()))));
    return item(c).put("content", c.content()).put("consentToPublish", c.consent()).put("messages", messages)
      .put("replies", replies).put("rating", c.rating() == null || c.rating().getString("value") == null ? null
        : new JsonObject().put("value", c.rating().getString("value")).put("at", c.rating().getString("at")))
      .put("canRate", canRate(c));
  }

  private static JsonArray images(List<String> attachments, Function<String, String> imageUrl) {
    JsonArray images = new JsonArray();
    for (String a : attachments) {
      boolean withheld = a.startsWith(Case.WITHHELD);
      String id = withheld ? a.substring(Case.WITHHELD.length()) : a;
      images.add(new JsonObject().put("id", id).put("withheld", withheld)
        .put("url", withheld ? null : imageUrl.apply(id)));
    }
    return images;
  }

  private boolean canRate(Case c) {
    if (c.status() != CaseStatus.ANSWERED) {
      return false;
    }
    return CaseReply.lastSent(c).filter(r -> r.reachedAt() == null
        || !clock.instant().isAfter(r.reachedAt().plus(ClosingQueue.RATING_WINDOW)))
      .filter(r -> c.rating() == null || !r.id().equals(c.rating().getString("replyId"))
        || c.rating().getString("value") == null)
      .isPresent();
  }

  /** Each change of status the citizen would care about, in Chinese, oldest first. */
  static JsonArray timeline(Case c) {
    JsonArray steps = new JsonArray();
    String last = null;
    for (Case.Step s : c.history()) {
      String text = "received".equals(s.action()) ? "已受理"
        : "held".equals(s.action()) ? "待人工复核"
        : s.to() != null && s.to() != s.from() ? SHOWN.get(s.to()) : null;
      if (text != null && !text.equals(last)) {
        steps.add(new JsonObject().put("at", Times.show(s.at())).put("status", text));
        last = text;
      }
    }
    return steps;
  }
}
