package io.govmedia.publishing;

import io.govmedia.accounts.Account;
import io.govmedia.content.PostView;
import io.govmedia.platform.Problem;
import io.govmedia.wechat.WeChatGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import me.chanjar.weixin.common.api.WxConsts;
import me.chanjar.weixin.mp.bean.WxMpMassPreviewMessage;
import me.chanjar.weixin.mp.bean.WxMpMassTagMessage;
import me.chanjar.weixin.mp.bean.freepublish.WxMpFreePublishArticles;
import me.chanjar.weixin.mp.bean.freepublish.WxMpFreePublishItem;
import me.chanjar.weixin.mp.bean.freepublish.WxMpFreePublishStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * WeChat: free publish (draft + {@code freepublish/submit}, no notification, the result later) or mass send
 * (群发 of the same draft, or of the post's video as {@code mpvideo}, with the slot's {@code clientMsgId}).
 *
 * <p>Before the send itself the state gets {@code sending: true} (and {@code sendingAt}); a send whose state already
 * says so may have gone out, so it is first checked, never simply repeated. A mass send is safe to repeat as such:
 * WeChat refuses a second send with the same {@code clientmsgid} (45065).
 *
 * <p>Finding a free publish again without its {@code publish_id}: the article's {@code content_source_url} is the
 * post's page with {@code ?s={slotId}}, which {@code freepublish/batchget} shows. When the editor gave a source URL
 * of their own, that link is kept (it is what readers should reach) and the article is matched on that URL with
 * its title and digest among the publications since the send was started.
 */
final class WeChatPublisher implements Publisher {

  static final Duration FIRST_CHECK = Duration.ofSeconds(30);
  /** How long after a submit an article missing from batchget may still be a job in progress. */
  static final Duration JOB_WINDOW = Duration.ofMinutes(15);
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  /**
   * How long a mass send may be re-asked with its clientMsgId: WeChat refuses a repeat (45065) only within 24 hours,
   * after that the same request would send it again. An hour's margin for clocks and slow checks.
   */
  static final Duration CLIENT_MSG_ID_MEMORY = Duration.ofHours(23);
  private static final int BATCH_SIZE = 20;
  private static final int BATCH_PAGES = 5;
  private static final Pattern OPENID = Pattern.compile("[A-Za-z0-9_-]{28}");

  private final WeChatGateway gateway;
  private final WeChatDraft drafts;
  private final Clock clock;

  WeChatPublisher(WeChatGateway gateway, MediaSource media, Clock clock) {
    this.gateway = gateway;
    this.drafts = new WeChatDraft(gateway, media);
    this.clock = clock;
  }

  @Override
  public Future<Outcome> send(Send send) {
    Outcome refused = refused(send);
    if (refused != null) {
      return Future.succeededFuture(refused);
    }
    if (send.state().getBoolean("sending", false) && !mass(send)) {
      return resume(send);
    }
    return marked(send)
      .compose(state -> send.progress().apply(state).map(state))
      .compose(state -> call(send, state), failure -> Future.succeededFuture(WeChatRefusals.beforeSending(failure)));
  }

  /** The draft (or mpvideo) of a send about to start, in the state marked as sending. */
  @Override
  public Future<JsonObject> prepare(Send send) {
    return refused(send) != null ? Future.failedFuture(new IllegalStateException("not sendable to WeChat"))
      : marked(send);
  }

  @Override
  public Future<Outcome> sendPrepared(Send send) {
    return call(send, send.state());
  }

  /** A send WeChat cannot take whatever happens: the post has no WeChat variant, or the mode is unknown. */
  private static Outcome refused(Send send) {
    if (send.post().wechat() == null) {
      return new Outcome.Failed("no-wechat-variant", "稿件没有微信版本，无法发到公众号", false, Duration.ZERO);
    }
    if (!mass(send) && send.mode() != null && !"freepublish".equals(send.mode())) {
      return new Outcome.Failed("unknown-mode", "未知的微信发布方式：" + send.mode(), false, Duration.ZERO);
    }
    return null;
  }

  private Future<JsonObject> marked(Send send) {
    return draft(send).map(state -> state.copy().put("sending", true).put("sendingAt", clock.instant().toString()));
  }

  private Future<Outcome> call(Send send, JsonObject state) {
    return mass(send) ? massSend(send, state) : submit(send, state);
  }

  @Override
  public Future<Outcome> check(Send send) {
    JsonObject state = send.state();
    if (!state.getBoolean("sending", false)) {
      return Future.succeededFuture(new Outcome.NotFound("尚未向微信提交发送"));
    }
    if (mass(send)) {
      if (sendingAt(state).plus(CLIENT_MSG_ID_MEMORY).isBefore(clock.instant())) {
        return Future.succeededFuture(new Outcome.Unknown("mass-check-expired",
          "群发已超过 24 小时，微信不再拒绝重复的 clientMsgId，无法自动核实：请在公众号后台核实后标记为已发布，或确认未发出后重试", state));
      }
      return massSend(send, state).map(outcome -> outcome instanceof Outcome.Failed failed
        && failed.code().equals("mass-quota-exceeded")
        // The quota may have been spent by the very send in question: that proves nothing either way.
        ? new Outcome.Unknown(failed.code(), "群发额度已用完，无法确认此前的群发是否已发出，请在公众号后台核实", state)
        : outcome);
    }
    Future<Outcome> asked = state.getString("publishId") != null ? status(send) : find(send, 0);
    return asked.recover(failure -> Future.succeededFuture(WeChatRefusals.unknown(failure, state)));
  }

