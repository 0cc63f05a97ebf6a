package io.govmedia.media;

import io.govmedia.platform.Problem;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One multipart upload, its file in the field {@code file}, streaming into GridFS as it arrives. The file's first
 * bytes decide its format (and nothing is stored for a format the library does not take); its type's size limit is
 * enforced on every buffer, so an oversized upload stops at the limit; while two chunk inserts are running the
 * upload is paused, which pauses the client's TCP stream. On any failure (wrong type, too large, incomplete, a
 * client that goes away or stalls) every chunk already written is deleted before the failure is reported.
 * Lives on the request's event loop.
 */
final class AssetUpload {

  static final String FIELD = "file";
  static final Duration IDLE_LIMIT = Duration.ofMinutes(2);
  /** Room for multipart framing and the small text fields beside the file. */
  static final long FORM_OVERHEAD = 1024 * 1024;
  private static final Pattern UNSAFE_IN_NAMES = Pattern.compile("[\\p{Cc}\\p{Cf}<>:\"|?*]");
  private static final int MAX_NAME_LENGTH = 120;

  /** A whole file, stored and checked, with the form's other fields. */
  record Received(String fileId, AssetFormat format, long size, String sha256, String filename, byte[] head,
                  MultiMap form) {}

  private final Vertx vertx;
  private final AssetStore store;
  private final HttpServerRequest request;
  private final Clock clock;
  private final String fileId = AssetIds.newId();
  private final Promise<Received> result = Promise.promise();
  private HttpServerFileUpload part;
  private String filename;
  private Buffer head = Buffer.buffer();
  private byte[] headBytes;
  private AssetFormat format;
  private AssetStructure structure;
  private AssetWriter writer;
  private String sha256;
  private boolean partEnded;
  private boolean partStored;
  private boolean requestEnded;
  private boolean pausedForStore;
  private boolean done;
  private long lastProgress;
  private long idleTimer = -1;
  private Future<Void> begun = Future.succeededFuture();
  private Future<Void> discarded;

  AssetUpload(Vertx vertx, AssetStore store, HttpServerRequest request, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.request = request;
    this.clock = clock;
  }

