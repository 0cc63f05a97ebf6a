package io.govmedia.wechat;

import io.govmedia.accounts.AccountsFeature;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.vertx.core.Future;

/** WeChat official accounts: the callback intake, auto-replies, followers, menus and the API gateway. */
public final class WeChatFeature implements Feature {

  /**
   * Where the callback hands over free publish results (Event PUBLISHJOBFINISH), once per stored delivery, on the
   * receiving instance: JSON {@code {accountId, publishId, publishStatus, articleId, articleUrl}}.
   */
  public static final String PUBLISH_JOB_ADDRESS = "govmedia.publishing.publishjob";

  private final MessageStore messages;
  private final InboxHandOff inboxHandOff;
  private final WeChatGateway gateway;
  private final FollowerStore followers;
  private final AutoReplyStore autoReplyStore;
  private final CallbackRoutes callbackRoutes;
  private final AutoReplyRoutes autoReplyRoutes;
  private final MenuRoutes menuRoutes;
  private final FollowerRoutes followerRoutes;
  private final MessageRoutes messageRoutes;

  public WeChatFeature(Platform platform, AccountsFeature accounts) {
    var clock = platform.clock();
    var audit = platform.audit();
    var access = accounts.access();
    messages = new MessageStore(platform.db());
    inboxHandOff = new InboxHandOff(platform.db());
    gateway = new WeChatGateway(platform.vertx(), platform.config().wechat(), platform.redis(), accounts.store());
    followers = new FollowerStore(platform.db(), new FollowerProfiles(gateway, accounts.store(), clock));
    autoReplyStore = new AutoReplyStore(platform.db());
    AutoReplies autoReplies = new AutoReplies(autoReplyStore, clock);
    callbackRoutes = new CallbackRoutes(platform.vertx(), platform.redis(), accounts.store(), messages, autoReplies,
      followers, clock, platform.metrics());
    autoReplyRoutes = new AutoReplyRoutes(autoReplyStore, autoReplies, access, audit, clock);
    menuRoutes = new MenuRoutes(new MenuStore(platform.db()), gateway, access, audit, clock);
    followerRoutes = new FollowerRoutes(followers, access);
    messageRoutes = new MessageRoutes(messages, access);
  }

  /** The WeChat API for other features (publishing, replies), one WxJava service per AppID. */
  public WeChatGateway gateway() {
    return gateway;
  }

  /** Citizen messages for the inbox: the event-bus hand-off, the pending ones, marking them done. */
  /**
   * The unionid WeChat gave with a follower's profile, or null: how a citizen chatting with an official account is
   * known in the office's mini-program (the inbox puts it on their case).
   */
  public Future<String> unionid(String accountId, String openid) {
    return followers.unionid(accountId, openid);
  }

  public InboxHandOff inboxHandOff() {
    return inboxHandOff;
  }

  @Override
  public Future<?> start() {
    return Future.all(messages.createIndexes(), autoReplyStore.createIndexes(), followers.createIndexes());
  }

  @Override
  public void mountRaw(Mount mount) {
    // WeChat's servers push here; the callback caps its own bodies at 64 KiB.
    mount.root().route("/wechat/callback/*").subRouter(callbackRoutes.routes(mount.vertx()));
  }

  @Override
  public void mountStaffApi(Mount mount) {
    var vertx = mount.vertx();
    var root = mount.root();
    root.route("/api/v1/accounts/:id/auto-replies*").subRouter(autoReplyRoutes.routes(vertx));
    root.route("/api/v1/accounts*").subRouter(menuRoutes.routes(vertx));
    root.route("/api/v1/accounts*").subRouter(followerRoutes.routes(vertx));
    root.route("/api/v1/wechat/*").subRouter(messageRoutes.routes(vertx));
  }

  @Override
  public void close() {
    gateway.close();
  }
}
