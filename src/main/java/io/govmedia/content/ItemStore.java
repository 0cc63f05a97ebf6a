package io.govmedia.content;

import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.ne;
import static com.mongodb.client.model.Filters.or;
import static com.mongodb.client.model.Filters.regex;
import static com.mongodb.client.model.Sorts.ascending;
import static com.mongodb.client.model.Sorts.descending;

/**
 * Documents, interpretations and posts, one collection each, plus the snapshots of their earlier versions. Every
 * change is one conditional single-document update (guarded by the version the change was made from); a
 * version is snapshotted from the item itself just before it is overwritten, so a snapshot is never wrong
 * and a failed edit leaves nothing behind but a correct copy of what still stands.
 */
public final class ItemStore {

  private final MongoDatabase db;
  private final MongoCollection<Document> versions;

  public ItemStore(MongoDatabase db) {
    this.db = db;
    this.versions = db.getCollection("content_versions");
  }

  private MongoCollection<Document> items(ItemKind kind) {
    return db.getCollection(kind.collection());
  }

  Future<Item> insert(Item item) {
    return Mongo.first(items(item.kind()).insertOne(item.toDocument())).map(item);
  }

  public Future<Item> find(ItemKind kind, String id) {
    return Mongo.first(items(kind).find(eq("_id", id))).map(d -> d == null ? null : Item.from(kind, d));
  }

  /** The published items of a kind among {@code ids} (a filter on {@code _id} alone: the embedded store's index). */
  Future<List<Item>> published(ItemKind kind, Collection<String> ids) {
    return Mongo.all(items(kind).find(in("_id", List.copyOf(ids))))
      .map(docs -> docs.stream().map(d -> Item.from(kind, d)).filter(i -> i.status() == ReviewStatus.PUBLISHED)
        .toList());
  }

  /**
   * Up to {@code limit} items of a kind after {@code afterId} in id order (null: from the start), published or not: a
   * range on {@code _id} alone, which the embedded store reads from its index, so that going through a whole
   * collection is many short reads instead of one long scan that holds up everything else.
   */
  Future<List<Item>> after(ItemKind kind, String afterId, int limit) {
    Bson filter = afterId == null ? new Document() : gt("_id", afterId);
    return Mongo.all(items(kind).find(filter).sort(ascending("_id")).limit(limit))
      .map(docs -> docs.stream().map(d -> Item.from(kind, d)).toList());
  }

  /** Newest first. */
  Future<List<Item>> list(ItemKind kind, Bson filter, Page page) {
    Bson paged = page.cursor() == null ? filter : and(filter, lt("_id", page.cursor()));
    return Mongo.all(items(kind).find(paged).sort(descending("_id")).limit(page.limit() + 1))
      .map(docs -> docs.stream().map(d -> Item.from(kind, d)).toList());
  }

  /**
   * Every item of a kind in review within {@code scope} (a list filter), without bodies: the review queue, which
   * is short (items leave it within days) and sorted by submission, a time no index holds.
   */
  Future<List<Item>> inReview(ItemKind kind, Bson scope) {
    return Mongo.all(items(kind).find(and(eq("status", ReviewStatus.IN_REVIEW.wire()), scope))
        .projection(com.mongodb.client.model.Projections.exclude("body", "bodyText")))
      .map(docs -> docs.stream().map(d -> Item.from(kind, d)).toList());
  }

  /**
   * Up to {@code limit} items saved before {@code bodyText} existed, in id order after {@code afterId} (null: from
   * the start). A scan on every store (no index holds a missing field), for the one-off backfill only.
   */
  Future<List<Item>> withoutBodyText(ItemKind kind, String afterId, int limit) {
    Bson missing = afterId == null ? eq("bodyText", null) : and(eq("bodyText", null), gt("_id", afterId));
    return Mongo.all(items(kind).find(missing).sort(ascending("_id")).limit(limit))
      .map(docs -> docs.stream().map(d -> Item.from(kind, d)).toList());
  }

  /** Documents that are no longer in force: repealed, amended, expired by status or by date (失效文件清单). */
  Future<List<Item>> expiredDocuments(Instant now, Page page) {
    Bson filter = and(eq("status", "published"), or(in("attrs.validity", List.of("repealed", "amended", "expired")),
      lt("attrs.expiresAt", Times.date(now))));
    return list(ItemKind.DOCUMENT, filter, page);
  }

  /** Interpretations of a document that go to review with it or have passed it. */
  Future<Long> interpretationsGoingWith(String documentId) {
    return Mongo.first(items(ItemKind.INTERPRETATION).countDocuments(and(eq("attrs.documentId", documentId),
      in("status", List.of("in_review", "approved", "published")))));
  }

