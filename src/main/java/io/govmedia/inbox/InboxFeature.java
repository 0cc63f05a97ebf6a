package io.govmedia.inbox;

import io.govmedia.accounts.AccountsFeature;
import io.govmedia.auth.AuthFeature;
import io.govmedia.content.ContentFeature;
import io.govmedia.events.EventsFeature;
import io.govmedia.platform.Config;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.govmedia.search.SearchFeature;
import io.govmedia.wechat.WeChatFeature;
import io.govmedia.weibo.WeiboFeature;
import io.govmedia.workdays.WorkdaysFeature;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Citizen messages as cases (issue 9): one inbox across channels, routing, fair assignment, working-day deadlines,
 * 督办, replies that reach the citizen. Built in parts; this class wires them.
 */
public final class InboxFeature implements Feature {

  private final Deliveries deliveries;
  private final Pollers pollers;
  private final Duration pollEvery;

  public InboxFeature(Platform platform, AuthFeature auth, AccountsFeature accounts, WeChatFeature wechat,
                      WeiboFeature weibo, EventsFeature events, WorkdaysFeature workdays, SearchFeature search,
                      ContentFeature content) {
    Config.InboxChannels settings = platform.config().inbox();
    var clock = platform.clock();
    deliveries = new ChannelDeliveries(accounts.store(), wechat.gateway(), weibo.client(), settings.wechatTemplates(),
      platform.config().publishing().publicBaseUrl(), clock);
    CaseIntake intake = new LoggingIntake();  // replaced when cases land
    PollerCursors cursors = new PollerCursors(platform.db(), clock);
    Duration lookBack = Duration.ofDays(settings.commentDays());
    pollers = new Pollers(accounts.store(), new PollerGuard(platform.redis(), clock), List.of(
      new WeiboPoller(WeiboPoller.Feed.COMMENTS, weibo.client(), accounts.store(), cursors, intake, lookBack, clock),
      new WeiboPoller(WeiboPoller.Feed.MENTIONS, weibo.client(), accounts.store(), cursors, intake, lookBack, clock),
      new ArticleCommentPoller(wechat.gateway(), platform.db(), cursors, intake, lookBack, clock)));
    pollEvery = settings.poll();
  }

  /** How acknowledgements, notices and replies reach the citizen. */
  Deliveries deliveries() {
    return deliveries;
  }

  @Override
  public List<Periodic> periodic() {
    return List.of(new Periodic("inbox-poll", pollEvery, pollers::run));
  }

  /** Takes messages in without making cases yet: logs their source ids. */
  // replaced when cases land
  private static final class LoggingIntake implements CaseIntake {
    private static final Logger log = LoggerFactory.getLogger(LoggingIntake.class);

    @Override
    public Future<Accepted> accept(Incoming incoming) {
      log.info("polled {} message {} (no case store yet)", incoming.channel().wire(), incoming.sourceId());
      return Future.succeededFuture(new Accepted(null, null, false));
    }
  }
}
