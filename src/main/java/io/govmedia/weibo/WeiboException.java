package io.govmedia.weibo;

import java.time.Duration;
import java.util.Set;

/**
 * A Weibo call that did not succeed, sorted by what the caller may do next. The message carries Weibo's own
 * {@code error} text and code, never a token.
 */
public final class WeiboException extends RuntimeException {

  /** What the failure means for a send. */
  public enum Kind {
    /** Too many calls (per IP, per user, per API, posting too fast): try again after {@code retryAfter}. */
    RATE_LIMITED,
    /** The token is expired, revoked or otherwise dead: only an admin's re-authorization helps. */
    TOKEN_EXPIRED,
    /** Weibo refuses the text as posted already: it may be our own earlier send. */
    REPEATED,
    /** Weibo refused the request: sending it again unchanged will not help. */
    REFUSED,
    /** The request left but no answer came (timeout, reset): it may have taken effect. */
    UNKNOWN_OUTCOME,
    /** No connection was made: nothing was sent. */
    UNREACHABLE
  }

  private static final Set<Integer> RATE_LIMITS = Set.of(10022, 10023, 10024, 20016);
  private static final Set<Integer> TOKEN_ERRORS = Set.of(21301, 21314, 21315, 21316, 21317, 21327, 21332);
  private static final Set<Integer> REPEATS = Set.of(20017, 20019);
  /** Weibo counts its limits per hour; "posting too fast" (20016) clears sooner. */
  private static final Duration HOURLY_LIMIT = Duration.ofHours(1);
  private static final Duration TOO_FAST = Duration.ofMinutes(5);

  private final Kind kind;
  private final int errorCode;
  private final Duration retryAfter;

  public WeiboException(Kind kind, int errorCode, String message, Duration retryAfter) {
    super(message, null, false, false);
    this.kind = kind;
    this.errorCode = errorCode;
    this.retryAfter = retryAfter;
  }

  /** Weibo's {@code {error_code, error}}; {@code retryAfter} from a Retry-After header, or null. */
  static WeiboException of(int errorCode, String error, Duration retryAfter) {
    String message = "微博接口错误 " + errorCode + (error == null ? "" : "：" + error);
    if (RATE_LIMITS.contains(errorCode)) {
      Duration wait = retryAfter != null ? retryAfter : errorCode == 20016 ? TOO_FAST : HOURLY_LIMIT;
      return new WeiboException(Kind.RATE_LIMITED, errorCode, message, wait);
    }
    if (TOKEN_ERRORS.contains(errorCode)) {
      return new WeiboException(Kind.TOKEN_EXPIRED, errorCode, message, null);
    }
    if (REPEATS.contains(errorCode)) {
      return new WeiboException(Kind.REPEATED, errorCode, message, null);
    }
    return new WeiboException(Kind.REFUSED, errorCode, message, null);
  }

  public Kind kind() {
    return kind;
  }

  /** Weibo's error_code, or 0 when Weibo gave none (transport failures, refusals made before sending). */
  public int errorCode() {
    return errorCode;
  }

  /** For {@link Kind#RATE_LIMITED}: when to try again; null otherwise. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
