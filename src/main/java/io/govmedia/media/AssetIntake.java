package io.govmedia.media;

import io.govmedia.platform.Problem;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

import java.time.Instant;
import java.util.Optional;

/**
 * What an uploaded file's bytes pass on their way into GridFS, as the {@link WriteStream} its multipart part is
 * piped to. The first bytes decide the format, and nothing is stored for a format the library does not take; the
 * type's size limit is checked on every buffer, so an oversized upload stops at the limit; the structure is
 * checked as the bytes pass and once more at the end. Back-pressure is the {@link AssetWriter}'s behind it.
 * Not thread-safe: used from one event loop.
 */
final class AssetIntake implements WriteStream<Buffer> {

  private final AssetStore store;
  private final String fileId;
  private final Instant startedAt;
  private Buffer head = Buffer.buffer();
  private byte[] headBytes;
  private AssetFormat format;
  private AssetStructure structure;
  private AssetWriter writer;
  private Handler<Void> drainHandler;
  private long received;
  private Future<Void> discarded;
  private final AssetType only;

  /** {@code only}: the one type taken (a citizen sends images), or null for every type the library takes. */
  AssetIntake(AssetStore store, String fileId, Instant startedAt, AssetType only) {
    this.store = store;
    this.fileId = fileId;
    this.startedAt = startedAt;
    this.only = only;
  }

  @Override
  public Future<Void> write(Buffer data) {
    received += data.length();
    if (writer != null) {
      return feed(data);
    }
    head.appendBuffer(data);
    return head.length() < AssetFormat.HEAD_BYTES ? Future.succeededFuture() : open();
  }

  /** The whole file came: stores the rest, then checks that the file is whole. */
  @Override
  public Future<Void> end() {
    Future<Void> opened = writer != null ? Future.succeededFuture()
      : head.length() == 0 ? Future.failedFuture(Problem.badRequest("empty-file", "文件为空", null))
      : open();  // a file shorter than the head
    return opened.compose(v -> writer.end()).compose(v -> {
      String incomplete = structure.problem(writer.size());
      return incomplete == null ? Future.succeededFuture()
        : Future.failedFuture(new Problem(422, "incomplete-file", "文件不完整", incomplete + "。未保存任何内容。"));
    });
  }

  @Override
  public boolean writeQueueFull() {
    return writer != null && writer.writeQueueFull();
  }

  @Override
  public AssetIntake drainHandler(Handler<Void> handler) {
    drainHandler = handler;
    if (writer != null) {
      writer.drainHandler(handler);
    }
    return this;
  }

  @Override
  public AssetIntake setWriteQueueMaxSize(int maxSize) {
    return this;  // the writer's chunk inserts are the queue
  }

  @Override
  public AssetIntake exceptionHandler(Handler<Throwable> handler) {
    return this;  // every failure is the answer to a write or to end()
  }

  /** Bytes taken so far, stored or not: progress, for the idle check. */
  long received() {
    return received;
  }

  AssetFormat format() {
    return format;
  }

  byte[] head() {
    return headBytes;
  }

  long size() {
    return writer.size();
  }

  String sha256() {
    return writer.sha256();
  }

  /**
   * Deletes every chunk written, once no insert can overtake the deletion; safe to call more than once, and after
   * success to give the file up.
   */
  Future<Void> discard() {
    if (discarded == null) {
      discarded = writer == null ? Future.succeededFuture()
        : writer.settle().transform(settled -> store.discard(fileId, writer.chunksStarted()));
    }
    return discarded;
  }

  /** Decides the format from the first bytes, then starts storing what came so far. */
  private Future<Void> open() {
    headBytes = head.getBytes(0, Math.min(head.length(), AssetFormat.HEAD_BYTES));
    Optional<AssetFormat> sniffed = AssetFormat.sniff(headBytes);
    if (sniffed.isEmpty()) {
      return Future.failedFuture(new Problem(415, "unsupported-media-type", "不支持的文件类型", "只接受 JPEG、PNG、GIF、WebP 图片，"
        + "MP4 视频，MP3、AMR 音频和 PDF 文件。类型按文件内容判断，与文件名和扩展名无关。"));
    }
    if (only != null && sniffed.get().type() != only) {
      return Future.failedFuture(new Problem(415, "unsupported-media-type", "只能上传图片", "只接受 JPEG、PNG、GIF、WebP 图片；"
        + "类型按文件内容判断，与文件名和扩展名无关。"));
    }
    format = sniffed.get();
    structure = new AssetStructure(format, headBytes);
    writer = store.writer(fileId, startedAt).drainHandler(drainHandler);
    Buffer first = head;
    head = null;
    return feed(first);
  }

  private Future<Void> feed(Buffer data) {
    if (writer.size() + data.length() > format.type().limitBytes()) {
      return Future.failedFuture(new Problem(413, "file-too-large", format.type().limitTitle(), AssetUpload.sizeDetail()));
    }
    structure.accept(data);
    return writer.write(data);
  }
}
