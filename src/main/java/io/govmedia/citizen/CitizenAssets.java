package io.govmedia.citizen;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.inbox.MiniappCases;
import io.govmedia.media.AssetIds;
import io.govmedia.media.MediaFeature;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.set;

/**
 * The images citizens send with their messages ({@code POST /mp/v1/assets}): streamed into the media store (images
 * only), owned by the citizen who uploaded them ({@code citizen_assets}, {@code _id} = the asset id), and each sent
 * to WeChat's asynchronous image check with a signed URL WeChat can fetch for an hour. The verdict comes back by
 * trace id ({@code citizen_asset_traces}, {@code _id} = WeChat's trace id); a flagged image (risky, or review) is
 * withheld from staff on the case that holds it — now, or when the message is filed, whichever comes later.
 */
final class CitizenAssets {

  private static final Logger log = LoggerFactory.getLogger(CitizenAssets.class);
  /** How long WeChat may take to fetch the image it checks. */
  static final Duration CHECK_LINK_TTL = Duration.ofHours(1);
  /** How long the citizen's own image links work (the page asks again for new ones). */
  static final Duration VIEW_LINK_TTL = Duration.ofMinutes(30);
  /** A verdict may overtake the filing of the message that holds the image: it is tried again this often. */
  private static final int WITHHOLD_TRIES = 10;
  private static final String UNCHECKED = "unchecked";

  private final Vertx vertx;
  private final MediaFeature media;
  private final Screening screening;
  private final MiniappCases cases;
  private final MongoCollection<Document> owned;
  private final MongoCollection<Document> traces;
  private final String publicBaseUrl;
  private final Clock clock;

  CitizenAssets(Vertx vertx, MongoDatabase db, MediaFeature media, Screening screening, MiniappCases cases,
                String publicBaseUrl, Clock clock) {
    this.vertx = vertx;
    this.media = media;
    this.screening = screening;
    this.cases = cases;
    this.owned = db.getCollection("citizen_assets");
    this.traces = db.getCollection("citizen_asset_traces");
    this.publicBaseUrl = publicBaseUrl;
    this.clock = clock;
    screening.onImageVerdict(this::verdict);
  }

  // Upload

  /** {@code POST /mp/v1/assets}: multipart, the image in {@code file} → 201 {@code {"id"}}. */
  void upload(RoutingContext ctx) {
    CitizenSession who = CitizenAuth.of(ctx);
    media.receiveImage(ctx, new AuditLog.Actor("citizen", "小程序用户"))
      .compose(asset -> Mongo.first(owned.insertOne(new Document("_id", asset.id()).append("accountId", who.accountId())
          .append("openid", who.openid()).append("createdAt", Times.date(clock.instant())).append("verdict", null)))
        .compose(v -> check(who, asset.id())).map(asset.id()))
      .onSuccess(id -> Reply.created(ctx, new JsonObject().put("id", id)))
      .onFailure(failure -> {
        if (!ctx.response().closed() && !ctx.response().ended()) {
          ctx.fail(failure);
        }
      });
  }

  /**
   * Starts WeChat's check of the image. Should WeChat not take it, the image is kept and marked unchecked (staff see
   * it; nothing of it is ever public): the citizen's message matters more than the check.
   */
  private Future<Void> check(CitizenSession who, String assetId) {
    String url = publicBaseUrl + media.signedPath(assetId, CHECK_LINK_TTL);
    return screening.image(who, Screening.Scene.FORUM, url)
      .compose(traceId -> Mongo.first(traces.insertOne(new Document("_id", traceId).append("assetId", assetId)
          .append("at", Times.date(clock.instant()))))
        .compose(v -> Mongo.first(owned.updateOne(eq("_id", assetId), set("traceId", traceId)))).<Void>mapEmpty())
      .recover(failure -> {
        log.warn("image check of asset {} not started; kept unchecked", assetId, failure);
        return Mongo.first(owned.updateOne(eq("_id", assetId), set("verdict", UNCHECKED))).mapEmpty();
      });
  }

