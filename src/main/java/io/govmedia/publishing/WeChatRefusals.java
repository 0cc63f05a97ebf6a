package io.govmedia.publishing;

import io.govmedia.platform.Problem;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * What a failed WeChat call means for a send. The gateway fails with a {@link Problem}: WeChat's refusals carry
 * {@code errcode}, network failures {@code outcomeUnknown}. Before the {@code sending} mark nothing went out, so
 * every failure there is a {@link Outcome.Failed} (retryable unless WeChat or the post itself says no); after it,
 * only an answer from WeChat proves anything, and everything else is {@link Outcome.Unknown}.
 */
final class WeChatRefusals {

  static final int MASS_QUOTA = 45028;
  static final int API_QUOTA = 45009;
  static final int RATE_LIMITED = 45011;
  static final int BUSY = -1;
  /** A mass send whose clientmsgid WeChat has seen within 24 hours: the earlier send went out. */
  static final int ALREADY_SENT = 45065;
  private static final Duration QUOTA_RETRY = Duration.ofHours(1);
  private static final Duration DEFAULT_RETRY = Duration.ofMinutes(1);

  private WeChatRefusals() {
  }

  /** A failure before anything was sent. */
  static Outcome beforeSending(Throwable failure) {
    if (!(failure instanceof Problem problem)) {
      return new Outcome.Failed("wechat-prepare-failed", "准备微信发布时出错，将稍后重试", true, DEFAULT_RETRY);
    }
    Integer errcode = problem.extensions().getInteger("errcode");
    if (errcode != null) {
      return refused(problem, errcode);
    }
    boolean retryable = problem.status() >= 500 || problem.status() == 429;
    return new Outcome.Failed(problem.code(), message(problem), retryable, retryAfter(problem, DEFAULT_RETRY));
  }

  /** A failure of the send itself, the {@code sending} mark saved: only WeChat's own refusal proves nothing went out. */
  static Outcome afterSending(Throwable failure, JsonObject state) {
    if (failure instanceof Problem problem && problem.extensions().getInteger("errcode") != null) {
      return refused(problem, problem.extensions().getInteger("errcode"));
    }
    if (failure instanceof Problem problem && Boolean.FALSE.equals(problem.extensions().getBoolean("outcomeUnknown"))) {
      return beforeSending(problem);  // the connection was never made: WeChat did not see the request
    }
    return unknown(failure, state);
  }

  /** The send may have happened: the scheduler asks WeChat before doing anything else. */
  static Outcome.Unknown unknown(Throwable failure, JsonObject state) {
    String code = failure instanceof Problem problem ? problem.code() : "wechat-outcome-unknown";
    return new Outcome.Unknown(code, "未收到微信的答复，无法确定是否已发出；将向微信查询，不会盲目重发", state);
  }

  /** WeChat said no: the errcode decides whether trying again later can help. */
  static Outcome.Failed refused(Problem problem, int errcode) {
    return switch (errcode) {
      case MASS_QUOTA -> new Outcome.Failed("mass-quota-exceeded",
        "本周期群发次数已用完（微信错误码 45028），请下个周期再发，或改用发布", false, Duration.ZERO);
      case API_QUOTA -> new Outcome.Failed("wechat-quota-exceeded",
        "微信接口今日调用次数已达上限（微信错误码 45009），稍后重试", true, retryAfter(problem, QUOTA_RETRY));
      case RATE_LIMITED, BUSY -> new Outcome.Failed(problem.code(),
        "微信繁忙或调用过于频繁（微信错误码 " + errcode + "），稍后重试", true, retryAfter(problem, DEFAULT_RETRY));
      case 40001, 40014, 42001 -> new Outcome.Failed("wechat-token-refused",
        "微信拒绝了访问令牌（微信错误码 " + errcode + "），稍后重试", true, DEFAULT_RETRY);
      case 48001 -> new Outcome.Failed("wechat-no-permission",
        "公众号没有此接口的权限（微信错误码 48001）：请确认公众号已认证并开通发布或群发权限", false, Duration.ZERO);
      case 40007 -> new Outcome.Failed("wechat-invalid-media",
        "微信不接受所用的素材（微信错误码 40007）：素材无效或已过期", false, Duration.ZERO);
      case 40164 -> new Outcome.Failed("wechat-ip-not-whitelisted",
        "服务器 IP 不在公众号的 IP 白名单中（微信错误码 40164）：请在公众号后台加入白名单", false, Duration.ZERO);
      default -> new Outcome.Failed("wechat-refused",
        "微信拒绝了此次发布（微信错误码 " + errcode + "）：" + problem.extensions().getString("errmsg", ""), false,
        Duration.ZERO);
    };
  }

  /** A refusal of a withdrawal, for the editor: 409 with WeChat's errcode and reason. */
  static Problem withdrawRefused(Throwable failure) {
    if (failure instanceof Problem problem && problem.extensions().getInteger("errcode") != null) {
      int errcode = problem.extensions().getInteger("errcode");
      return Problem.conflict("withdraw-refused", "微信拒绝撤回", refused(problem, errcode).message())
        .with("errcode", errcode);
    }
    return failure instanceof Problem problem ? problem
      : new Problem(502, "wechat-error", "微信接口调用失败", "请稍后重试。");
  }

  private static String message(Problem problem) {
    return problem.getMessage() == null ? problem.title() : problem.title() + "：" + problem.getMessage();
  }

  private static Duration retryAfter(Problem problem, Duration otherwise) {
    Integer seconds = problem.extensions().getInteger("retryAfterSeconds");
    return seconds == null ? otherwise : Duration.ofSeconds(seconds);
  }
}
