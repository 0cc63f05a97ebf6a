package io.govmedia.publishing;

import io.govmedia.wechat.WeChatGateway;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.Duration;

/** WeChat: free publish (draft + submit) or mass send. FOUNDATION STUB: the WeChat publishing work fills it in. */
final class WeChatPublisher implements Publisher {

  WeChatPublisher(WeChatGateway gateway, MediaSource media, Clock clock) {
  }

  @Override
  public Future<Outcome> send(Send send) {
    return Future.succeededFuture(new Outcome.Failed("not-implemented", "微信发布尚未实现", false, Duration.ZERO));
  }

  @Override
  public Future<Outcome> check(Send send) {
    return Future.succeededFuture(new Outcome.Unknown("not-implemented", "微信发布尚未实现", send.state()));
  }

  @Override
  public Future<Void> withdraw(Send send) {
    return Future.failedFuture(new IllegalStateException("not implemented"));
  }
}
