package io.govmedia.citizen;

import io.govmedia.accounts.AccountsFeature;
import io.govmedia.auth.AuthFeature;
import io.govmedia.checks.ChecksFeature;
import io.govmedia.content.ContentFeature;
import io.govmedia.events.EventsFeature;
import io.govmedia.inbox.InboxFeature;
import io.govmedia.media.AssetRoutes;
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
  private final MiniappServices miniapps;
  private final WeChatScreening screening;
  private final SessionRoutes sessionRoutes;
  private final MiniappCallbackRoutes callbackRoutes;
  private final ConsultationRoutes consultationRoutes;
  private final CitizenConsultationRoutes citizenConsultations;
  private final MessageRoutes messageRoutes;
  private final CitizenAssets assets;
  private final PublicReplyRoutes publicReplyRoutes;

  public CitizenFeature(Platform platform, AuthFeature auth, AccountsFeature accounts, WeChatFeature wechat,
                        ChecksFeature checks, SearchFeature search, MediaFeature media, ContentFeature content,
                        EventsFeature events, WorkdaysFeature workdays, PublishingFeature publishing,
                        InboxFeature inbox) {
    this.platform = platform;
    this.sessions = new CitizenSessions(platform.redis(), platform.secrets(), platform.clock());
    this.limits = new CitizenLimits(platform.redis(), platform.clock());
    this.miniapps = new MiniappServices(platform.vertx(), platform.config().wechat(), accounts.store(),
      wechat.gateway().httpClients());
    this.screening = new WeChatScreening(miniapps);
    this.sessionRoutes = new SessionRoutes(miniapps, sessions, new SignInThrottle(platform.redis()));
    this.callbackRoutes = new MiniappCallbackRoutes(new MiniappPushes(miniapps, accounts.store(), platform.redis(),
      platform.clock()), screening::deliver);
    // 意见征集: staff open drafts for comment and publish the adoption summary, shown with the document.
    Consultations consultations = new Consultations(platform.db(), platform.redis());
    this.consultationRoutes = new ConsultationRoutes(consultations, content, workdays.workdays(), platform.audit(),
      platform.clock());
    this.citizenConsultations = new CitizenConsultationRoutes(consultations, content, screening, limits,
      platform.clock());
    content.annexDocuments(new ConsultationAnnex(consultations, platform.clock())::of);
    // Leaving a message, following it, the public Q&A
    assets = new CitizenAssets(platform.vertx(), platform.db(), media, screening, inbox.miniapp(),
      platform.config().publishing().publicBaseUrl(), platform.clock());
    messageRoutes = new MessageRoutes(inbox.miniapp(), assets, screening, limits, platform.config().citizen(),
      platform.redis());
    publicReplyRoutes = new PublicReplyRoutes(inbox.publishedReplies());
  }

  /** The citizens' sessions (sign-in makes them; tests make them for a citizen directly). */
  public CitizenSessions sessions() {
    return sessions;
  }

  /** WeChat's content security for what citizens write and upload (text checks, image checks and their verdicts). */
  Screening screening() {
    return screening;
  }

  @Override
  public void mountRaw(Mount mount) {
    // The mini-program's message push: WeChat's servers call it; it checks their signature and caps its own bodies.
    mount.root().route("/wechat/miniapp/callback/*").subRouter(callbackRoutes.routes(mount.vertx()));
    // Citizens' images stream in ahead of the body handler, with the session checked here.
    mount.root().post("/mp/v1/assets").handler(AssetRoutes::holdBody).handler(new CitizenAuth(sessions))
      .handler(assets::upload);
  }

  @Override
  public void mountStaffApi(Mount mount) {
    consultationRoutes.mount(mount.vertx(), mount.root());
  }

  @Override
  public void mountCitizenApi(Mount mount) {
    Router root = mount.root();
    // Sign-in comes before the session check (it makes the session).
    root.post("/mp/v1/session").handler(sessionRoutes::signIn);
    root.route("/mp/v1/*").handler(new CitizenAuth(sessions));
    root.get("/mp/v1/me").handler(ctx -> {
      CitizenSession session = CitizenAuth.of(ctx);
      Reply.ok(ctx, new JsonObject().put("accountId", session.accountId()).put("appId", session.appId())
        .put("expiresAt", session.expiresAt().toString()));
    });
    citizenConsultations.mount(root);
    messageRoutes.mount(root);
    publicReplyRoutes.mount(root);
  }

  @Override
  public void close() {
    miniapps.close();
  }
}
