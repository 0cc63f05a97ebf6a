package io.govmedia.citizen;

import io.govmedia.checks.PersonalData;
import io.govmedia.inbox.Case;
import io.govmedia.inbox.Category;
import io.govmedia.inbox.MiniappCases;
import io.govmedia.media.AssetIds;
import io.govmedia.platform.Config;
import io.govmedia.platform.Idempotency;
import io.govmedia.platform.Input;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Redis;
import io.govmedia.platform.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Leaving a message and following it to the answer: {@code POST /mp/v1/messages} files a case in the inbox (channel
 * {@code miniapp}), {@code GET /mp/v1/messages} lists the citizen's own, {@code GET /mp/v1/messages/{id}} shows one
 * with the replies sent, {@code POST …/followups} adds to it, {@code POST …/rating} rates the answer. What the
 * citizen writes passes WeChat's text check first: risky is refused (nothing stored), review is filed but held for
 * a person's look. Writes count against the daily limits and take an {@code Idempotency-Key}: weak networks resend.
 */
final class MessageRoutes {

  private static final Logger log = LoggerFactory.getLogger(MessageRoutes.class);
  /** A mainland mobile, or a landline with its area code (and an extension). */
  static final Pattern PHONE = Pattern.compile("1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}(?:-[0-9]{1,6})?");
  private static final Pattern TEMPLATE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Set<String> CATEGORIES = Arrays.stream(Category.values()).map(Category::wire)
    .collect(Collectors.toUnmodifiableSet());
  private static final String LIMIT_KIND = "message";

  private final MiniappCases cases;
  private final CitizenAssets assets;
  private final Screening screening;
  private final CitizenLimits limits;
  private final Config.Citizen settings;
  private final Idempotency idempotency;

  MessageRoutes(MiniappCases cases, CitizenAssets assets, Screening screening, CitizenLimits limits,
                Config.Citizen settings, Redis redis) {
    this.cases = cases;
    this.assets = assets;
    this.screening = screening;
    this.limits = limits;
    this.settings = settings;
    this.idempotency = new Idempotency(redis, "mp-message", "留言");
  }

  void mount(Router root) {
    root.post("/mp/v1/messages").handler(this::create);
    root.get("/mp/v1/messages").handler(this::list);
    root.get("/mp/v1/messages/:id").handler(this::read);
    root.post("/mp/v1/messages/:id/followups").handler(this::followUp);
    root.post("/mp/v1/messages/:id/rating").handler(this::rate);
  }

  // Leaving a message

  /** A message as sent, checked. */
  private record Message(Category category, String content, List<String> assetIds, String contactPhone,
                         boolean consent, List<String> templates, JsonObject applicant) {

    JsonObject contact() {
      JsonObject contact = applicant == null ? new JsonObject() : applicant.copy();
      if (contactPhone != null) {
        contact.put("phone", contactPhone);
      }
      return contact;
    }
  }

  private void create(RoutingContext ctx) {
    CitizenSession who = CitizenAuth.of(ctx);
    Message message = message(Input.of(ctx));
    String key = Idempotency.key(ctx);
    String fingerprint = Idempotency.fingerprint(message.category(), message.content(), message.assetIds(),
      message.contactPhone(), message.consent(), message.templates(), message.applicant());
    idempotency.once(citizenKey(who), key, fingerprint, caseId -> file(ctx, who, message, caseId),
        caseId -> cases.mine(asker(who), caseId).otherwise((Case) null))
      .onSuccess(c -> Reply.created(ctx, cases.item(c).put("held", c.flags().contains(Case.HELD))))
      .onFailure(ctx::fail);
  }

  private Message message(Input input) {
    String category = input.oneOf("category", CATEGORIES);
    String content = input.text("content", settings.contentMax());
    List<String> assetIds = input.strings("assetIds", settings.imagesPerMessage(), AssetIds.FORMAT);
    String phone = input.optionalMatching("contactPhone", PHONE, "手机号码或带区号的固定电话");
    Boolean consent = input.optionalBoolean("consentToPublish");
    if (consent == null && !input.has("consentToPublish")) {
      input.error("consentToPublish", "必填：是否同意公开留言及答复（true 或 false）");
    }
    List<String> templates = input.strings("subscribeTemplateIds", 10, TEMPLATE_ID);
    JsonObject applicant = "disclosure_request".equals(category) ? applicant(input) : null;
    input.validate();
    return new Message(Category.parse(category).orElseThrow(), content, assetIds, phone, Boolean.TRUE.equals(consent),
      templates, applicant);
  }

  /** 政府信息公开条例 Art. 29: the applicant's name, ID document number and contact; sealed with the case. */
  private static JsonObject applicant(Input input) {
    JsonObject given = input.optionalObject("applicant");
    if (given == null) {
      input.error("applicant", "申请政府信息公开须填写申请人姓名、身份证件号码和联系方式");
      return null;
    }
    Input fields = Input.of(given);
    String name = fields.string("name", 50);
    String idNumber = fields.string("idNumber", 32);
    String contact = fields.string("contact", 200);
    if (name == null || idNumber == null || contact == null) {
      input.error("applicant", "applicant 应有 name、idNumber、contact 三项，均为非空字符串");
      return null;
    }
    if (idNumber.length() == 18 && !PersonalData.validIdNumber(idNumber)) {
      input.error("applicant.idNumber", "身份证号码校验未通过");
      return null;
    }
    JsonObject applicant = new JsonObject().put("name", name).put("idNumber", idNumber);
    return PHONE.matcher(contact).matches() ? applicant.put("phone", contact)
      : contact.contains("@") ? applicant.put("email", contact) : applicant.put("address", contact);
  }

