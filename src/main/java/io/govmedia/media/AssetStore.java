package io.govmedia.media;

import com.mongodb.MongoTimeoutException;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.Binary;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;
import static com.mongodb.client.model.Sorts.descending;

/**
 * The media library in the GridFS bucket "media" ({@code media.files}, {@code media.chunks}), plus
 * {@code media_uploads}: uploads under way, so that chunks left by a server that stopped mid-upload are found and
 * deleted. Lookups are by {@code _id} or by the full (files_id, n) chunk key only: the embedded store uses an index
 * for nothing else, and scanning the chunks would read every stored byte.
 */
public final class AssetStore {

  static final Duration ABANDONED_AFTER = Duration.ofHours(24);
  private static final Pattern CURSOR = Pattern.compile("[0-9]{1,15}\\.(?:" + AssetIds.FORMAT.pattern() + ")");

  private final MongoCollection<Document> files;
  private final MongoCollection<Document> chunks;
  private final MongoCollection<Document> uploads;

  public AssetStore(MongoDatabase db) {
    this.files = db.getCollection("media.files");
    this.chunks = db.getCollection("media.chunks");
    this.uploads = db.getCollection("media_uploads");
  }

  /** GridFS's own indexes; the unique chunk key is also what lets the embedded store find one chunk quickly. */
  public Future<Void> createIndexes() {
    return Future.all(
      Mongo.first(chunks.createIndex(Indexes.ascending("files_id", "n"), new IndexOptions().unique(true))),
      Mongo.speedUp("media files", files.createIndex(Indexes.ascending("filename", "uploadDate")))).mapEmpty();
  }

  /**
   * The type ("image", "video", "audio", "pdf") of each of these ids that names an asset; ids that name none are
   * left out. For documents and interpretations that attach assets.
   */
  public Future<Map<String, String>> types(Collection<String> ids) {
    return Mongo.all(files.find(in("_id", List.copyOf(ids))).projection(Projections.include("metadata.kind", "metadata.type")))
      .map(docs -> docs.stream().filter(AssetStore::isLibraryAsset)
        .collect(Collectors.toMap(d -> d.getString("_id"), d -> d.get("metadata", Document.class).getString("type"))));
  }

  /**
   * Deletes what uploads left behind when their server stopped before finishing or cleaning up, a day after they
   * started (no upload runs that long: a stalled one is given up after two idle minutes). Answers how many.
   */
  public Future<Integer> sweepAbandoned(Instant now) {
    return Mongo.all(uploads.find(lt("startedAt", Times.date(now.minus(ABANDONED_AFTER)))))
      .compose(abandoned -> {
        List<Future<Void>> swept = new ArrayList<>();
        abandoned.forEach(upload -> swept.add(sweep(upload.getString("_id"))));
        return Future.all(swept).map(abandoned.size());
      });
  }

  /** A writer of a new file's chunks; the upload is recorded as under way before its first chunk is written. */
  AssetWriter writer(String fileId, Instant now) {
    return new AssetWriter(chunks, fileId,
      Mongo.first(uploads.insertOne(new Document("_id", fileId).append("startedAt", Times.date(now)))).mapEmpty());
  }

  /**
   * Makes a checked upload an asset: its thumbnail first, then the asset's own file document. On failure nothing
   * of the thumbnail remains; the caller discards the asset's chunks.
   */
  Future<Asset> save(Asset asset, Thumbnail thumbnail, Instant now) {
    return save(asset, thumbnail, now, Asset.KIND);
  }

  /** As {@link #save(Asset, Thumbnail, Instant)}, of a {@code kind} other than the library's (a citizen's image). */
  Future<Asset> save(Asset asset, Thumbnail thumbnail, Instant now, String kind) {
    Future<Asset> withThumbnail = thumbnail == null ? Future.succeededFuture(asset) : saveThumbnail(asset, thumbnail, now);
    return withThumbnail.compose(saved -> insertFile(ofKind(saved.toDocument(), kind))
      .recover(failure -> (saved.thumbnailId() == null ? Future.<Void>succeededFuture()
        : deleteFile(saved.thumbnailId(), 1)).transform(deleted -> Future.failedFuture(failure)))
      .compose(v -> Future.all(finished(saved.id()), finished(saved.thumbnailId()))
        .transform(done -> Future.succeededFuture(saved))));  // the upload stands; the sweep tidies the records
  }

  private Future<Asset> saveThumbnail(Asset asset, Thumbnail thumbnail, Instant now) {
    String thumbnailId = AssetIds.newId();
    AssetWriter writer = writer(thumbnailId, now);
    return writer.end(Buffer.buffer(thumbnail.jpeg()))
      .compose(v -> insertFile(new AssetFile(thumbnailId, thumbnail.jpeg().length, AssetWriter.CHUNK_SIZE, now,
        AssetFormat.JPEG.mime(), writer.sha256(), thumbnailName(asset.filename()))
        .toThumbnailDocument(asset.id(), thumbnail.width(), thumbnail.height())))
      .map(v -> withThumbnail(asset, thumbnailId))
      .recover(failure -> writer.settle().transform(settled -> deleteFile(thumbnailId, writer.chunksStarted()))
        .compose(deleted -> finished(thumbnailId))
        .transform(deleted -> Future.failedFuture(failure)));
  }

