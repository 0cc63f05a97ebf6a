package io.govmedia.inbox;

import io.govmedia.accounts.AccountsFeature;
import io.govmedia.auth.AuthFeature;
import io.govmedia.content.ContentFeature;
import io.govmedia.events.EventsFeature;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.govmedia.search.SearchFeature;
import io.govmedia.wechat.WeChatFeature;
import io.govmedia.weibo.WeiboFeature;
import io.govmedia.workdays.WorkdaysFeature;

/**
 * Citizen messages as cases (issue 9): one inbox across channels, routing, fair assignment, working-day deadlines,
 * 督办, replies that reach the citizen. Built in parts; this class wires them.
 */
public final class InboxFeature implements Feature {

  public InboxFeature(Platform platform, AuthFeature auth, AccountsFeature accounts, WeChatFeature wechat,
                      WeiboFeature weibo, EventsFeature events, WorkdaysFeature workdays, SearchFeature search,
                      ContentFeature content) {
    // parts wired as they are built
  }
}