  // Use in a message

  /**
   * The assets as a message of the citizen's case {@code caseId} carries them: each must be an image this citizen
   * uploaded (else 400 {@code unknown-asset}, the same for another citizen's and for none) and not already on
   * another case (400 {@code asset-used}); an image already flagged comes withheld. Records the case on each, so that a verdict arriving later finds it.
   */
  Future<List<String>> attach(CitizenSession who, List<String> assetIds, String caseId) {
    if (assetIds.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return Mongo.all(owned.find(in("_id", assetIds))).compose(found -> {
      List<String> missing = new ArrayList<>(assetIds);
      found.stream().filter(d -> who.accountId().equals(d.getString("accountId"))
        && who.openid().equals(d.getString("openid"))).forEach(d -> missing.remove(d.getString("_id")));
      if (!missing.isEmpty()) {
        return Future.failedFuture(Problem.badRequest("unknown-asset", "图片不存在或已失效，请重新上传",
          "assetIds 中的图片应为本人通过 POST /mp/v1/assets 上传的图片。").with("assetIds", new JsonArray(missing)));
      }
      // An image belongs to one case: a verdict arriving later withholds it there (it would miss an earlier case).
      List<String> elsewhere = found.stream().filter(d -> d.getString("caseId") != null
        && !d.getString("caseId").equals(caseId)).map(d -> d.getString("_id")).toList();
      if (!elsewhere.isEmpty()) {
        return Future.failedFuture(Problem.badRequest("asset-used", "图片已用于另一条留言，请重新上传",
          "每张图片只能用于一条留言（及其补充）。").with("assetIds", new JsonArray(elsewhere)));
      }
      return Mongo.first(owned.updateMany(in("_id", assetIds), set("caseId", caseId))).map(v -> assetIds.stream()
        .map(id -> found.stream().anyMatch(d -> d.getString("_id").equals(id) && flagged(d.getString("verdict")))
          ? io.govmedia.inbox.Case.WITHHELD + id : id)
        .toList());
    });
  }

  /** The citizen's own link to one of their images, valid for half an hour; null for what is not an asset. */
  String viewUrl(String assetId) {
    return AssetIds.FORMAT.matcher(assetId).matches() ? media.signedPath(assetId, VIEW_LINK_TTL) : null;
  }

  // Verdicts

  private void verdict(Screening.ImageVerdict verdict) {
    Mongo.first(traces.find(eq("_id", verdict.traceId())))
      .compose(trace -> trace == null ? Future.succeededFuture((Document) null)
        : Mongo.first(owned.findOneAndUpdate(eq("_id", trace.getString("assetId")),
          combine(set("verdict", verdict.verdict().wire()), set("label", verdict.label()),
            set("checkedAt", Times.date(clock.instant()))),
          new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER))))
      .compose(asset -> asset == null || !flagged(verdict.verdict().wire()) || asset.getString("caseId") == null
        ? Future.succeededFuture()
        : withhold(asset.getString("caseId"), asset.getString("_id"), verdict.label(), WITHHOLD_TRIES))
      .onFailure(failure -> log.warn("image verdict {} for trace {} not applied", verdict.verdict(), verdict.traceId(),
        failure));
  }

  /** The case may still be being filed (it took the image's record first): tries again for a few seconds. */
  private Future<Void> withhold(String caseId, String assetId, String label, int tries) {
    return cases.withhold(caseId, assetId, label).compose(done -> {
      if (done || tries <= 1) {
        return Future.<Void>succeededFuture();
      }
      Promise<Void> later = Promise.promise();
      vertx.setTimer(1_000, t -> later.complete());
      return later.future().compose(v -> withhold(caseId, assetId, label, tries - 1));
    });
  }

  private static boolean flagged(String verdict) {
    return Screening.Verdict.RISKY.wire().equals(verdict) || Screening.Verdict.REVIEW.wire().equals(verdict);
  }
}
