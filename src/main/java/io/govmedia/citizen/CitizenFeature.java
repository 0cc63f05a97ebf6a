package io.govmedia.citizen;

import io.govmedia.accounts.AccountsFeature;
import io.govmedia.auth.AuthFeature;
import io.govmedia.checks.ChecksFeature;
import io.govmedia.content.ContentFeature;
import io.govmedia.events.EventsFeature;
import io.govmedia.inbox.InboxFeature;
import io.govmedia.media.MediaFeature;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.govmedia.platform.Reply;
import io.govmedia.publishing.PublishingFeature;
import io.govmedia.search.SearchFeature;
import io.govmedia.wechat.WeChatFeature;
import io.govmedia.workdays.WorkdaysFeature;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * The mini-program's API for citizens under {@code /mp/v1}: sign-in, the policy feed and search, leaving a message
 * and following it to the answer, commenting on drafts. Every route but the sign-in takes a citizen session token.
 */
public final class CitizenFeature implements Feature {

  private final Platform platform;
  private final CitizenSessions sessions;
  private final CitizenLimits limits;
  private final CitizenCache cache;

  public CitizenFeature(Platform platform, AuthFeature auth, AccountsFeature accounts, WeChatFeature wechat,
                        ChecksFeature checks, SearchFeature search, MediaFeature media, ContentFeature content,
                        EventsFeature events, WorkdaysFeature workdays, PublishingFeature publishing,
                        InboxFeature inbox) {
    this.platform = platform;
    this.sessions = new CitizenSessions(platform.redis(), platform.secrets(), platform.clock());
    this.limits = new CitizenLimits(platform.redis(), platform.clock());
    this.cache = new CitizenCache(platform.redis());
  }

  /** The citizens' sessions (sign-in makes them; tests make them for a citizen directly). */
  public CitizenSessions sessions() {
    return sessions;
  }

  /** The Redis cache of what citizens read (feed, articles, search), invalidated on every publication. */
  public CitizenCache cache() {
    return cache;
  }

  @Override
  public void mountCitizenApi(Mount mount) {
    Router root = mount.root();
    // Sign-in comes before the session check (it makes the session).
    root.route("/mp/v1/*").handler(new CitizenAuth(sessions));
    root.get("/mp/v1/me").handler(ctx -> {
      CitizenSession session = CitizenAuth.of(ctx);
      Reply.ok(ctx, new JsonObject().put("accountId", session.accountId()).put("appId", session.appId())
        .put("expiresAt", session.expiresAt().toString()));
    });
  }
}
