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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
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

  /** A post's place in one mini-program's feed: its published mini-program slot, and when it went out. */
  public record MiniappPlacement(String postId, String accountId, Instant publishedAt) {
  }

  /** Every published mini-program slot (a scan: for rebuilding the citizens' feed at start). */
  public Future<List<MiniappPlacement>> miniappPlacements() {
    return store.inStatus(Set.of(SlotStatus.PUBLISHED)).map(PublishingFeature::placements);
  }

  /** The post's published mini-program slots. */
  public Future<List<MiniappPlacement>> miniappPlacements(String postId) {
    return store.ofPost(postId).map(found -> placements(found.stream()
      .filter(slot -> slot.status() == SlotStatus.PUBLISHED).toList()));
  }

  /**
   * Tells {@code listener}, with the post id, of every mini-program slot published or withdrawn; the move's answer
   * waits for the listener's future.
   */
  public void onMiniappChange(Function<String, Future<Void>> listener) {
    slots.onMiniappChange(listener);
  }

  private static List<MiniappPlacement> placements(List<Slot> published) {
    return published.stream().filter(slot -> "miniapp".equals(slot.channel()))
      .map(slot -> new MiniappPlacement(slot.postId(), slot.accountId(), slot.publishedAt())).toList();
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
