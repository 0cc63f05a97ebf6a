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
  private final ConsultationRoutes consultationRoutes;
  private final CitizenConsultationRoutes citizenConsultations;

  public CitizenFeature(Platform platform, AuthFeature auth, AccountsFeature accounts, WeChatFeature wechat,
                        ChecksFeature checks, SearchFeature search, MediaFeature media, ContentFeature content,
                        EventsFeature events, WorkdaysFeature workdays, PublishingFeature publishing,
                        InboxFeature inbox) {
    this.platform = platform;
    this.sessions = new CitizenSessions(platform.redis(), platform.secrets(), platform.clock());
    this.limits = new CitizenLimits(platform.redis(), platform.clock());
    // 意见征集: staff open drafts for comment and publish the adoption summary, shown with the document.
    Consultations consultations = new Consultations(platform.db(), platform.redis());
    this.consultationRoutes = new ConsultationRoutes(consultations, content, workdays.workdays(), platform.audit(),
      platform.clock());
    this.citizenConsultations = new CitizenConsultationRoutes(consultations, content, INTERIM_SCREENING, limits,
      platform.clock());
    content.annexDocuments(new ConsultationAnnex(consultations, platform.clock())::of);
  }

  /** The citizens' sessions (sign-in makes them; tests make them for a citizen directly). */
  public CitizenSessions sessions() {
    return sessions;
  }

  @Override
  public void mountStaffApi(Mount mount) {
    consultationRoutes.mount(mount.vertx(), mount.root());
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
    citizenConsultations.mount(root);
  }

  /** Until helper "session"'s WeChatScreening is merged: every text passes. */
  private static final Screening INTERIM_SCREENING = new Screening() {
    @Override
    public io.vertx.core.Future<TextResult> text(CitizenSession who, Scene scene, String content) {
      return io.vertx.core.Future.succeededFuture(new TextResult(content.contains("待审") ? Verdict.REVIEW
        : content.contains("违规") ? Verdict.RISKY : Verdict.PASS, null, null));
    }

    @Override
    public io.vertx.core.Future<String> image(CitizenSession who, Scene scene, String mediaUrl) {
      return io.vertx.core.Future.failedFuture("interim");
    }

    @Override
    public void onImageVerdict(java.util.function.Consumer<ImageVerdict> listener) {
    }
  };
}
