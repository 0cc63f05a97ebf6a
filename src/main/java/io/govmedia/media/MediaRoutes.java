package io.govmedia.media;

import io.govmedia.auth.Principal;
import io.govmedia.platform.Problem;
import io.govmedia.platform.RequestLog;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code GET|HEAD /media/{id}} and {@code /media/{id}/thumbnail}. Anyone may load an asset that published content
 * uses (the mini-program and WeChat articles load media without signing in): cacheable for five minutes, so that a
 * withdrawal takes effect within minutes even behind caches, validated by the SHA-256 as ETag. Any other asset
 * needs a staff bearer token or an expiring signed URL ({@link MediaLinks}) and is never stored by caches; without
 * either it is a 404, exactly as an id that names nothing, so that probing tells nothing. {@code Range} requests
 * (one range; see {@link AssetRange}) are answered 206 by reading only the GridFS chunks that hold the range;
 * every body streams chunk by chunk, waiting whenever the connection's write queue is full, so a slow client
 * holds two chunks of memory, not the file.
 */
public final class MediaRoutes {

  private static final Logger log = LoggerFactory.getLogger(MediaRoutes.class);
  private static final DateTimeFormatter HTTP_DATE =
    DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
  static final String CACHE_PUBLIC = "public, max-age=300";
  static final String CACHE_PRIVATE = "private, no-store";

  private final AssetStore store;
  private final MediaLinks links;
  private final PublicAssets publicAssets;

  /** {@code published} answers whether published content uses an asset (the content feature knows). */
  public MediaRoutes(AssetStore store, MediaLinks links, Function<String, Future<Boolean>> published, Clock clock) {
    this.store = store;
    this.links = links;
    this.publicAssets = new PublicAssets(published, clock);
  }