  /**
   * How many documents and interpretations (any version current now, drafts included) use an asset: attach it, show
   * it, or embed its {@code /media/} URL in their body, so that deleting it would break a page someone reads.
   */
  Future<Long> referencing(String assetId) {
    return Future.all(
        Mongo.first(items(ItemKind.DOCUMENT).countDocuments(
          or(eq("attrs.attachmentIds", assetId), embedding(assetId)))),
        Mongo.first(items(ItemKind.INTERPRETATION).countDocuments(
          or(eq("attrs.assetIds", assetId), embedding(assetId)))),
        Mongo.first(items(ItemKind.POST).countDocuments(postUsing(assetId))))
      .map(all -> all.<Long>resultAt(0) + all.<Long>resultAt(1) + all.<Long>resultAt(2));
  }

  /** A post whose cover, Weibo picture or body (its WeChat article) shows the asset. */
  private static Bson postUsing(String assetId) {
    return or(eq("attrs.wechat.coverAssetId", assetId), eq("attrs.weibo.pictureAssetId", assetId), embedding(assetId));
  }

  /** A document's unpublished interpretations that are not (or no longer) in the given department. */
  Future<List<Item>> interpretationsOutside(String documentId, String departmentId) {
    return Mongo.all(items(ItemKind.INTERPRETATION).find(and(eq("attrs.documentId", documentId),
        ne("departmentId", departmentId), ne("status", ReviewStatus.PUBLISHED.wire()))))
      .map(docs -> docs.stream().map(d -> Item.from(ItemKind.INTERPRETATION, d)).toList());
  }

  /** Interpretations of a document that passed review. */
  Future<Long> interpretationsApproved(String documentId) {
    return Mongo.first(items(ItemKind.INTERPRETATION).countDocuments(and(eq("attrs.documentId", documentId),
      in("status", List.of("approved", "published")))));
  }

  /**
   * Writes {@code after} only if the stored item is still exactly {@code before}: every write sets a new
   * {@code updatedAt}, so two changes made from the same state (a validity mark and a publication, two
   * reviewers) cannot both land.
   */
  Future<Item> replace(Item before, Item after) {
    Bson guard = and(eq("_id", before.id()), eq("version", before.version()), eq("status", before.status().wire()),
      eq("stage", before.stage()), eq("updatedAt", Times.date(before.updatedAt())));
    return Mongo.first(items(before.kind()).replaceOne(guard, after.toDocument()))
      .compose(result -> result.getModifiedCount() == 1
        ? Future.succeededFuture(after)
        : Future.failedFuture(Problem.conflict("edit-conflict", "数据已被他人修改", "请刷新后重试。")));
  }

  /** Keeps a copy of the item's current version before an edit replaces it. Idempotent. */
  Future<Void> snapshot(Item item) {
    Document copy = new Document("_id", item.kind().wire() + ":" + item.id() + ":" + item.version())
      .append("kind", item.kind().wire()).append("itemId", item.id()).append("version", item.version())
      .append("title", item.title()).append("body", item.body()).append("attrs", item.attrs().toDocument())
      .append("updatedAt", Times.date(item.updatedAt()));
    return Mongo.first(versions.replaceOne(eq("_id", copy.getString("_id")), copy, new ReplaceOptions().upsert(true)))
      .mapEmpty();
  }

  /** Earlier versions, oldest first (the current version is the item itself). */
  Future<List<Document>> versions(ItemKind kind, String id) {
    return Mongo.all(versions.find(and(eq("kind", kind.wire()), eq("itemId", id))).sort(ascending("version")));
  }

  /**
   * Whether published content uses an asset, so that anyone may load it: a published document attaches it, a
   * published interpretation shows it, a published post shows it as cover or Weibo picture, or the body of any of
   * them embeds its {@code /media/} URL.
   */
  Future<Boolean> publishedReferencing(String assetId) {
    Bson embedded = embedding(assetId);
    Document idOnly = new Document("_id", 1);
    return Future.all(
        Mongo.first(items(ItemKind.DOCUMENT).find(and(eq("status", "published"),
          or(eq("attrs.attachmentIds", assetId), embedded))).projection(idOnly).limit(1)),
        Mongo.first(items(ItemKind.INTERPRETATION).find(and(eq("status", "published"),
          or(eq("attrs.assetIds", assetId), embedded))).projection(idOnly).limit(1)),
        Mongo.first(items(ItemKind.POST).find(and(eq("status", "published"), postUsing(assetId)))
          .projection(idOnly).limit(1)))
      .map(all -> all.resultAt(0) != null || all.resultAt(1) != null || all.resultAt(2) != null);
  }

  /** A body that embeds the asset's {@code /media/{id}} URL (or its thumbnail), and not a longer id it begins. */
  private static Bson embedding(String assetId) {
    return regex("body", "/media/" + Pattern.quote(assetId) + "(?![A-Za-z0-9_-])");
  }
}