  /** Refuses, before reading any of it, a body that is not a multipart form or is larger than any file may be. */
  static void checkRequest(HttpServerRequest request) {
    String type = request.getHeader("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data") || !type.contains("boundary=")) {
      throw new Problem(415, "unsupported-media-type", "请以 multipart/form-data 上传文件",
        "文件放在表单字段 file 中；可选字段 title、departmentId。");
    }
    String length = request.getHeader("Content-Length");
    if (length != null && longerThanAnyFile(length)) {
      throw new Problem(413, "file-too-large", "文件不能超过 " + AssetType.largestLimitBytes() / (1024 * 1024) + "MB",
        sizeDetail());
    }
  }

  private static boolean longerThanAnyFile(String contentLength) {
    try {
      return Long.parseLong(contentLength) > AssetType.largestLimitBytes() + FORM_OVERHEAD;
    } catch (NumberFormatException e) {
      return contentLength.matches("[0-9]+");  // beyond a long
    }
  }

  /** Starts reading the (paused) request; completes once the file is stored and checked and the request has ended. */
  Future<Received> receive() {
    request.setExpectMultipart(true);
    request.uploadHandler(this::part);
    request.exceptionHandler(this::broken);
    request.endHandler(v -> requestEnded());
    lastProgress = System.nanoTime();
    idleTimer = vertx.setPeriodic(15_000, id -> checkIdle());
    if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
      request.response().writeContinue();
    }
    request.resume();
    return result.future();
  }

  /** Deletes every chunk written so far; safe to call more than once, and after success to give the file up. */
  Future<Void> discard() {
    if (discarded == null) {
      // After the upload's record is written (or not), so that deleting it cannot overtake writing it.
      discarded = writer == null ? Future.succeededFuture() : begun.transform(recorded -> writer.settle())
        .transform(settled -> store.discard(fileId, writer.chunksStarted()));
    }
    return discarded;
  }

  /**
   * The last segment of a client's file name, without control or formatting characters (a right-to-left override
   * makes "gpj.exe" look like "exe.jpg"), characters Windows refuses, or leading dots; null if nothing is left.
   */
  static String sanitizeFilename(String raw) {
    if (raw == null) {
      return null;
    }
    String name = raw.substring(Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\')) + 1);
    name = UNSAFE_IN_NAMES.matcher(name).replaceAll("").strip().replaceFirst("^[.\\s]+", "").replaceFirst("[.\\s]+$", "");
    if (name.isEmpty()) {
      return null;
    }
    if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
      int dot = name.lastIndexOf('.');
      String extension = dot > 0 && name.length() - dot <= 10 ? name.substring(dot) : "";
      name = name.substring(0, name.offsetByCodePoints(0, MAX_NAME_LENGTH - extension.length())) + extension;
    }
    return name;
  }

  private void part(HttpServerFileUpload upload) {
    if (done) {
      return;
    }
    if (!FIELD.equals(upload.name()) || part != null) {
      fail(Problem.badRequest("one-file-only", "一次只能上传一个文件", "文件放在表单字段 file 中，每次一个。"));
      return;
    }
    filename = sanitizeFilename(upload.filename());
    if (filename == null) {
      fail(Problem.badRequest("invalid-filename", "文件名无效", "文件名去掉路径和控制字符后为空。"));
      return;
    }
    part = upload;
    upload.handler(this::data);
    upload.endHandler(v -> partEnded());
    upload.exceptionHandler(this::broken);
  }

  private void data(Buffer data) {
    if (done) {
      return;
    }
    lastProgress = System.nanoTime();
    if (format != null) {
      feed(data);
      return;
    }
    head.appendBuffer(data);
    if (head.length() >= AssetFormat.HEAD_BYTES) {
      recognise();
    }
  }

  /** Decides the format from the first bytes, records the upload as under way, then stores what came so far. */
  private void recognise() {
    headBytes = head.getBytes(0, Math.min(head.length(), AssetFormat.HEAD_BYTES));
    Optional<AssetFormat> sniffed = AssetFormat.sniff(headBytes);
    if (sniffed.isEmpty()) {
      fail(new Problem(415, "unsupported-media-type", "不支持的文件类型", "只接受 JPEG、PNG、GIF、WebP 图片，MP4 视频，"
        + "MP3、AMR 音频和 PDF 文件。类型按文件内容判断，与文件名和扩展名无关。"));
      return;
    }
    format = sniffed.get();
    structure = new AssetStructure(format, headBytes);
    writer = store.writer(fileId, this::storeReady);
    Buffer received = head;
    head = null;
    pauseForStore();
    begun = store.begin(fileId, clock.instant());
    begun.onComplete(recorded -> {
      if (done) {
        return;
      }
      if (recorded.failed()) {
        fail(recorded.cause());
        return;
      }
      feed(received);
      if (!done && partEnded) {
        finishPart();
      } else {
        storeReady();
      }
    });
  }

  private void feed(Buffer data) {
    if (writer.failure() != null) {
      fail(writer.failure());
      return;
    }
    if (writer.size() + data.length() > format.type().limitBytes()) {
      fail(new Problem(413, "file-too-large", format.type().limitTitle(), sizeDetail()));
      return;
    }
    structure.accept(data);
    writer.write(data);
    if (writer.busy()) {
      pauseForStore();
    }
  }

  private void pauseForStore() {
    pausedForStore = true;
    part.pause();
  }

  /** A chunk insert finished: take more of the file, unless the store is still busy. */
  private void storeReady() {
    if (pausedForStore && !done && !writer.busy()) {
      pausedForStore = false;
      lastProgress = System.nanoTime();
      part.resume();
    }
  }

  private void partEnded() {
    if (done) {
      return;
    }
    partEnded = true;
    if (format == null) {
      if (head.length() == 0) {
        fail(Problem.badRequest("empty-file", "文件为空", null));
      } else {
        recognise();  // a file shorter than the head: stored once the upload is recorded
      }
      return;
    }
    finishPart();
  }

  private void finishPart() {
    writer.finish().onComplete(finished -> {
      if (done) {
        return;
      }
      if (finished.failed()) {
        fail(finished.cause());
        return;
      }
      String incomplete = structure.problem(writer.size());
      if (incomplete != null) {
        fail(new Problem(422, "incomplete-file", "文件不完整", incomplete + "。未保存任何内容。"));
        return;
      }
      sha256 = finished.result();
      partStored = true;
      completeIfDone();
    });
  }

  private void requestEnded() {
    requestEnded = true;
    if (part == null) {
      fail(Problem.badRequest("missing-file", "缺少文件", "请在 multipart 表单字段 file 中上传文件。"));
      return;
    }
    completeIfDone();
  }

  private void completeIfDone() {
    if (partStored && requestEnded && !done) {
      done = true;
      vertx.cancelTimer(idleTimer);
      result.complete(new Received(fileId, format, writer.size(), sha256, filename, headBytes, request.formAttributes()));
    }
  }

  private void checkIdle() {
    if (!pausedForStore && System.nanoTime() - lastProgress > IDLE_LIMIT.toNanos()) {
      fail(new Problem(408, "upload-stalled", "上传中断", "超过 " + IDLE_LIMIT.toMinutes() + " 分钟没有收到数据，上传已放弃。"));
    }
  }

  /** Stops storing, lets the rest of the body pass unread, deletes what was written, then reports. */
  private void fail(Throwable cause) {
    if (done) {
      return;
    }
    done = true;
    vertx.cancelTimer(idleTimer);
    if (part != null) {
      part.resume();
    }
    discard().onComplete(deleted -> result.fail(cause));
  }

  /** The request failed under us: the client went away, or the multipart body does not parse. */
  private void broken(Throwable cause) {
    fail(cause instanceof HttpClosedException ? cause
      : Problem.badRequest("invalid-multipart", "上传内容格式错误", "multipart/form-data 请求体无法解析。"));
  }

  private static String sizeDetail() {
    StringBuilder limits = new StringBuilder("上传已中止，未保存任何内容。各类文件上限：");
    for (AssetType type : AssetType.values()) {
      limits.append(type.label()).append(' ').append(type.limitBytes() / (1024 * 1024)).append("MB");
      limits.append(type.ordinal() < AssetType.values().length - 1 ? "，" : "。");
    }
    return limits.toString();
  }
}
