package io.govmedia.media;

import io.govmedia.platform.Problem;
import io.netty.handler.codec.DecoderException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.Pipe;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One multipart upload, its file in the field {@code file}: the file part is piped into an {@link AssetIntake}
 * (format by the first bytes, size limit, structure) and on into GridFS, {@code pipeTo} carrying back-pressure to
 * the client's TCP stream. The upload succeeds once the file is stored and checked and the request has ended; on
 * any failure (wrong type, too large, incomplete, a form that does not parse, a client that goes away or stalls)
 * the pipe is closed, the rest of the body passes unread, and {@link #discard()} deletes every chunk written.
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
  private final HttpServerRequest request;
  private final Clock clock;
  private final String fileId = AssetIds.newId();
  private final AssetIntake intake;
  private final Promise<Void> outcome = Promise.promise();
  private final CloseDelimiter closeDelimiter;
  private Pipe<Buffer> pipe;
  private Future<Void> stored;
  private String filename;
  private long progressSeen;
  private long progressAt;

  AssetUpload(Vertx vertx, AssetStore store, HttpServerRequest request, Clock clock) {
    this(vertx, store, request, clock, null);
  }

  /** {@code only}: the one type taken, or null for every type. */
  AssetUpload(Vertx vertx, AssetStore store, HttpServerRequest request, Clock clock, AssetType only) {
    this.vertx = vertx;
    this.request = request;
    this.clock = clock;
    this.intake = new AssetIntake(store, fileId, clock.instant(), only);
    this.closeDelimiter = CloseDelimiter.of(request.getHeader("Content-Type"));
  }

  /** Refuses, before reading any of it, a body that is not a multipart form or is larger than any file may be. */
  static void checkRequest(HttpServerRequest request) {
    checkRequest(request, AssetType.largestLimitBytes());
  }

  /** As {@link #checkRequest(HttpServerRequest)}, for an upload of at most {@code limitBytes}. */
  static void checkRequest(HttpServerRequest request, long limitBytes) {
    String type = request.getHeader("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data") || !type.contains("boundary=")) {
      throw new Problem(415, "unsupported-media-type", "请以 multipart/form-data 上传文件",
        "文件放在表单字段 file 中；可选字段 title、departmentId。");
    }
    String length = request.getHeader("Content-Length");
    if (length != null && longerThan(length, limitBytes)) {
      throw new Problem(413, "file-too-large", "文件不能超过 " + limitBytes / (1024 * 1024) + "MB", sizeDetail());
    }
  }

  private static boolean longerThan(String contentLength, long limitBytes) {
    try {
      return Long.parseLong(contentLength) > limitBytes + FORM_OVERHEAD;
    } catch (NumberFormatException e) {
      return contentLength.matches("[0-9]+");  // beyond a long
    }
  }

  /** Starts reading the (paused) request; completes once the file is stored and checked and the request has ended. */
  Future<Received> receive() {
    request.setExpectMultipart(true);
    request.uploadHandler(this::part);
    request.handler(closeDelimiter::scan);
    (request.isEnded() ? Future.<Void>succeededFuture() : request.end()).onComplete(this::requestEnded);
    progressAt = clock.millis();
    long idleTimer = vertx.setPeriodic(15_000, id -> checkIdle());
    if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
      request.response().writeContinue();
    }
    request.resume();
    return outcome.future()
      .onComplete(done -> vertx.cancelTimer(idleTimer))
      .map(v -> new Received(fileId, intake.format(), intake.size(), intake.sha256(), filename, intake.head(),
        request.formAttributes()));
  }

  /** Deletes every chunk written so far; safe to call more than once, and after success to give the file up. */
  Future<Void> discard() {
    return intake.discard();
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

  private void part(HttpServerFileUpload part) {
    if (!FIELD.equals(part.name()) || pipe != null) {
      refuse(Problem.badRequest("one-file-only", "一次只能上传一个文件", "文件放在表单字段 file 中，每次一个。"));
      return;
    }
    filename = sanitizeFilename(part.filename());
    if (filename == null) {
      refuse(Problem.badRequest("invalid-filename", "文件名无效", "文件名去掉路径和控制字符后为空。"));
      return;
    }
    pipe = part.pipe().endOnFailure(false);  // a failed file is discarded, not finished
    stored = pipe.to(intake);
    stored.onFailure(this::refuse);
  }

  private void requestEnded(AsyncResult<Void> ended) {
    if (ended.failed()) {
      refuse(ended.cause());
    } else if (stored == null) {
      refuse(Problem.badRequest("missing-file", "缺少文件", "请在 multipart 表单字段 file 中上传文件。"));
    } else if (!closeDelimiter.seen()) {
      // The decoder never ends a file part cut off before the closing boundary: without this the client would
      // wait for the idle limit, for an answer blaming a stall.
      refuse(Problem.badRequest("invalid-multipart", "上传内容格式错误", "multipart/form-data 请求体不完整（缺少结束分隔符）。"));
    } else {
      stored.onSuccess(outcome::tryComplete);
    }
  }

  /** No byte for two minutes, while the store was not the one holding the upload up. */
  private void checkIdle() {
    long now = clock.millis();
    if (intake.received() != progressSeen || intake.writeQueueFull()) {
      progressSeen = intake.received();
      progressAt = now;
    } else if (now - progressAt > IDLE_LIMIT.toMillis()) {
      refuse(new Problem(408, "upload-stalled", "上传中断", "超过 " + IDLE_LIMIT.toMinutes() + " 分钟没有收到数据，上传已放弃。"));
    }
  }

  /** The first failure is the upload's: storing stops and the rest of the body passes unread. */
  private void refuse(Throwable cause) {
    if (outcome.tryFail(multipartFailure(cause)) && pipe != null) {
      pipe.close();
    }
  }

  /** A body that does not parse as multipart is the client's 400; a client gone or the store failing stay what they are. */
  private static Throwable multipartFailure(Throwable cause) {
    return cause instanceof DecoderException
      ? Problem.badRequest("invalid-multipart", "上传内容格式错误", "multipart/form-data 请求体无法解析。") : cause;
  }

  /**
   * Watches the raw body for the form's close delimiter ({@code --boundary--}), which senders keep out of every
   * part, matching across chunks in linear time (Knuth–Morris–Pratt). Without a boundary it cannot tell and says
   * seen; so does a file holding the delimiter mid-line: then only the idle limit ends a cut-off body, as before.
   */
  private static final class CloseDelimiter {
    private final byte[] pattern;
    private final int[] fallback;
    private int matched;
    private boolean seen;

    private CloseDelimiter(byte[] pattern) {
      this.pattern = pattern;
      this.fallback = new int[pattern.length];
      for (int i = 1, k = 0; i < pattern.length; i++) {
        while (k > 0 && pattern[i] != pattern[k]) {
          k = fallback[k - 1];
        }
        if (pattern[i] == pattern[k]) {
          k++;
        }
        fallback[i] = k;
      }
      this.seen = pattern.length == 4;
    }

    static CloseDelimiter of(String contentType) {
      return new CloseDelimiter(("--" + boundary(contentType) + "--").getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The boundary parameter, unquoted; empty when there is none. */
    static String boundary(String contentType) {
      for (String parameter : contentType == null ? new String[0] : contentType.split(";")) {
        String p = parameter.strip();
        if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
          String value = p.substring(9).strip();
          return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
            ? value.substring(1, value.length() - 1) : value;
        }
      }
      return "";
    }

    void scan(Buffer chunk) {
      if (seen) {
        return;
      }
      byte[] bytes = chunk.getBytes();
      for (int i = 0; i < bytes.length && !seen; i++) {
        byte b = bytes[i];
        while (matched > 0 && b != pattern[matched]) {
          matched = fallback[matched - 1];
        }
        if (b == pattern[matched]) {
          matched++;
        }
        seen = matched == pattern.length;
      }
    }

    boolean seen() {
      return seen;
    }
  }

  static String sizeDetail() {
    StringBuilder limits = new StringBuilder("上传已中止，未保存任何内容。各类文件上限：");
    for (AssetType type : AssetType.values()) {
      limits.append(type.label()).append(' ').append(type.limitBytes() / (1024 * 1024)).append("MB");
      limits.append(type.ordinal() < AssetType.values().length - 1 ? "，" : "。");
    }
    return limits.toString();
  }
}
