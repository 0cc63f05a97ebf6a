package io.govmedia.media;

import com.mongodb.reactivestreams.client.MongoCollection;
import io.govmedia.platform.Mongo;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.ObjectId;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes one file's bytes into GridFS chunks ({@code media.chunks}: files_id, n, data) as they arrive, hashing them
 * on the way. At most {@link #MAX_IN_FLIGHT} chunk inserts run at once; {@link #busy()} tells the caller to pause
 * its source until {@code whenReady} runs, so an upload holds at most three chunks in memory whatever its size.
 *
 * <p>The driver's own {@code GridFSBucket.uploadFromPublisher} is not used for this: it inserts chunks through a
 * Reactor {@code flatMap} with up to 256 inserts in flight (64 MB of chunks per upload when the store is slower than
 * the network), copies each chunk's partial buffer on every arrival, and cleans up a failed upload with
 * {@code deleteMany({files_id})}, which the embedded store answers by scanning every chunk of every file. The
 * documents written here are the GridFS ones, so a {@code GridFSBucket} on "media" reads them back.
 * Not thread-safe: used from one event loop.
 */
final class AssetWriter {

  /** GridFS's default chunk size. */
  static final int CHUNK_SIZE = 255 * 1024;
  static final int MAX_IN_FLIGHT = 2;

  private final MongoCollection<Document> chunks;
  private final String fileId;
  private final Runnable whenReady;
  private final MessageDigest sha256;
  private byte[] current = new byte[CHUNK_SIZE];
  private int filled;
  private int chunksStarted;
  private int inFlight;
  private long size;
  private Throwable failure;
  private Promise<Void> settled;

  AssetWriter(MongoCollection<Document> chunks, String fileId, Runnable whenReady) {
    this.chunks = chunks;
    this.fileId = fileId;
    this.whenReady = whenReady;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  void write(Buffer data) {
    size += data.length();
    int at = 0;
    while (at < data.length()) {
      int take = Math.min(CHUNK_SIZE - filled, data.length() - at);
      data.getBytes(at, at + take, current, filled);
      sha256.update(current, filled, take);
      filled += take;
      at += take;
      if (filled == CHUNK_SIZE) {
        insert(current);
        current = new byte[CHUNK_SIZE];
        filled = 0;
      }
    }
  }

  /** Too many chunk inserts running: stop feeding until {@code whenReady} runs. */
  boolean busy() {
    return inFlight >= MAX_IN_FLIGHT;
  }

  /** An insert failed: the file cannot be completed. */
  Throwable failure() {
    return failure;
  }

  long size() {
    return size;
  }

  /** How many chunks were, or may have been, written: the ones to delete when the file is given up. */
  int chunksStarted() {
    return chunksStarted;
  }

  /** Writes the last, partial chunk and waits for every insert; then the hex SHA-256 of all bytes written. */
  Future<String> finish() {
    if (filled > 0) {
      insert(java.util.Arrays.copyOf(current, filled));
      filled = 0;
    }
    current = null;
    return settle().map(v -> HexFormat.of().formatHex(sha256.digest()));
  }

  /** Completes once no insert runs any more; fails if any insert failed. */
  Future<Void> settle() {
    if (settled == null) {
      settled = Promise.promise();
      settleIfIdle();
    }
    return settled.future();
  }

  private void insert(byte[] data) {
    Document chunk = new Document("_id", new ObjectId()).append("files_id", fileId).append("n", chunksStarted++)
      .append("data", new Binary(data));
    inFlight++;
    Mongo.first(chunks.insertOne(chunk)).onComplete(result -> {
      inFlight--;
      if (result.failed() && failure == null) {
        failure = result.cause();
      }
      if (settled != null) {
        settleIfIdle();
      } else if (inFlight == MAX_IN_FLIGHT - 1) {
        whenReady.run();
      }
    });
  }

  private void settleIfIdle() {
    if (inFlight == 0) {
      if (failure == null) {
        settled.tryComplete();
      } else {
        settled.tryFail(failure);
      }
    }
  }
}