  /** Deletes the chunks of an upload that is given up. */
  Future<Void> discard(String fileId, int chunksStarted) {
    return deleteChunks(fileId, chunksStarted).compose(v -> finished(fileId));
  }

  Future<Asset> find(String id) {
    return Mongo.first(files.find(eq("_id", id))).map(d -> isAsset(d) ? Asset.from(d) : null);
  }

  /** The asset an id names, or a 404 problem for a malformed or unknown id. */
  Future<Asset> require(String id) {
    return (AssetIds.valid(id) ? find(id) : Future.<Asset>succeededFuture(null))
      .compose(asset -> asset != null ? Future.succeededFuture(asset) : Future.failedFuture(Problem.notFound("素材")));
  }

  /**
   * As {@link #require}, for the staff's asset routes: a citizen's image is no library asset (staff see it only
   * through the case it belongs to, and not at all once WeChat flagged it).
   */
  Future<Asset> requireLibrary(String id) {
    return (AssetIds.valid(id) ? Mongo.first(files.find(eq("_id", id))) : Future.<Document>succeededFuture(null))
      .compose(d -> isLibraryAsset(d) ? Future.succeededFuture(Asset.from(d))
        : Future.failedFuture(Problem.notFound("素材")));
  }

  Future<AssetFile> thumbnail(Asset asset) {
    return asset.thumbnailId() == null ? Future.succeededFuture(null)
      : Mongo.first(files.find(eq("_id", asset.thumbnailId()))).map(d -> d == null ? null : AssetFile.from(d));
  }

  /**
   * Newest first. Random ids say nothing about age, so the order is by upload time, then id; the cursor
   * ({@link Asset#cursor()}) names both for the last asset of the previous page.
   */
  Future<List<Asset>> list(Page page, AssetType type) {
    List<Bson> filters = new ArrayList<>(List.of(eq("metadata.kind", Asset.KIND)));
    if (type != null) {
      filters.add(eq("metadata.type", type.wire()));
    }
    if (page.cursor() != null) {
      int dot = page.cursor().indexOf('.');
      Date at = new Date(Long.parseLong(page.cursor().substring(0, dot)));
      String id = page.cursor().substring(dot + 1);
      filters.add(or(lt("uploadDate", at), and(eq("uploadDate", at), lt("_id", id))));
    }
    return Mongo.all(files.find(and(filters)).sort(descending("uploadDate", "_id")).limit(page.limit() + 1))
      .map(docs -> docs.stream().map(Asset::from).toList());
  }

  static boolean validCursor(String cursor) {
    return CURSOR.matcher(cursor).matches();
  }

  /** The file document goes first, so that nothing serves the asset while its chunks are deleted. */
  Future<Void> delete(Asset asset) {
    Future<Void> thumbnail = asset.thumbnailId() == null ? Future.succeededFuture()
      : Mongo.first(files.find(eq("_id", asset.thumbnailId()))).compose(d -> d == null ? Future.succeededFuture()
        : deleteFile(d.getString("_id"), AssetFile.from(d).chunkCount()));
    return deleteFile(asset.id(), asset.file().chunkCount()).compose(v -> thumbnail);
  }

  /**
   * The whole asset in memory, for uploads to a channel; an asset larger than {@code maxBytes} fails with a 422
   * problem ({@code asset-too-large}) before anything is read, an unknown one with 404.
   */
  Future<MediaContent> content(String id, long maxBytes) {
    return require(id).compose(asset -> {
      if (asset.size() > maxBytes) {
        return Future.failedFuture(new Problem(422, "asset-too-large", "素材超出渠道允许的大小",
          "素材 " + id + " 为 " + asset.size() + " 字节，渠道上限为 " + maxBytes + " 字节。"));
      }
      AssetFile file = asset.file();
      Buffer all = Buffer.buffer((int) asset.size());
      Future<Void> read = Future.succeededFuture();
      for (int n = 0; n < file.chunkCount(); n++) {
        int chunk = n;
        read = read.compose(v -> chunk(file, chunk)).map(all::appendBuffer).mapEmpty();
      }
      return read.map(v -> new MediaContent(asset.id(), asset.type().wire(), asset.format().mime(), asset.filename(),
        asset.title(), all));
    });
  }

  /** Chunk {@code n} of the file, checked to have the length the file document promises. */
  Future<Buffer> chunk(AssetFile file, int n) {
    return Mongo.first(chunkQuery(file.id(), n)).compose(d -> {
      byte[] data = d == null ? null : d.get("data", Binary.class).getData();
      return data != null && data.length == file.chunkLength(n) ? Future.succeededFuture(Buffer.buffer(data))
        : Future.failedFuture(new IllegalStateException("chunk " + n + " of media file " + file.id() + " is missing or has "
          + (data == null ? "no" : data.length) + " bytes instead of " + file.chunkLength(n)));
    });
  }

