package io.govmedia.publishing;

import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountStore;
import io.govmedia.content.PostView;
import io.govmedia.platform.Problem;
import io.govmedia.weibo.WeiboClient;
import io.govmedia.weibo.WeiboException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Weibo: one {@code statuses/share} with the post's Weibo text, the link to its public page (on the office's safe
 * domain, as Weibo requires) and at most one picture. A share whose answer never came is checked on the account's
 * timeline, matched on the text (Weibo shortens the link to t.cn), never sent again blind.
 */
final class WeiboPublisher implements Publisher {

  static final String REAUTHORIZE = "管理员需在账号设置中重新授权微博";
  /** Weibo's largest page; an account posts far fewer statuses than this between an attempt and its check. */
  private static final int TIMELINE_PAGE = 100;
  /** Our clock and Weibo's may differ, and Weibo's created_at has whole seconds. */
  private static final Duration CLOCK_SLACK = Duration.ofMinutes(2);
  private static final Duration UNREACHABLE_RETRY = Duration.ofMinutes(1);

  private final WeiboClient client;
  private final AccountStore accounts;
  private final MediaSource media;
  private final Clock clock;

  WeiboPublisher(WeiboClient client, AccountStore accounts, MediaSource media, Clock clock) {
    this.client = client;
    this.accounts = accounts;
    this.media = media;
    this.clock = clock;
  }

  @Override
  public Future<Outcome> send(Send send) {
    PostView.Weibo weibo = send.post().weibo();
    if (weibo == null) {
      return Future.succeededFuture(new Outcome.Failed("weibo-variant-missing", "该稿件没有微博版本", false, Duration.ZERO));
    }
    String token = accounts.secret(send.account(), "accessToken");
    if (token == null || tokenExpired(send.account())) {
      return Future.succeededFuture(tokenFailure());
    }
    return picture(weibo.pictureAssetId()).compose(picture -> picture.failed() != null
      ? Future.succeededFuture(picture.failed())
      : share(send, token, weibo.text() + " " + send.pageUrl(), picture.content()));
  }

  /** Marks the slot as sending first, so that whatever happens next is never retried blind. */
  private Future<Outcome> share(Send send, String token, String status, WeiboClient.Picture picture) {
    JsonObject sending = send.state().copy().put("sending", true).put("sendingAt", clock.instant().toString());
    return send.progress().apply(sending)
      .compose(saved -> client.share(token, status, picture, send.rip())
        .map(posted -> published(send.account(), posted.id(), sending))
        .recover(failure -> failure instanceof WeiboException refused
          ? afterRefusal(withState(send, sending), refused)
          : Future.succeededFuture(unknown(failure.getMessage(), sending))));
  }

  private Future<Outcome> afterRefusal(Send send, WeiboException failure) {
    return switch (failure.kind()) {
      case RATE_LIMITED -> Future.succeededFuture(new Outcome.Failed("weibo-rate-limited",
        "微博限制发布频率，稍后自动重试：" + failure.getMessage(), true, failure.retryAfter()));
      case TOKEN_EXPIRED -> Future.succeededFuture(tokenFailure());
      // The same text went out already: ours, if an earlier answer was lost; else somebody posted it by hand.
      case REPEATED -> check(send).map(found -> found instanceof Outcome.NotFound
        ? new Outcome.Failed("weibo-repeated", "微博认为这条内容已经发过：" + failure.getMessage(), false, Duration.ZERO)
        : found);
      case UNKNOWN_OUTCOME -> Future.succeededFuture(unknown(failure.getMessage(), send.state()));
      case UNREACHABLE -> Future.succeededFuture(new Outcome.Failed("weibo-unreachable", failure.getMessage(), true,
        UNREACHABLE_RETRY));
      case REFUSED -> Future.succeededFuture(new Outcome.Failed("weibo-refused", failure.getMessage(), false,
        Duration.ZERO));
    };
  }

