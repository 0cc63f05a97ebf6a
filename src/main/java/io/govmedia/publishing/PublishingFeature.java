package io.govmedia.publishing;

import io.govmedia.accounts.AccountsFeature;
import io.govmedia.auth.AuthFeature;
import io.govmedia.content.ContentFeature;
import io.govmedia.events.EventsFeature;
import io.govmedia.media.MediaFeature;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.govmedia.wechat.WeChatFeature;
import io.govmedia.weibo.WeiboFeature;

import java.util.Map;

/**
 * Posts' slots on the channels, the scheduler that sends each exactly once, and what editors see of it.
 * FOUNDATION SKELETON: the publishing work fills it in.
 */
public final class PublishingFeature implements Feature {

  private final Map<String, Publisher> publishers;

  public PublishingFeature(Platform platform, AuthFeature auth, AccountsFeature accounts, ContentFeature content,
                           WeChatFeature wechat, WeiboFeature weibo, EventsFeature events, MediaFeature media) {
    publishers = Map.of(
      "wechat", new WeChatPublisher(wechat.gateway(), media::content, platform.clock()),
      "weibo", new WeiboPublisher(weibo.client(), accounts.store(), media::content, platform.clock()));
  }
}
