package io.govmedia.wechat;

import io.govmedia.accounts.AccountStore;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import me.chanjar.weixin.mp.bean.result.WxMpUser;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Fetches a new follower's details (user/info) through the gateway in the background: the callback that reported
 * the subscription never waits for WeChat. WeChat no longer gives nicknames or avatars; what it gives is kept.
 */
final class FollowerProfiles {

  private static final Logger log = LoggerFactory.getLogger(FollowerProfiles.class);

  /** What user/info tells about a follower. {@code subscribeTime} is WeChat's latest subscribe time. */
  record Profile(String language, Instant subscribeTime, String remark, List<Long> tagIds, String subscribeScene,
                 String qrSceneStr, String unionid) {

    static Profile from(WxMpUser user) {
      return new Profile(blankToNull(user.getLanguage()),
        user.getSubscribeTime() == null ? null : Instant.ofEpochSecond(user.getSubscribeTime()),
        blankToNull(user.getRemark()), user.getTagIds() == null ? List.of() : Arrays.asList(user.getTagIds()),
        blankToNull(user.getSubscribeScene()), blankToNull(user.getQrSceneStr()), blankToNull(user.getUnionId()));
    }

    Document toDocument() {
      return new Document("language", language).append("subscribeTime", Times.date(subscribeTime)).append("remark", remark)
        .append("tagIds", tagIds).append("subscribeScene", subscribeScene).append("qrSceneStr", qrSceneStr)
        .append("unionid", unionid);
    }

    static Profile from(Document d) {
      List<Long> tags = d.getList("tagIds", Number.class, List.of()).stream().map(Number::longValue).toList();
      return new Profile(d.getString("language"), Times.instant(d.getDate("subscribeTime")), d.getString("remark"), tags,
        d.getString("subscribeScene"), d.getString("qrSceneStr"), d.getString("unionid"));
    }

    JsonObject toJson() {
      return new JsonObject().put("language", language).put("subscribeTime", Times.show(subscribeTime))
        .put("remark", remark).put("tagIds", new JsonArray(tagIds)).put("subscribeScene", subscribeScene)
        .put("qrSceneStr", qrSceneStr);
    }
  }

  /** Where a fetched profile goes: the follower store. */
  @FunctionalInterface
  interface Sink {
    Future<Void> save(String accountId, String openid, Profile profile, Instant fetchedAt);
  }

  private final WeChatGateway gateway;
  private final AccountStore accounts;
  private final Clock clock;

  public FollowerProfiles(WeChatGateway gateway, AccountStore accounts, Clock clock) {
    this.gateway = gateway;
    this.accounts = accounts;
    this.clock = clock;
  }

  /** Fire and forget: the outcome is logged (with the openid masked), never handed back. */
  void fetchLater(String accountId, String openid, Sink sink) {
    accounts.find(accountId)
      .compose(account -> account == null
        ? Future.failedFuture(Problem.notFound("账号"))
        : gateway.call(account, wx -> wx.getUserService().userInfo(openid)))
      .compose(user -> sink.save(accountId, openid, Profile.from(user), clock.instant()))
      .onFailure(failure -> log.warn("profile of follower {} of account {} not fetched: {}", mask(openid), accountId,
        describe(failure)));
  }

  /** {@code oAbC****wXyZ}: enough to tell followers apart in a log, not enough to address one. */
  static String mask(String openid) {
    if (openid == null || openid.length() <= 8) {
      return "****";
    }
    return openid.substring(0, 4) + "****" + openid.substring(openid.length() - 4);
  }

  private static String describe(Throwable failure) {
    if (failure instanceof Problem problem) {
      Object errcode = problem.extensions().getValue("errcode");
      return problem.code() + (errcode == null ? "" : " (errcode " + errcode + ")");
    }
    return failure.getClass().getSimpleName();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