  @Override
  public Future<Outcome> check(Send send) {
    String known = send.state().getString("weiboId");
    if (known != null) {
      return Future.succeededFuture(published(send.account(), known, send.state()));
    }
    String token = accounts.secret(send.account(), "accessToken");
    if (token == null || send.post().weibo() == null) {
      return Future.succeededFuture(new Outcome.Unknown("weibo-check-impossible", "无法查询微博时间线：账号未授权", send.state()));
    }
    String text = send.post().weibo().text().strip();
    Instant since = sendingAt(send.state());
    return client.userTimeline(token, send.account().uid(), null, TIMELINE_PAGE)
      .map(statuses -> statuses.stream()
        .filter(status -> unescape(status.text()).contains(text))
        .filter(status -> since == null || !status.createdAt().isBefore(since.minus(CLOCK_SLACK)))
        .findFirst()
        .<Outcome>map(status -> published(send.account(), status.id(), send.state()))
        .orElse(new Outcome.NotFound("微博时间线上没有这条微博")))
      .recover(failure -> Future.succeededFuture(new Outcome.Unknown("weibo-check-failed",
        "暂时无法查询微博时间线：" + failure.getMessage(), send.state())));
  }

  @Override
  public Future<Void> withdraw(Send send) {
    String id = send.state().getString("weiboId");
    String token = accounts.secret(send.account(), "accessToken");
    if (id == null) {
      return Future.failedFuture(Problem.conflict("weibo-id-unknown", "不知道这条微博的 id", "无法撤回：发布结果中没有微博 id。"));
    }
    if (token == null || tokenExpired(send.account())) {
      return Future.failedFuture(Problem.conflict("weibo-token-expired", "微博授权已过期", REAUTHORIZE + "。"));
    }
    return client.destroy(token, id).recover(failure -> {
      if (failure instanceof WeiboException refused && refused.errorCode() == 20101) {
        return Future.succeededFuture();  // deleted already (on Weibo itself, or by an earlier withdrawal)
      }
      if (failure instanceof WeiboException refused && refused.kind() == WeiboException.Kind.TOKEN_EXPIRED) {
        return Future.failedFuture(Problem.conflict("weibo-token-expired", "微博授权已过期", REAUTHORIZE + "。"));
      }
      return Future.failedFuture(new Problem(502, "weibo-error", "微博未能删除这条微博", failure.getMessage()));
    });
  }

  /** The picture to send, or the reason it cannot go: missing, or too big for Weibo. */
  private record Picture(WeiboClient.Picture content, Outcome.Failed failed) {
  }

  private Future<Picture> picture(String assetId) {
    if (assetId == null) {
      return Future.succeededFuture(new Picture(null, null));
    }
    return media.read(assetId, WeiboClient.MAX_PICTURE_BYTES - 1).map(content -> new Picture(new WeiboClient.Picture(content.mime(), content.bytes()), null))
      .recover(failure -> failure instanceof Problem problem && problem.status() / 100 == 4
        ? Future.succeededFuture(new Picture(null, new Outcome.Failed("weibo-picture", "微博配图不可用（须小于 5 MB 的图片）："
          + problem.title(), false, Duration.ZERO)))
        : Future.failedFuture(failure));
  }

  private static Send withState(Send send, JsonObject state) {
    return new Send(send.slotId(), send.attempt(), send.channel(), send.mode(), send.post(), send.account(),
      send.clientMsgId(), send.rip(), send.pageUrl(), state, send.progress());
  }

  private static Outcome published(Account account, String weiboId, JsonObject state) {
    return new Outcome.Published(weiboId, "https://weibo.com/" + account.uid() + "/" + weiboId,
      state.copy().put("weiboId", weiboId));
  }

  private static Outcome unknown(String message, JsonObject state) {
    return new Outcome.Unknown("weibo-unknown-outcome", "微博未答复，是否已发出不明，将查询时间线确认：" + message, state);
  }

  private static Outcome.Failed tokenFailure() {
    return new Outcome.Failed("weibo-token-expired", "微博授权已过期或失效，" + REAUTHORIZE + "。", false, Duration.ZERO);
  }

  private boolean tokenExpired(Account account) {
    return account.tokenExpiresAt() != null && !clock.instant().isBefore(account.tokenExpiresAt());
  }

  private static Instant sendingAt(JsonObject state) {
    try {
      String at = state.getString("sendingAt");
      return at == null ? null : Instant.parse(at);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Weibo answers text with HTML entities for these. */
  private static String unescape(String text) {
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
  }
}
