package io.govmedia.media;

import io.govmedia.auth.DepartmentStore;
import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Input;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.govmedia.platform.RequestLog;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * {@code /api/v1/assets}: the office's shared media library. Admins and editors upload (the library is shared, so
 * no account scope applies); every signed-in member of staff may look, and ask for a signed URL; admins delete. The upload is not behind
 * the body handler: {@link #holdBody} and {@link #upload} are mounted ahead of it, with the bearer token between.
 */
public final class AssetRoutes {

  /** What is left of a refused upload's body is read and dropped up to this much, then the connection is closed. */
  static final long SKIP_LIMIT = 8L * 1024 * 1024;

  private final AssetStore store;
  private final AssetImages images;
  private final DepartmentStore departments;
  private final Function<String, Future<Long>> users;
  private final MediaLinks links;
  private final AuditLog audit;
  private final Clock clock;

  /** {@code users} counts the content items that reference an asset (the content feature answers it). */
  public AssetRoutes(AssetStore store, AssetImages images, DepartmentStore departments,
                     Function<String, Future<Long>> users, MediaLinks links, AuditLog audit, Clock clock) {
    this.store = store;
    this.images = images;
    this.departments = departments;
    this.users = users;
    this.links = links;
    this.audit = audit;
    this.clock = clock;
  }

  public Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/").handler(this::list);
    router.get("/:id").handler(this::get);
    router.delete("/:id").handler(this::delete);
    router.post("/:id/signed-url").handler(this::signedUrl);
    return router;
  }

  /**
   * First handler of the upload route: pauses the body until the upload reads it (the bearer check before that
   * is asynchronous, and unread body bytes would be lost), and once an answer is out lets whatever the answer left
   * unread pass, so that the client can read the answer and the connection can serve its next request.
   */
  public static void holdBody(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!request.isEnded()) {
      request.pause();
      ctx.addEndHandler(answered -> skipRest(request));
    }
    ctx.next();
  }

  /** {@code POST /api/v1/assets}: multipart, the file in {@code file}; optional {@code title}, {@code departmentId}. */
  public void upload(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN, Role.EDITOR);
    AssetUpload.checkRequest(ctx.request());
    AssetUpload upload = new AssetUpload(ctx.vertx(), store, ctx.request(), clock);
    upload.receive()
      .compose(received -> describe(received, principal))
      .recover(failure -> upload.discard().transform(discarded -> Future.failedFuture(failure)))
      .compose(asset -> audit.append(principal.actor(), "asset.upload", "asset", asset.id(), null, auditSummary(asset),
        RequestLog.id(ctx)).map(asset))
      .onSuccess(asset -> Reply.created(ctx, asset.toJson()))
      .onFailure(failure -> answer(ctx, failure));
  }

  private void list(RoutingContext ctx) {
    Principal.of(ctx);
    Page page = Page.of(ctx, AssetStore::validCursor);
    String type = ctx.request().getParam("type");
    if (type != null && !AssetType.NAMES.contains(type)) {
      throw Problem.badRequest("invalid-parameter", "查询参数有误", "type 应为 image / video / audio / pdf。");
    }
    store.list(page, AssetType.parse(type).orElse(null))
      .onSuccess(items -> Reply.ok(ctx, page.answer(items, Asset::toJson, Asset::cursor)))
      .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    Principal.of(ctx);
    store.requireLibrary(ctx.pathParam("id"))
      .onSuccess(asset -> Reply.ok(ctx, asset.toJson()))
      .onFailure(ctx::fail);
  }

  /**
   * {@code POST /api/v1/assets/{id}/signed-url {ttlSeconds}}: a {@code /media} URL that works without a token until
   * it expires (at most an hour), for fetchers such as WeChat's image check. Whoever may look at the asset may ask.
   */
  private void signedUrl(RoutingContext ctx) {
    Principal.of(ctx);
    Input input = Input.of(ctx);
    Long seconds = input.optionalLong("ttlSeconds");
    if (seconds != null && (seconds < 1 || seconds > MediaLinks.MAX_TTL.toSeconds())) {
      input.error("ttlSeconds", "应为 1 到 " + MediaLinks.MAX_TTL.toSeconds() + " 之间的秒数");
    }
    input.validate();
    Duration ttl = seconds == null ? MediaLinks.DEFAULT_TTL : Duration.ofSeconds(seconds);
    store.requireLibrary(ctx.pathParam("id"))
      .onSuccess(asset -> Reply.ok(ctx, links.sign(asset, ttl).toJson()))
      .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN);
    store.requireLibrary(ctx.pathParam("id"))
      .compose(asset -> this.users.apply(asset.id()).compose(users -> users == 0 ? Future.succeededFuture(asset)
        : Future.failedFuture(Problem.conflict("asset-in-use", "素材仍被政策文件或解读引用，不能删除",
          "被 " + users + " 项内容引用；请先从这些内容中移除。"))))
      .compose(asset -> store.delete(asset).map(asset))
      .compose(asset -> audit.append(principal.actor(), "asset.delete", "asset", asset.id(), auditSummary(asset), null,
        RequestLog.id(ctx)))
      .onSuccess(entry -> Reply.noContent(ctx))
      .onFailure(ctx::fail);
  }

  /** The form's fields checked, images read, and the asset saved; any failure leaves the chunks to be discarded. */
  private Future<Asset> describe(AssetUpload.Received received, Principal principal) {
    Input input = Input.of(formFields(received.form()));
    String title = input.optionalString("title", 200);
    String departmentId = input.optionalMatching("departmentId", Ids.FORMAT, "部门 id");
    input.validate();
    Instant now = clock.instant();
    Asset asset = new Asset(received.fileId(), received.format(), received.size(), AssetWriter.CHUNK_SIZE,
      received.filename(), title == null ? received.filename() : title, departmentId, received.sha256(), null, null, null,
      principal.actor(), now);
    return departments.requireExisting(departmentId, "departmentId", "所属部门不存在")
      .compose(ok -> inScope(principal, departmentId))
      .compose(ok -> saved(asset, received.head(), now, Asset.KIND));
  }

  /** Saves a checked upload of {@code kind}: images read for their size and thumbnail first. */
  private Future<Asset> saved(Asset asset, byte[] head, Instant now, String kind) {
    return switch (asset.format()) {
      case JPEG, PNG, GIF -> images.inspect(store, asset.file()).compose(image ->
        store.save(withSize(asset, image.width(), image.height()), image.thumbnail(), now, kind));
      case WEBP -> {
        int[] size = AssetFormat.webpDimensions(head);
        yield store.save(size == null ? asset : withSize(asset, size[0], size[1]), null, now, kind);
      }
      default -> store.save(asset, null, now, kind);
    };
  }

  /**
   * A citizen's image ({@code POST /mp/v1/assets}, mounted by the mini-program's feature, which checked the session
   * and puts {@link #holdBody} in front): the staff upload's streamed intake, taking images only (JPEG, PNG, GIF,
   * WebP, at most the image limit), saved outside the office's library. Anything refused leaves nothing stored.
   */
  public Future<Asset> receiveImage(RoutingContext ctx, AuditLog.Actor by) {
    try {
      AssetUpload.checkRequest(ctx.request(), AssetType.IMAGE.limitBytes());
    } catch (Problem refused) {
      return Future.failedFuture(refused);
    }
    AssetUpload upload = new AssetUpload(ctx.vertx(), store, ctx.request(), clock, AssetType.IMAGE);
    return upload.receive()
      .compose(received -> saved(new Asset(received.fileId(), received.format(), received.size(),
        AssetWriter.CHUNK_SIZE, received.filename(), received.filename(), null, received.sha256(), null, null, null, by,
        clock.instant()), received.head(), clock.instant(), Asset.CITIZEN_KIND))
      .recover(failure -> upload.discard().transform(discarded -> Future.failedFuture(failure)));
  }

  /**
   * An asset is filed under a department only by an admin or by a member of that department or one above it, as
   * content is written only in one's own departments (谁起草谁解读).
   */
  private Future<Void> inScope(Principal principal, String departmentId) {
    if (departmentId == null || principal.isAdmin()) {
      return Future.succeededFuture();
    }
    return departments.reach(principal).compose(reach -> reach.contains(departmentId)
      ? Future.succeededFuture()
      : Future.failedFuture(Problem.forbidden("只能把素材归入您所在的部门或其下级部门。").with("reason", "other-department")));
  }

  /** The text fields a form may carry; a field left empty in a browser's form counts as absent. */
  private static JsonObject formFields(MultiMap form) {
    JsonObject fields = new JsonObject();
    for (String name : new String[] {"title", "departmentId"}) {
      String value = form.get(name);
      if (value != null && !value.isBlank()) {
        fields.put(name, value);
      }
    }
    return fields;
  }

  private static Asset withSize(Asset a, int width, int height) {
    return new Asset(a.id(), a.format(), a.size(), a.chunkSize(), a.filename(), a.title(), a.departmentId(), a.sha256(),
      width, height, a.thumbnailId(), a.createdBy(), a.createdAt());
  }

  private static JsonObject auditSummary(Asset asset) {
    return new JsonObject().put("type", asset.type().wire()).put("format", asset.format().wire()).put("size", asset.size())
      .put("filename", asset.filename()).put("title", asset.title()).put("departmentId", asset.departmentId())
      .put("sha256", asset.sha256());
  }

  /** A client that went away gets no answer; the upload was discarded all the same. */
  private static void answer(RoutingContext ctx, Throwable failure) {
    if (!ctx.response().closed() && !ctx.response().ended()) {
      ctx.fail(failure);
    }
  }

  private static void skipRest(HttpServerRequest request) {
    if (request.isEnded()) {
      return;
    }
    long[] skipped = {0};
    request.handler(data -> {
      skipped[0] += data.length();
      if (skipped[0] > SKIP_LIMIT) {
        request.connection().close();
      }
    });
    request.resume();
  }
}
