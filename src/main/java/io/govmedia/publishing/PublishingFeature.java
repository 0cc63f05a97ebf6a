package io.govmedia.publishing;

import io.govmedia.accounts.AccountsFeature;
import io.govmedia.auth.AuthFeature;
import io.govmedia.content.ContentFeature;
import io.govmedia.content.Posts;
import io.govmedia.events.EventsFeature;
import io.govmedia.media.MediaFeature;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.govmedia.wechat.WeChatFeature;
import io.govmedia.weibo.WeiboFeature;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Posts' slots on the channels, the scheduler that sends each exactly once, and what editors see of it. */
public final class PublishingFeature implements Feature {

  private final ContentFeature content;
  private final SlotStore store;
  private final Slots slots;
  private final Scheduler scheduler;
  private final SlotRoutes slotRoutes;
  private final PublishingRoutes routes;

  public PublishingFeature(Platform platform, AuthFeature auth, AccountsFeature accounts, ContentFeature content,
                           WeChatFeature wechat, WeiboFeature weibo, EventsFeature events, MediaFeature media) {
    this.content = content;
    MediaSource assets = MediaSource.recent(media::content);
    Map<String, Publisher> publishers = Map.of(
      "wechat", new WeChatPublisher(wechat.gateway(), assets, platform.clock()),
      "weibo", new WeiboPublisher(weibo.client(), accounts.store(), assets, platform.clock()),
      "miniapp", new MiniappPublisher());
    // the posts are read when used: content builds them at its own start
    Supplier<Posts> posts = content::posts;
    MassQuota quota = new MassQuota(platform.db());
    Hold hold = new Hold(platform.db(), platform.clock());
    Inspection inspection = new Inspection(platform.db(), platform.redis(), events.events(), platform.clock());
    store = new SlotStore(platform.db(), platform.clock());
    slots = new Slots(store, new SlotPlaces(platform.db(), platform.clock()), quota, hold, platform.redis(),
      events.events(), platform.clock());
    scheduler = new Scheduler(platform.vertx(), platform.redis(), slots, posts, accounts.store(),
      publishers, quota, hold, inspection, platform.config().publishing());
    slotRoutes = new SlotRoutes(slots, posts, accounts.access(), quota, hold, platform.redis(), publishers, scheduler);
    routes = new PublishingRoutes(slots, hold, quota, inspection, accounts.store(), auth.departments(), platform.audit());
  }

  @Override
  public void mountStaffApi(Mount mount) {
    routes.mount(mount.root());
    slotRoutes.mount(mount.root());
  }

  @Override
  public Future<?> start() {
    content.posts().onNewVersion(this::unschedule);
    return store.createIndexes()
      .compose(v -> scheduler.start())
      .compose(v -> routes.announceInspection().otherwiseEmpty());
  }

  /** A new version of a post was never approved: its scheduled slots must not go out. */
  private void unschedule(String postId) {
    store.ofPost(postId).onSuccess(found -> found.stream().filter(slot -> slot.status() == SlotStatus.SCHEDULED)
      .forEach(slot -> slots.move(slot, SlotStatus.CANCELLED, Slots.SYSTEM, "稿件有了新版本，排期已取消", s -> s)));
  }

  @Override
  public List<Periodic> periodic() {
    return List.of(new Periodic("inspection", Duration.ofHours(1), routes::announceInspection));
  }

  @Override
  public void close() {
    scheduler.close();
  }
}
