package io.govmedia.publishing;

import io.govmedia.accounts.AccountStore;
import io.govmedia.weibo.WeiboClient;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.Duration;

/** Weibo: statuses/share with the link and one picture. FOUNDATION STUB: the Weibo work fills it in. */
final class WeiboPublisher implements Publisher {

  WeiboPublisher(WeiboClient client, AccountStore accounts, MediaSource media, Clock clock) {
  }

  @Override
  public Future<Outcome> send(Send send) {
    return Future.succeededFuture(new Outcome.Failed("not-implemented", "微博发布尚未实现", false, Duration.ZERO));
  }

  @Override
  public Future<Outcome> check(Send send) {
    return Future.succeededFuture(new Outcome.Unknown("not-implemented", "微博发布尚未实现", send.state()));
  }

  @Override
  public Future<Void> withdraw(Send send) {
    return Future.failedFuture(new IllegalStateException("not implemented"));
  }
}