  /**
   * As {@link #chunk}, for worker threads: blocks for at most 30 s. Every failure here is the store's (unreachable,
   * timing out, or a chunk missing), never the file's: it fails with the driver's exception where there is one.
   */
  byte[] chunkBlocking(AssetFile file, int n) {
    CompletableFuture<Document> found = new CompletableFuture<>();
    chunkQuery(file.id(), n).subscribe(new Subscriber<>() {
      @Override
      public void onSubscribe(Subscription subscription) {
        subscription.request(1);
      }

      @Override
      public void onNext(Document document) {
        found.complete(document);
      }

      @Override
      public void onError(Throwable failure) {
        found.completeExceptionally(failure);
      }

      @Override
      public void onComplete() {
        found.complete(null);
      }
    });
    Document d;
    try {
      d = found.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading chunk " + n + " of media file " + file.id(), e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r
        : new IllegalStateException("reading chunk " + n + " of media file " + file.id(), e.getCause());
    } catch (TimeoutException e) {
      throw new MongoTimeoutException("no answer from MongoDB within 30 s for chunk " + n + " of media file " + file.id());
    }
    byte[] data = d == null ? null : d.get("data", Binary.class).getData();
    if (data == null || data.length != file.chunkLength(n)) {
      throw new IllegalStateException("chunk " + n + " of media file " + file.id() + " is missing or has the wrong length");
    }
    return data;
  }

  private Publisher<Document> chunkQuery(String fileId, int n) {
    // Exactly the index's keys: the embedded store uses an index only for a query on all of its keys.
    return chunks.find(new Document("files_id", fileId).append("n", n)).projection(Projections.include("data")).first();
  }

  private Future<Void> insertFile(Document file) {
    return Mongo.first(files.insertOne(file)).mapEmpty();
  }

  private Future<Void> deleteFile(String fileId, int chunkCount) {
    return Mongo.first(files.deleteOne(eq("_id", fileId))).compose(v -> deleteChunks(fileId, chunkCount));
  }

  /** One delete per chunk key, in one round trip: a {@code deleteMany({files_id})} would scan on the embedded store. */
  private Future<Void> deleteChunks(String fileId, int chunkCount) {
    if (chunkCount == 0) {
      return Future.succeededFuture();
    }
    List<WriteModel<Document>> deletes = new ArrayList<>();
    for (int n = 0; n < chunkCount; n++) {
      deletes.add(new DeleteOneModel<>(new Document("files_id", fileId).append("n", n)));
    }
    return Mongo.first(chunks.bulkWrite(deletes, new com.mongodb.client.model.BulkWriteOptions().ordered(false))).mapEmpty();
  }

  private Future<Void> finished(String fileId) {
    if (fileId == null) {
      return Future.succeededFuture();
    }
    return Mongo.first(uploads.deleteOne(eq("_id", fileId))).mapEmpty();
  }

  /** An upload whose file document exists finished and only missed its bookkeeping; else its chunks go. */
  private Future<Void> sweep(String fileId) {
    return Mongo.first(files.find(eq("_id", fileId)))
      .compose(file -> file != null ? Future.succeededFuture()
        : Mongo.first(chunks.deleteMany(eq("files_id", fileId))).mapEmpty())
      .compose(v -> finished(fileId));
  }

  /** "photo.png" → "photo-thumbnail.jpg". */
  private static String thumbnailName(String filename) {
    int dot = filename.lastIndexOf('.');
    return (dot > 0 ? filename.substring(0, dot) : filename) + "-thumbnail.jpg";
  }

  /** An asset of the library or a citizen's image (both served by {@code /media}). */
  private static boolean isAsset(Document d) {
    return d != null && d.get("metadata") instanceof Document m
      && (Asset.KIND.equals(m.getString("kind")) || Asset.CITIZEN_KIND.equals(m.getString("kind")));
  }

  /** Only the library's own assets: content attaches these, never a citizen's image. */
  private static boolean isLibraryAsset(Document d) {
    return d != null && d.get("metadata") instanceof Document m && Asset.KIND.equals(m.getString("kind"));
  }

  private static Document ofKind(Document file, String kind) {
    file.get("metadata", Document.class).put("kind", kind);
    return file;
  }

  private static Asset withThumbnail(Asset a, String thumbnailId) {
    return new Asset(a.id(), a.format(), a.size(), a.chunkSize(), a.filename(), a.title(), a.departmentId(), a.sha256(),
      a.width(), a.height(), thumbnailId, a.createdBy(), a.createdAt());
  }

  /** A JPEG thumbnail made from an image, not yet stored. */
  record Thumbnail(byte[] jpeg, int width, int height) {}
}