  /** Counted, screened, its images checked, then filed; risky text is refused with nothing stored. */
  private Future<Case> file(RoutingContext ctx, CitizenSession who, Message m, String caseId) {
    return limits.take(LIMIT_KIND, who, address(ctx), settings.messagesPerDay(), settings.messagesPerAddress())
      .compose(v -> screened(who, Screening.Scene.FORUM, m.content()))
      .compose(held -> assets.attach(who, m.assetIds(), caseId)
        .compose(attachments -> cases.file(new MiniappCases.Filing(caseId, who.accountId(), who.openid(),
          who.unionid(), m.category(), m.content(), attachments, m.contact(), m.consent(), m.templates(), held))));
  }

  /**
   * WeChat's verdict on the text: risky → 422 {@code content-refused}; review → true (held for a person's look);
   * pass → false. Should the check itself fail, the text is held rather than refused or waved through.
   */
  private Future<Boolean> screened(CitizenSession who, Screening.Scene scene, String content) {
    return screening.text(who, scene, content).map(result -> {
      if (result.verdict() == Screening.Verdict.RISKY) {
        throw new Problem(422, "content-refused", "留言内容未通过内容安全检测，请修改后再提交",
          "内容可能含有违法违规信息。").with("label", result.label());
      }
      return result.verdict() == Screening.Verdict.REVIEW;
    }).recover(failure -> {
      if (failure instanceof Problem) {
        return Future.failedFuture(failure);
      }
      log.warn("text check failed; the message is held for review", failure);
      return Future.succeededFuture(true);
    });
  }

  // Following it

  private void list(RoutingContext ctx) {
    CitizenSession who = CitizenAuth.of(ctx);
    Page page = Page.of(ctx, cursor -> MiniappCases.CURSOR.matcher(cursor).matches());
    cases.list(asker(who), page.cursor(), Math.min(page.limit(), 50))
      .onSuccess(body -> Reply.ok(ctx, body))
      .onFailure(ctx::fail);
  }

  private void read(RoutingContext ctx) {
    CitizenSession who = CitizenAuth.of(ctx);
    cases.mine(asker(who), ctx.pathParam("id"))
      .onSuccess(c -> Reply.ok(ctx, cases.detail(c, assets::viewUrl)))
      .onFailure(ctx::fail);
  }

  private void followUp(RoutingContext ctx) {
    CitizenSession who = CitizenAuth.of(ctx);
    Input input = Input.of(ctx);
    String content = input.text("content", settings.contentMax());
    List<String> assetIds = input.strings("assetIds", settings.imagesPerMessage(), AssetIds.FORMAT);
    input.validate();
    String caseId = ctx.pathParam("id");
    MiniappCases.Asker asker = asker(who);
    Function<String, Future<Case>> make = followUpId -> cases.mine(asker, caseId)
      .compose(mine -> limits.take(LIMIT_KIND, who, address(ctx), settings.messagesPerDay(),
        settings.messagesPerAddress()))
      .compose(v -> screened(who, Screening.Scene.COMMENT, content))
      .compose(held -> assets.attach(who, assetIds, caseId)
        .compose(attachments -> cases.followUp(asker, caseId, followUpId, content, attachments, held)));
    idempotency.once(citizenKey(who), Idempotency.key(ctx), Idempotency.fingerprint(caseId, content, assetIds), make,
        followUpId -> cases.mine(asker, caseId).map(c -> c.messages().stream()
          .anyMatch(m -> ("mp:" + followUpId).equals(m.sourceId())) ? c : null))
      .onSuccess(c -> Reply.created(ctx, cases.detail(c, assets::viewUrl)))
      .onFailure(ctx::fail);
  }

  private void rate(RoutingContext ctx) {
    CitizenSession who = CitizenAuth.of(ctx);
    Input input = Input.of(ctx);
    String value = input.oneOf("rating", MiniappCases.ratingValues());
    String comment = input.optionalText("comment", 500);
    input.validate();
    cases.rate(asker(who), ctx.pathParam("id"), value, comment)
      .onSuccess(c -> Reply.ok(ctx, cases.detail(c, assets::viewUrl)))
      .onFailure(ctx::fail);
  }

  static MiniappCases.Asker asker(CitizenSession who) {
    return new MiniappCases.Asker(who.accountId(), who.openid(), who.unionid());
  }

  /** Idempotency keys are the citizen's own: another citizen's same key never meets them. */
  private static String citizenKey(CitizenSession who) {
    return who.accountId() + ":" + who.openid();
  }

  private static String address(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().host();
  }
}