  /** {@code staffAuth} checks a bearer token where a request sends one (a wrong one is 401). */
  public Router routes(Vertx vertx, Handler<RoutingContext> staffAuth) {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      ctx.response().putHeader("Cache-Control", CACHE_PRIVATE);  // errors and private answers alike
      if (ctx.request().headers().contains("Authorization")) {
        staffAuth.handle(ctx);
      } else {
        ctx.next();
      }
    });
    router.get("/:id").handler(this::asset);
    router.head("/:id").handler(this::asset);
    router.get("/:id/thumbnail").handler(this::thumbnail);
    router.head("/:id/thumbnail").handler(this::thumbnail);
    return router;
  }

  private void asset(RoutingContext ctx) {
    visible(ctx)
      .onSuccess(asset -> serve(ctx, asset.file()))
      .onFailure(ctx::fail);
  }

  private void thumbnail(RoutingContext ctx) {
    visible(ctx)
      .compose(store::thumbnail)
      .compose(file -> file == null ? Future.<AssetFile>failedFuture(Problem.notFound("缩略图（仅 JPEG、PNG、GIF 图片有缩略图）"))
        : Future.succeededFuture(file))
      .onSuccess(file -> serve(ctx, file))
      .onFailure(ctx::fail);
  }

  /**
   * The asset, if this request may see it: staff (the bearer check before this passed) and signed URLs see every
   * asset, privately; anyone else only what published content uses, with a public answer. Else 404 "素材".
   */
  private Future<Asset> visible(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String id = ctx.pathParam("id");
    boolean entitled = signedIn(ctx) || links.valid(id, request.getParam("expires"), request.getParam("sig"));
    Future<Asset> found = store.require(id);
    if (entitled) {
      return found;
    }
    return found.compose(asset -> publicAssets.isPublic(asset.id()).compose(open -> {
      if (!open) {
        return Future.failedFuture(Problem.notFound("素材"));
      }
      ctx.response().putHeader("Cache-Control", CACHE_PUBLIC);
      return Future.succeededFuture(asset);
    }));
  }

  /** A request that sends a token got past the bearer check in front only with a valid one. */
  private static boolean signedIn(RoutingContext ctx) {
    if (!ctx.request().headers().contains("Authorization")) {
      return false;
    }
    Principal.of(ctx);
    return true;
  }

  private void serve(RoutingContext ctx, AssetFile file) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    if (notModified(request, file)) {
      validators(response, file).setStatusCode(304).end();
      return;
    }
    AssetRange range = AssetRange.parse(rangeApplies(request, file) ? request.getHeader("Range") : null, file.length());
    if (range.kind() == AssetRange.Kind.UNSATISFIABLE) {
      response.putHeader("Content-Range", "bytes */" + file.length());
      ctx.fail(new Problem(416, "range-not-satisfiable", "请求的字节范围超出文件", "文件共 " + file.length() + " 字节。"));
      return;
    }
    validators(response, file)
      .putHeader("Content-Type", file.mime())
      .putHeader("Content-Length", Long.toString(range.length()))
      .putHeader("Accept-Ranges", "bytes")
      .putHeader("X-Content-Type-Options", "nosniff")
      .putHeader("Content-Disposition", "inline; filename=\"" + file.filename().replaceAll("[^\\x20-\\x7E]", "_")
        + "\"; filename*=UTF-8''" + percentEncoded(file.filename()));
    if (range.kind() == AssetRange.Kind.PARTIAL) {
      response.setStatusCode(206).putHeader("Content-Range", "bytes " + range.start() + "-" + range.end() + "/" + file.length());
    }
    if (request.method() == HttpMethod.HEAD) {
      response.end();
      return;
    }
    // Media is compressed already, and a range counts stored bytes: the server's gzip must leave it alone.
    response.putHeader("Content-Encoding", "identity");
    new Pump(ctx, file, range).next();
  }

  /**
   * Sends the range chunk by chunk, reading the next chunk while the current one is written, and taking it only
   * once the connection can: at most two chunks of the file are in memory for a response.
   */
  private final class Pump {
    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final AssetFile file;
    private final long end;
    private final int lastChunk;
    private long position;
    private Future<Buffer> ahead;

    Pump(RoutingContext ctx, AssetFile file, AssetRange range) {
      this.ctx = ctx;
      this.response = ctx.response();
      this.file = file;
      this.position = range.start();
      this.end = range.end();
      this.lastChunk = (int) (end / file.chunkSize());
    }

    void next() {
      int n = (int) (position / file.chunkSize());
      Future<Buffer> current = ahead != null ? ahead : store.chunk(file, n);
      ahead = n < lastChunk ? store.chunk(file, n + 1) : null;
      current.onComplete(read -> {
        if (response.closed()) {
          return;
        }
        if (read.failed()) {
          log.error("{} media file {} unreadable at chunk {}", RequestLog.id(ctx), file.id(), n, read.cause());
          ctx.request().connection().close();  // the head is out: only a cut connection tells the client
          return;
        }
        long chunkStart = (long) n * file.chunkSize();
        Buffer chunk = read.result();
        int from = (int) (position - chunkStart);
        int to = (int) Math.min(chunk.length(), end + 1 - chunkStart);
        Buffer part = from == 0 && to == chunk.length() ? chunk : chunk.slice(from, to);
        position += to - from;
        if (position > end) {
          response.end(part);
          return;
        }
        response.write(part);
        if (response.writeQueueFull()) {
          response.drainHandler(drained -> {
            response.drainHandler(null);
            next();
          });
        } else {
          next();
        }
      });
    }
  }

  private static HttpServerResponse validators(HttpServerResponse response, AssetFile file) {
    return response.putHeader("ETag", file.etag())
      .putHeader("Last-Modified", HTTP_DATE.format(file.uploadedAt()));
  }

  /** If-None-Match (weak comparison) wins over If-Modified-Since, as RFC 9110 §13.2.2 orders them. */
  private static boolean notModified(HttpServerRequest request, AssetFile file) {
    String ifNoneMatch = request.getHeader("If-None-Match");
    if (ifNoneMatch != null) {
      return ifNoneMatch.strip().equals("*") || listed(ifNoneMatch, file.etag());
    }
    String ifModifiedSince = request.getHeader("If-Modified-Since");
    if (ifModifiedSince == null) {
      return false;
    }
    try {
      Instant since = ZonedDateTime.parse(ifModifiedSince.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return !file.uploadedAt().truncatedTo(ChronoUnit.SECONDS).isAfter(since);
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static boolean listed(String header, String etag) {
    for (String tag : header.split(",")) {
      String opaque = tag.strip();
      if ((opaque.startsWith("W/") ? opaque.substring(2) : opaque).equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /** If-Range: the range only if the client's copy is still this file (strong comparison), else the whole file. */
  private static boolean rangeApplies(HttpServerRequest request, AssetFile file) {
    String ifRange = request.getHeader("If-Range");
    if (ifRange == null) {
      return true;
    }
    String value = ifRange.strip();
    return value.startsWith("\"") || value.startsWith("W/") ? value.equals(file.etag())
      : value.equals(HTTP_DATE.format(file.uploadedAt()));
  }

  /** RFC 8187 encoding of a file name: attr-chars as they are, every other UTF-8 byte as %XX. */
  private static String percentEncoded(String filename) {
    StringBuilder out = new StringBuilder();
    for (byte b : filename.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
          .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }
}
