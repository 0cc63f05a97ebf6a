package io.govmedia.media;

import io.govmedia.auth.AuthFeature;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Media assets: streamed uploads into GridFS, images and thumbnails, and {@code /media/{id}} with Range. */
public final class MediaFeature implements Feature {

  private final Platform platform;
  private final AssetStore store;
  private final AssetImages images;
  private final List<AssetUsers> users = new CopyOnWriteArrayList<>();
  private final AssetRoutes assetRoutes;
  private final MediaRoutes mediaRoutes;
  private final MediaLinks links;

  public MediaFeature(Platform platform, AuthFeature auth) {
    this.platform = platform;
    store = new AssetStore(platform.db());
    images = new AssetImages(platform.vertx());
    links = new MediaLinks(platform.secrets().derive("media-url-signing"), platform.clock());
    assetRoutes = new AssetRoutes(store, images, auth.departments(), this::usersOf, links, platform.audit(),
      platform.clock());
    mediaRoutes = new MediaRoutes(store, links, this::published, platform.clock());
  }

  /** Registers a feature whose records use assets; an asset any of them uses cannot be deleted. */
  public void usedBy(AssetUsers user) {
    users.add(user);
  }

  /** The type ({@code image}, {@code video}…) of each existing asset among {@code ids}. */
  public Future<Map<String, String>> types(Collection<String> ids) {
    return store.types(ids);
  }

  /** An asset's bytes, for a channel's upload; larger than {@code maxBytes} is a 422 problem, unknown a 404. */
  public Future<MediaContent> content(String id, long maxBytes) {
    return store.content(id, maxBytes);
  }

  /** The streamed upload of a citizen's image (images only, outside the library); see {@link AssetRoutes#receiveImage}. */
  public Future<Asset> receiveImage(io.vertx.ext.web.RoutingContext ctx, io.govmedia.platform.AuditLog.Actor by) {
    return assetRoutes.receiveImage(ctx, by);
  }

  /** An expiring signed {@code /media} path of an asset, for whoever cannot send a staff token (WeChat, a citizen). */
  public String signedPath(String assetId, Duration ttl) {
    return links.signedPath(assetId, ttl);
  }

  @Override
  public Future<?> start() {
    return store.createIndexes().compose(indexed -> store.sweepAbandoned(platform.clock().instant()));
  }

  @Override
  public List<Periodic> periodic() {
    return List.of(new Periodic("abandoned upload sweep", Duration.ofHours(1),
      () -> store.sweepAbandoned(platform.clock().instant())));
  }

  @Override
  public void mountRaw(Mount mount) {
    // Media: published content's assets for anyone, the rest with the bearer token or a signed URL.
    mount.root().route("/media/*").subRouter(mediaRoutes.routes(mount.vertx(), mount.bearer()));
    // Uploads stream into GridFS, so they are matched ahead of the body handler (which would buffer them whole),
    // with the bearer token checked here; the route answers, never passing on to the handlers below.
    mount.root().post("/api/v1/assets").handler(AssetRoutes::holdBody).handler(mount.bearer()).handler(assetRoutes::upload);
  }

  @Override
  public void mountStaffApi(Mount mount) {
    mount.root().route("/api/v1/assets*").subRouter(assetRoutes.routes(mount.vertx()));
  }

  private Future<Long> usersOf(String assetId) {
    List<Future<Long>> counts = users.stream().map(user -> user.count(assetId)).toList();
    return Future.all(counts).map(all -> counts.stream().mapToLong(Future::result).sum());
  }

  private Future<Boolean> published(String assetId) {
    List<Future<Boolean>> answers = users.stream().map(user -> user.published(assetId)).toList();
    return Future.all(answers).map(all -> answers.stream().anyMatch(Future::result));
  }

  @Override
  public void close() {
    images.close();
  }
}
