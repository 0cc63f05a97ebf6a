package io.govmedia.content;

import io.govmedia.auth.AuthFeature;
import io.govmedia.auth.DepartmentStore;
import io.govmedia.auth.Principal;
import io.govmedia.checks.ChecksFeature;
import io.govmedia.media.AssetUsers;
import io.govmedia.media.MediaFeature;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.govmedia.search.SearchFeature;
import io.govmedia.workdays.WorkdaysFeature;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Policy documents, their interpretations and posts, with their review (三审), and the public page of each
 * published one.
 */
public final class ContentFeature implements Feature {

  private final ContentRoutes routes;
  private final ReviewQueue queue;
  private final BodyTextBackfill backfill;
  private final PostLibrary posts;
  private final PublicPage page;
  private final ItemStore items;
  private final DepartmentStore departments;
  private final DocumentAnnexes annexes = new DocumentAnnexes();
  private final ExpiredDocuments expired;
  private final PublicChanges publicChanges = new PublicChanges();

  public ContentFeature(Platform platform, AuthFeature auth, ChecksFeature checks, SearchFeature search,
                        MediaFeature media, WorkdaysFeature workdays) {
    items = new ItemStore(platform.db());
    departments = auth.departments();
    media.usedBy(new AssetUsers() {
      @Override
      public Future<Long> count(String assetId) {
        return items.referencing(assetId);
      }

      @Override
      public Future<Boolean> published(String assetId) {
        return items.publishedReferencing(assetId);
      }
    });
    posts = new PostLibrary(items, auth.departments(), checks.checks(), new ItemChanges(platform.audit(), search.index(),
      publicChanges));
    routes = new ContentRoutes(items, auth.departments(), checks.checks(), search.index(), media::types,
      platform.audit(), platform.clock(), platform.config().content().reviewStages(), posts::newVersion,
      workdays.workdays(), annexes, publicChanges);
    queue = new ReviewQueue(items, auth.departments(), platform.config().content().reviewStages());
    page = new PublicPage(items, auth.departments(), media::types, annexes);
    backfill = new BodyTextBackfill(items, checks.checks(), search.index());
    expired = new ExpiredDocuments(items, platform.clock());
  }

  /** The public list of expired documents (the mini-program shows it). */
  public ExpiredDocuments expired() {
    return expired;
  }

  /** What publishing reads of posts; register {@link Posts#onNewVersion} listeners before the server serves. */
  public Posts posts() {
    return posts;
  }

  /** A published document or interpretation (replies to citizens link them), or null when there is none. */
  public Future<Item> publishedItem(String id) {
    return items.find(ItemKind.DOCUMENT, id)
      .compose(found -> found != null ? Future.succeededFuture(found) : items.find(ItemKind.INTERPRETATION, id))
      .map(found -> found != null && found.status() == ReviewStatus.PUBLISHED ? found : null);
  }

  /** A document at its current version, whatever its status (a consultation opens on a draft), or null. */
  public Future<Item> document(String id) {
    return items.find(ItemKind.DOCUMENT, id);
  }

  /** Which departments' content the staff member writes ({@link ContentScope}: theirs and below; admins all). */
  public Future<Predicate<String>> writableDepartments(Principal principal) {
    return ContentScope.of(principal, departments).map(scope -> scope::covers);
  }

  /**
   * Shows another feature's annex with documents (on the staff view; on the public page once published); register
   * before the server serves.
   */
  public void annexDocuments(Function<String, Future<DocumentAnnexes.Annex>> source) {
    annexes.add(source);
  }

  // What citizens read (the mini-program)

  /** A published document, interpretation or post as citizens may read it, or null when there is none by that id. */
  public Future<PublicItem> publicItem(String id) {
    return publishedItem(id)
      .compose(found -> found != null ? Future.succeededFuture(found) : items.find(ItemKind.POST, id)
        .map(post -> post != null && post.status() == ReviewStatus.PUBLISHED ? post : null))
      .map(found -> found == null ? null : PublicItem.of(found));
  }

  /** The published items of a kind ({@code document}, {@code interpretation}, {@code post}) among these ids. */
  public Future<List<PublicItem>> publicItems(String kind, Collection<String> ids) {
    return items.published(ItemKind.valueOf(kind.toUpperCase(java.util.Locale.ROOT)), ids)
      .map(found -> found.stream().map(PublicItem::of).toList());
  }

  /**
   * The published interpretations among the next {@code limit} interpretations after {@code afterId} in id order
   * (null: from the start), and the id to go on from (null at the end): for rebuilding what is kept in Redis.
   */
  public Future<Map.Entry<List<PublicItem>, String>> publishedInterpretations(String afterId, int limit) {
    return items.after(ItemKind.INTERPRETATION, afterId, limit).map(found -> Map.entry(
      found.stream().filter(i -> i.status() == ReviewStatus.PUBLISHED).map(PublicItem::of).toList(),
      found.size() < limit ? "" : found.get(found.size() - 1).id()));
  }

  /**
   * Tells {@code listener} of every stored change of an item that was or now is published; the change's answer waits
   * for the listener's future.
   */
  public void onPublicChange(Function<PublicChanges.Change, Future<Void>> listener) {
    publicChanges.listen(listener);
  }

  /** Readiness does not wait for the backfill: it reads every item without a body text, however many there are. */
  @Override
  public Future<?> start() {
    backfill.run().onFailure(failure -> LoggerFactory.getLogger(ContentFeature.class)
      .warn("bodyText backfill stopped; it runs again at the next start", failure));
    return Future.succeededFuture();
  }

  /** The public pages: no sign-in, HEAD answered as GET without the body. */
  @Override
  public void mountRaw(Mount mount) {
    mount.root().route("/p/:id").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(page::handle);
  }

  @Override
  public void mountStaffApi(Mount mount) {
    mount.root().route("/api/v1/documents*").subRouter(routes.routes(mount.vertx(), ItemKind.DOCUMENT));
    mount.root().route("/api/v1/interpretations*").subRouter(routes.routes(mount.vertx(), ItemKind.INTERPRETATION));
    // A path the posts router does not match (publishing's /api/v1/posts/:id/slots…) falls through to later routes.
    mount.root().route("/api/v1/posts*").subRouter(routes.routes(mount.vertx(), ItemKind.POST));
    mount.root().get("/api/v1/review-queue").handler(queue::handle);
  }

  @Override
  public void close() {
    backfill.stop();
  }
}