  @Override
  public Future<Void> withdraw(Send send) {
    String id = send.state().getString(mass(send) ? "msgId" : "articleId");
    if (id == null) {
      return Future.failedFuture(Problem.conflict("withdraw-refused", "无法撤回",
        "不知道这次发送在微信的编号，请在公众号后台删除。"));
    }
    Future<?> deleted = mass(send)
      ? gateway.call(send.account(), wx -> {
          wx.getMassMessageService().delete(Long.parseLong(id), 0);
          return true;
        })
      : gateway.call(send.account(), wx -> wx.getFreePublishService().deletePushAllArticle(id));
    return deleted.<Void>mapEmpty().recover(failure -> Future.failedFuture(WeChatRefusals.withdrawRefused(failure)));
  }

  /**
   * Sends the post as an mpnews preview to one WeChat user (an openid, or a WeChat ID, 微信号), from a draft of its
   * own: a preview belongs to no slot, so its source link is the editor's, if any.
   */
  Future<Void> preview(Account account, PostView post, String openidOrWxname) {
    if (post.wechat() == null) {
      return Future.failedFuture(Problem.badRequest("no-wechat-variant", "稿件没有微信版本", "请先填写微信版本再预览。"));
    }
    return drafts.unsaved(account, post).compose(mediaId -> gateway.call(account, wx -> {
      WxMpMassPreviewMessage message = new WxMpMassPreviewMessage();
      message.setMsgType(WxConsts.MassMsgType.MPNEWS);
      message.setMediaId(mediaId);
      if (OPENID.matcher(openidOrWxname).matches()) {
        message.setToWxUserOpenid(openidOrWxname);
      } else {
        message.setToWxUserName(openidOrWxname);
      }
      return wx.getMassMessageService().massMessagePreview(message);
    })).mapEmpty();
  }

  private static boolean mass(Send send) {
    return "mass".equals(send.mode());
  }

  /** The draft, or for a mass send of a video interpretation the mpvideo; each made once per slot. */
  private Future<JsonObject> draft(Send send) {
    return mass(send) && send.post().videoAssetId() != null ? drafts.video(send) : drafts.ensure(send);
  }

  /** A free publish an earlier attempt may have submitted: submitted again only when WeChat has no trace of it. */
  private Future<Outcome> resume(Send send) {
    return check(send).compose(outcome -> {
      if (!(outcome instanceof Outcome.NotFound)) {
        return Future.succeededFuture(outcome);
      }
      JsonObject again = send.state().copy().put("sendingAt", clock.instant().toString());
      return send.progress().apply(again).compose(v -> submit(send, again),
        failure -> Future.succeededFuture(WeChatRefusals.beforeSending(failure)));
    });
  }

  private Future<Outcome> submit(Send send, JsonObject state) {
    return gateway.call(send.account(), wx -> wx.getFreePublishService().submit(state.getString("mediaId")))
      // WxJava hands the JSON value over as written: a string publish_id arrives with its quotes.
      .<Outcome>map(publishId -> new Outcome.Pending(state.copy().put("publishId", publishId.replace("\"", "")), FIRST_CHECK))
      .recover(failure -> afterSending(send, failure, state));
  }

  private Future<Outcome> massSend(Send send, JsonObject state) {
    boolean video = state.getString("videoMediaId") != null;
    WxMpMassTagMessage message = new WxMpMassTagMessage();
    message.setSendAll(true);
    message.setMsgType(video ? WxConsts.MassMsgType.MPVIDEO : WxConsts.MassMsgType.MPNEWS);
    message.setMediaId(state.getString(video ? "videoMediaId" : "mediaId"));
    message.setClientMsgId(send.clientMsgId());
    message.setSendIgnoreReprint(false);
    return gateway.call(send.account(), wx -> wx.getMassMessageService().massGroupMessageSend(message))
      .<Outcome>map(sent -> new Outcome.Published(sent.getMsgId(), null,
        state.copy().put("msgId", sent.getMsgId()).put("msgDataId", sent.getMsgDataId())))
      .recover(failure -> alreadySent(failure)
        ? Future.succeededFuture(new Outcome.Published(state.getString("msgId"), null, state))
        : afterSending(send, failure, state));
  }

