package io.govmedia.inbox;

import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountStore;
import io.govmedia.platform.Config;
import io.govmedia.platform.Problem;
import io.govmedia.wechat.WeChatGateway;
import io.govmedia.weibo.WeiboClient;
import io.govmedia.weibo.WeiboException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import me.chanjar.weixin.common.api.WxConsts;
import me.chanjar.weixin.mp.bean.kefu.WxMpKefuMessage;
import me.chanjar.weixin.mp.bean.template.WxMpTemplateData;
import me.chanjar.weixin.mp.bean.template.WxMpTemplateMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link Deliveries} over the channels a case came from. WeChat: a customer-service message inside the 48-hour
 * window, else (or when WeChat refuses it: 45015 out of time, 45047 count limit, 43004 not a follower…) the account's
 * template message when one is configured, else the mini-program's case page. Weibo: a public comment reply. An
 * article comment: the reply under it. The mini-program: its case page, {@code GET /mp/v1/messages/{id}}, where the
 * citizen (by the mini-program's openid, or the unionid that also names them in an official account's chat) reads
 * every reply sent ({@link MiniappCases#detail}); the templates they authorized stay on the case's reply target
 * ({@code subscribeTemplateIds}) for subscribe messages, which are not sent yet.
 * Staff-entered channels get nothing: staff answer by phone or in writing. Nothing here fails the future.
 */
final class ChannelDeliveries implements Deliveries {

  /** WeChat lets an account write to a citizen this long after their last message (客服消息). */
  static final Duration KF_WINDOW = Duration.ofHours(48);
  /**
   * Weibo wants the address of the person acting; an acknowledgement has none. A caller may put the staff member's
   * address in the reply target as {@code rip}.
   */
  static final String SERVER_RIP = "127.0.0.1";
  private static final Logger log = LoggerFactory.getLogger(ChannelDeliveries.class);

  private final AccountStore accounts;
  private final WeChatGateway wechat;
  private final WeiboClient weibo;
  private final Map<String, Config.WeChatTemplate> templates;
  private final String publicBaseUrl;
  private final Clock clock;

  ChannelDeliveries(AccountStore accounts, WeChatGateway wechat, WeiboClient weibo,
                    Map<String, Config.WeChatTemplate> templates, String publicBaseUrl, Clock clock) {
    this.accounts = accounts;
    this.wechat = wechat;
    this.weibo = weibo;
    this.templates = templates;
    this.publicBaseUrl = publicBaseUrl;
    this.clock = clock;
  }

  @Override
  public Future<Delivery> deliver(Recipient to, String text, Purpose purpose) {
    Attempts attempts = new Attempts(clock);
    Future<Delivery> delivered;
    try {
      delivered = route(to, text, purpose, attempts);
    } catch (RuntimeException bug) {
      delivered = Future.failedFuture(bug);
    }
    return delivered.recover(failure -> {
      log.warn("delivery of case {} failed unexpectedly", to.caseId(), failure);
      return Future.succeededFuture(attempts.failed("none", errorOf(failure)));
    });
  }

  private Future<Delivery> route(Recipient to, String text, Purpose purpose, Attempts attempts) {
    if (to.channel().staffEntered()) {
      return Future.succeededFuture(attempts.failed("none", CaseTexts.ANSWER_BY_HAND));
    }
    if (to.channel() == Channel.MINIAPP || to.accountId() == null) {
      return Future.succeededFuture(attempts.page());
    }
    return accounts.find(to.accountId()).compose(account -> account == null
      ? Future.succeededFuture(attempts.failed("none", "account-missing"))
      : switch (to.channel()) {
        case WECHAT -> wechat(account, to, text, purpose, attempts);
        case WECHAT_COMMENT -> articleComment(account, to, text, purpose, attempts);
        case WEIBO -> weibo(account, to, text, purpose, attempts);
        default -> Future.succeededFuture(attempts.page());
      });
  }

  // WeChat official account: kf → template → case page

  private Future<Delivery> wechat(Account account, Recipient to, String text, Purpose purpose, Attempts attempts) {
    String openid = to.citizen() == null ? null : to.citizen().openid();
    if (openid == null) {
      return Future.succeededFuture(attempts.page());
    }
    String link = CaseTexts.link(publicBaseUrl, to.caseId());
    boolean windowOpen = to.lastMessageAt() != null
      && Duration.between(to.lastMessageAt(), clock.instant()).compareTo(KF_WINDOW) < 0;
    Future<Boolean> kf = windowOpen
      ? attempts.tried("wechat_kf", () -> wechat.call(account, wx -> wx.getKefuService()
        .sendKefuMessage(kfText(openid, CaseTexts.forPrivate(purpose, to.number(), text, link, CaseTexts.KF_LIMIT)))))
      : Future.succeededFuture(false);
    return kf.compose(sent -> sent ? Future.succeededFuture(attempts.delivered("wechat_kf"))
      : template(account, openid, to.number(), text, purpose, link, attempts));
  }

  private Future<Delivery> template(Account account, String openid, String number, String text, Purpose purpose,
                                    String link, Attempts attempts) {
    Config.WeChatTemplate template = templates.get(account.appId());
    if (template == null) {
      return Future.succeededFuture(attempts.page());
    }
    WxMpTemplateMessage message = WxMpTemplateMessage.builder().toUser(openid).templateId(template.templateId())
      .url(link).build()
      .addData(new WxMpTemplateData(template.numberField(), number))
      .addData(new WxMpTemplateData(template.summaryField(), CaseTexts.summary(purpose, text)));
    return attempts.tried("wechat_template", () -> wechat.call(account, wx -> wx.getTemplateMsgService()
        .sendTemplateMsg(message)))
      .map(sent -> sent ? attempts.delivered("wechat_template") : attempts.page());
  }

  private static WxMpKefuMessage kfText(String openid, String content) {
    WxMpKefuMessage message = new WxMpKefuMessage();
    message.setMsgType(WxConsts.KefuMsgType.TEXT);
    message.setToUser(openid);
    message.setContent(content);
    return message;
  }

  // Public replies: under the article comment, under the Weibo comment or mention

  private Future<Delivery> articleComment(Account account, Recipient to, String text, Purpose purpose,
                                          Attempts attempts) {
    JsonObject target = to.replyTarget() == null ? new JsonObject() : to.replyTarget();
    String msgDataId = target.getString("msgDataId");
    Integer index = target.getInteger("index", 0);
    Long commentId = target.getLong("userCommentId");
    if (msgDataId == null || commentId == null) {
      return Future.succeededFuture(attempts.failed("wechat_comment", "reply-target-missing"));
    }
    String reply = CaseTexts.forArticleComment(purpose, to.number(), text, CaseTexts.link(publicBaseUrl, to.caseId()));
    return attempts.tried("wechat_comment", () -> wechat.call(account, wx -> {
        wx.getCommentService().replyAdd(msgDataId, index, commentId, reply);
        return true;
      }))
      .map(sent -> sent ? attempts.delivered("wechat_comment") : attempts.failed());
  }

  private Future<Delivery> weibo(Account account, Recipient to, String text, Purpose purpose, Attempts attempts) {
    JsonObject target = to.replyTarget() == null ? new JsonObject() : to.replyTarget();
    String statusId = target.getString("statusId");
    String commentId = target.getString("commentId");
    String token = accounts.secret(account, "accessToken");
    if (statusId == null || token == null) {
      return Future.succeededFuture(attempts.failed("weibo_comment", statusId == null ? "reply-target-missing"
        : "weibo-token-missing"));
    }
    String rip = target.getString("rip", SERVER_RIP);
    String comment = CaseTexts.forWeibo(purpose, to.number(), text, CaseTexts.link(publicBaseUrl, to.caseId()));
    return attempts.tried("weibo_comment", () -> commentId == null
        ? weibo.comment(token, statusId, comment, rip)
        : weibo.reply(token, statusId, commentId, comment, rip))
      .map(sent -> sent ? attempts.delivered("weibo_comment") : attempts.failed());
  }

  /** What the console shows of a failure: WeChat's or Weibo's error code, else our problem code. */
  static String errorOf(Throwable failure) {
    if (failure instanceof Problem problem) {
      Integer errcode = problem.extensions().getInteger("errcode");
      return errcode != null ? String.valueOf(errcode) : problem.code();
    }
    if (failure instanceof WeiboException weiboFailure) {
      return weiboFailure.errorCode() != 0 ? String.valueOf(weiboFailure.errorCode())
        : "weibo-" + weiboFailure.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
    return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
  }

  /** The attempts of one delivery, in order, and the {@link Delivery} they add up to. */
  private static final class Attempts {
    private final Clock clock;
    private final List<Delivery.Attempt> made = new ArrayList<>();

    Attempts(Clock clock) {
      this.clock = clock;
    }

    /** Runs one attempt; true when it went through, false (recorded with its error) when it failed. */
    Future<Boolean> tried(String route, Supplier<Future<?>> send) {
      Future<?> sent;
      try {
        sent = send.get();
      } catch (RuntimeException e) {
        sent = Future.failedFuture(e);
      }
      return sent.map(ok -> {
        add(route, true, null);
        return true;
      }).otherwise(failure -> {
        add(route, false, errorOf(failure));
        return false;
      });
    }

    synchronized void add(String route, boolean ok, String error) {
      made.add(new Delivery.Attempt(route, ok, error, clock.instant()));
    }

    synchronized Delivery delivered(String route) {
      return new Delivery(route, "delivered", clock.instant(), made);
    }

    /** Nothing reached the citizen: they read it on the mini-program's case page. */
    synchronized Delivery page() {
      return new Delivery("miniapp_page", "available", clock.instant(), made);
    }

    /** The last attempt failed: the delivery failed on its route. */
    synchronized Delivery failed() {
      return new Delivery(made.get(made.size() - 1).route(), "failed", clock.instant(), made);
    }

    synchronized Delivery failed(String route, String reason) {
      add(route, false, reason);
      return failed();
    }
  }
}
