package io.govmedia.citizen;

import cn.binarywang.wx.miniapp.bean.security.WxMaMediaSecCheckCheckRequest;
import cn.binarywang.wx.miniapp.bean.security.WxMaMsgSecCheckCheckRequest;
import cn.binarywang.wx.miniapp.bean.security.WxMaMsgSecCheckCheckResponse;
import io.govmedia.accounts.Account;
import io.govmedia.platform.Problem;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * {@link Screening} by WeChat's content security v2 for the mini-program the citizen signed in to: msgSecCheck for
 * text, mediaCheckAsync for images (type 2), both with the citizen's openid and the scene. A text check WeChat does
 * not answer with a verdict (unreachable, an error such as 61010 "the user has not visited lately") counts as
 * {@code review}: held for a staff look, never passed unseen and never the citizen's error.
 */
final class WeChatScreening implements Screening {

  private static final Logger log = LoggerFactory.getLogger(WeChatScreening.class);
  private static final int IMAGE = 2;
  private static final String VERSION = "2";

  private final MiniappServices services;
  private final List<Consumer<ImageVerdict>> listeners = new CopyOnWriteArrayList<>();

  WeChatScreening(MiniappServices services) {
    this.services = services;
  }

  @Override
  public Future<TextResult> text(CitizenSession who, Scene scene, String content) {
    WxMaMsgSecCheckCheckRequest request = WxMaMsgSecCheckCheckRequest.builder().version(VERSION)
      .openid(who.openid()).scene(scene.code()).content(content).build();
    return account(who)
      .compose(account -> services.call(account, wx -> wx.getSecurityService().checkMessage(request)))
      .map(WeChatScreening::textResult)
      .recover(failure -> {
        log.warn("text check of account {} held for review: {}", who.accountId(), reason(failure));
        return Future.succeededFuture(new TextResult(Verdict.REVIEW, null, null));
      });
  }

  /** Fails (503 {@code screening-unavailable}) when WeChat did not take the check: the image stays unchecked. */
  @Override
  public Future<String> image(CitizenSession who, Scene scene, String mediaUrl) {
    WxMaMediaSecCheckCheckRequest request = WxMaMediaSecCheckCheckRequest.builder().mediaUrl(mediaUrl)
      .mediaType(IMAGE).version(Integer.valueOf(VERSION)).openid(who.openid()).scene(scene.code()).build();
    return account(who)
      .compose(account -> services.call(account, wx -> wx.getSecurityService().mediaCheckAsync(request)))
      .compose(result -> result == null || result.getTraceId() == null
        ? Future.failedFuture(new IllegalStateException("no trace_id")) : Future.succeededFuture(result.getTraceId()))
      .recover(failure -> {
        log.warn("image check of account {} not started: {}", who.accountId(), reason(failure));
        return Future.failedFuture(new Problem(503, "screening-unavailable", "图片安全检测暂不可用",
          "微信内容安全接口未受理本次检测。").with("retryAfterSeconds", 30));
      });
  }

  @Override
  public void onImageVerdict(Consumer<ImageVerdict> listener) {
    listeners.add(listener);
  }

  /** Hands a pushed verdict to every listener; one listener's failure does not keep it from the others. */
  void deliver(ImageVerdict verdict) {
    for (Consumer<ImageVerdict> listener : listeners) {
      try {
        listener.accept(verdict);
      } catch (RuntimeException e) {
        log.warn("image verdict listener failed on trace {}", verdict.traceId(), e);
      }
    }
  }

  /** WeChat's suggestion as a verdict; anything unknown (or missing) is for a person to look at. */
  static Verdict verdict(String suggest) {
    if (suggest == null) {
      return Verdict.REVIEW;
    }
    return switch (suggest) {
      case "pass" -> Verdict.PASS;
      case "risky" -> Verdict.RISKY;
      default -> Verdict.REVIEW;
    };
  }

  private Future<Account> account(CitizenSession who) {
    return services.account(who.accountId()).compose(account -> account == null
      ? Future.failedFuture(new IllegalStateException("mini-program account " + who.accountId() + " is not active"))
      : Future.succeededFuture(account));
  }

  private static TextResult textResult(WxMaMsgSecCheckCheckResponse response) {
    WxMaMsgSecCheckCheckResponse.ResultBean result = response.getResult();
    return new TextResult(verdict(result == null ? null : result.getSuggest()),
      result == null ? null : result.getLabel(), response.getTraceId());
  }

  /** What went wrong, without the request (it holds the citizen's words and openid). */
  private static String reason(Throwable failure) {
    Integer errcode = MiniappServices.errcode(failure);
    return errcode != null ? "errcode " + errcode : failure.getClass().getSimpleName();
  }
}