  /**
   * A failed send: when WeChat refused it, nothing went out, and the {@code sending} mark is taken back so that the
   * next attempt sends without asking first (if taking it back fails, the next attempt merely asks first).
   */
  private Future<Outcome> afterSending(Send send, Throwable failure, JsonObject state) {
    Outcome outcome = WeChatRefusals.afterSending(failure, state);
    if (!(outcome instanceof Outcome.Failed)) {
      return Future.succeededFuture(outcome);
    }
    return send.progress().apply(state.copy().put("sending", false)).transform(saved -> Future.succeededFuture(outcome));
  }

  private static boolean alreadySent(Throwable failure) {
    return failure instanceof Problem problem
      && Integer.valueOf(WeChatRefusals.ALREADY_SENT).equals(problem.extensions().getInteger("errcode"));
  }

  /**
   * A submitted job's result. Status 5 (published, then every article deleted in WeChat's console) is reported as
   * a non-retryable failure, not as NotFound: someone removed it on purpose, and it must not go out again by itself.
   */
  private Future<Outcome> status(Send send) {
    JsonObject state = send.state();
    return gateway.call(send.account(), wx -> wx.getFreePublishService().getPushStatus(state.getString("publishId")))
      .map(status -> switch (status.getPublish_status() == null ? -1 : status.getPublish_status()) {
        case 0 -> published(state, status.getArticle_id(), firstUrl(status));
        case 1 -> new Outcome.Pending(state, FIRST_CHECK);
        case 2 -> failed("wechat-originality-failed", "原创声明未通过，文章未发布");
        case 3 -> failed("wechat-publish-failed", "微信发布失败（常规失败），文章未发布");
        case 4 -> failed("wechat-audit-failed", "微信平台审核未通过，文章未发布");
        case 5 -> failed("wechat-article-deleted", "文章发布后已在公众号后台被全部删除");
        case 6 -> failed("wechat-article-banned", "文章发布后已被微信封禁");
        default -> new Outcome.Unknown("wechat-status-unknown", "微信返回了未知的发布状态", state);
      });
  }

  /** The article among the account's newest publications (batchget), matched on the slot; a few pages at most. */
  private Future<Outcome> find(Send send, int offset) {
    Instant since = sendingAt(send.state()).minus(CLOCK_SKEW);
    Pattern slot = Pattern.compile("[?&]s=" + Pattern.quote(send.slotId()) + "(?:[&#]|$)");
    return gateway.call(send.account(), wx -> wx.getFreePublishService().getPublicationRecords(offset, BATCH_SIZE, 0))
      .compose(page -> {
        List<WxMpFreePublishItem> items = page.getItems() == null ? List.of() : page.getItems();
        for (WxMpFreePublishItem item : items) {
          if (item.getUpdateTime() != null && Instant.ofEpochSecond(Long.parseLong(item.getUpdateTime())).isBefore(since)) {
            return Future.succeededFuture(notFound(send));
          }
          List<WxMpFreePublishArticles> articles = item.getContent() == null || item.getContent().getNewsItem() == null
            ? List.of() : item.getContent().getNewsItem();
          for (WxMpFreePublishArticles article : articles) {
            if (ours(send.post().wechat(), slot, article)) {
              return Future.succeededFuture(published(send.state(), item.getArticleId(), article.getUrl()));
            }
          }
        }
        boolean more = items.size() == BATCH_SIZE && offset + BATCH_SIZE < BATCH_SIZE * BATCH_PAGES;
        return more ? find(send, offset + BATCH_SIZE) : Future.succeededFuture(notFound(send));
      });
  }

  /** Our own page carries the slot id; an editor's source link is matched with the article's title and digest. */
  private static boolean ours(PostView.WeChat wechat, Pattern slot, WxMpFreePublishArticles article) {
    String source = article.getContentSourceUrl();
    if (wechat.sourceUrl() == null) {
      return source != null && slot.matcher(source).find();
    }
    return wechat.sourceUrl().equals(source) && Objects.equals(wechat.title(), article.getTitle())
      && Objects.equals(wechat.digest(), article.getDigest());
  }

  /** Not in batchget: a job submitted a short while ago may still be running, so that is "ask again later". */
  private Outcome notFound(Send send) {
    if (sendingAt(send.state()).plus(JOB_WINDOW).isAfter(clock.instant())) {
      return new Outcome.Pending(send.state(), Duration.ofMinutes(1));
    }
    return new Outcome.NotFound("微信的发布记录中没有找到这篇文章");
  }

  private static Instant sendingAt(JsonObject state) {
    String at = state.getString("sendingAt");
    return at == null ? Instant.EPOCH : Instant.parse(at);
  }

  private static Outcome published(JsonObject state, String articleId, String url) {
    return new Outcome.Published(articleId, url, state.copy().put("articleId", articleId).put("url", url));
  }

  private static String firstUrl(WxMpFreePublishStatus status) {
    var detail = status.getArticle_detail();
    return detail == null || detail.getItem() == null || detail.getItem().isEmpty() ? null
      : detail.getItem().get(0).getArticle_url();
  }

  private static Outcome failed(String code, String message) {
    return new Outcome.Failed(code, message, false, Duration.ZERO);
  }
}
