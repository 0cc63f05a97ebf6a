package io.govmedia.media;

import com.mongodb.reactivestreams.client.MongoCollection;
import io.govmedia.platform.Mongo;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.ObjectId;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One file's bytes as a {@link WriteStream} into GridFS chunks ({@code media.chunks}: files_id, n, data), hashed on
 * the way. The write queue is the chunk inserts running: at most {@link #MAX_IN_FLIGHT}, then
 * {@link #writeQueueFull()} until one finishes, so a {@code pipeTo} pauses its source and an upload holds at most
 * three chunks in memory whatever its size. No chunk is inserted before {@code recorded} (the upload's record, by
 * which the sweep finds what a stopped server left) is written.
 *
 * <p>The driver's own {@code GridFSBucket.uploadFromPublisher} is not used for this: it inserts chunks through a
 * Reactor {@code flatMap} with up to 256 inserts in flight (64 MB of chunks per upload when the store is slower than
 * the network), copies each chunk's partial buffer on every arrival, and cleans up a failed upload with
 * {@code deleteMany({files_id})}, which the embedded store answers by scanning every chunk of every file. The
 * documents written here are the GridFS ones, so a {@code GridFSBucket} on "media" reads them back.
 * Not thread-safe: used from one event loop.
 */
final class AssetWriter implements WriteStream<Buffer> {

  /** GridFS's default chunk size. */
  static final int CHUNK_SIZE = 255 * 1024;
  static final int MAX_IN_FLIGHT = 2;

  private final MongoCollection<Document> chunks;
  private final String fileId;
  private final Future<Void> recorded;
  private final MessageDigest sha256;
  private int maxInFlight = MAX_IN_FLIGHT;
  private byte[] current = new byte[CHUNK_SIZE];
  private int filled;
  private int chunksStarted;
  private int inFlight;
  private long size;
  private Throwable failure;
  private Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;
  private Promise<Void> idle;
  private String digest;

  AssetWriter(MongoCollection<Document> chunks, String fileId, Future<Void> recorded) {
    this.chunks = chunks;
    this.fileId = fileId;
    this.recorded = recorded;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Takes the bytes; the answer is that of the chunk insert they completed, if any. */
  @Override
  public Future<Void> write(Buffer data) {
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    if (current == null) {
      return Future.failedFuture(new IllegalStateException("media file " + fileId + " is ended already"));
    }
    size += data.length();
    Future<Void> written = Future.succeededFuture();
    for (int at = 0; at < data.length(); ) {
      int take = Math.min(CHUNK_SIZE - filled, data.length() - at);
      data.getBytes(at, at + take, current, filled);
      sha256.update(current, filled, take);
      filled += take;
      at += take;
      if (filled == CHUNK_SIZE) {
        written = insert(current);
        current = new byte[CHUNK_SIZE];
        filled = 0;
      }
    }
    return written;
  }

  /** Writes the last, partial chunk and waits for every insert; fails if any failed. Then {@link #sha256()} holds. */
  @Override
  public Future<Void> end() {
    if (current != null) {
      if (filled > 0) {
        insert(Arrays.copyOf(current, filled));
      }
      current = null;
      digest = HexFormat.of().formatHex(sha256.digest());
    }
    return settle();
  }

  @Override
  public boolean writeQueueFull() {
    return inFlight >= maxInFlight;
  }

  /** The most chunk inserts to run at once. */
  @Override
  public AssetWriter setWriteQueueMaxSize(int maxSize) {
    maxInFlight = Math.max(1, maxSize);
    return this;
  }

  @Override
  public AssetWriter drainHandler(Handler<Void> handler) {
    drainHandler = handler;
    return this;
  }

  @Override
  public AssetWriter exceptionHandler(Handler<Throwable> handler) {
    exceptionHandler = handler;
    return this;
  }

  long size() {
    return size;
  }

  /** The hex SHA-256 of all bytes written, once ended. */
  String sha256() {
    return digest;
  }

  /** How many chunks were, or may have been, written: the ones to delete when the file is given up. */
  int chunksStarted() {
    return chunksStarted;
  }

  /**
   * Completes once the upload's record is settled either way and no insert runs any more; fails if an insert
   * failed. What is to be deleted is then known, and no insert can overtake the deletion.
   */
  Future<Void> settle() {
    if (idle == null) {
      idle = Promise.promise();
      settleIfIdle();
    }
    return recorded.transform(either -> idle.future());
  }

  private Future<Void> insert(byte[] data) {
    Document chunk = new Document("_id", new ObjectId()).append("files_id", fileId).append("n", chunksStarted++)
      .append("data", new Binary(data));
    inFlight++;
    Future<Void> inserted = recorded.compose(v -> Mongo.first(chunks.insertOne(chunk))).mapEmpty();
    inserted.onComplete(result -> {
      inFlight--;
      if (result.failed() && failure == null) {
        failure = result.cause();
        if (exceptionHandler != null) {
          exceptionHandler.handle(failure);
        }
      }
      if (idle != null) {
        settleIfIdle();
      } else if (inFlight == maxInFlight - 1 && drainHandler != null) {
        drainHandler.handle(null);
      }
    });
    return inserted;
  }

  private void settleIfIdle() {
    if (inFlight == 0) {
      if (failure == null) {
        idle.tryComplete();
      } else {
        idle.tryFail(failure);
      }
    }
  }
}
