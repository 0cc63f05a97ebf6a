package io.govmedia.wechat;

import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Page;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.not;
import static com.mongodb.client.model.Sorts.ascending;
import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.max;
import static com.mongodb.client.model.Updates.min;
import static com.mongodb.client.model.Updates.set;

/**
 * One record per follower of an official account, kept by the subscribe and unsubscribe events. Its id is
 * {@code accountId:openid}, so each event is one atomic upsert of one document (no transactions). Times are
 * kept by {@code $min}/{@code $max}, so events arriving out of order (a retry after a later event) still leave
 * the right first and latest times; the subscribed flag follows only an event newer than the one that last set it.
 */
final class FollowerStore {

  private static final String QR_SCENE_PREFIX = "qrscene_";

  /** A follower; {@code scene} is the QR code's scene from the subscribe event, else what user/info reported. */
  record Follower(String accountId, String openid, boolean subscribed, Instant firstSubscribedAt, Instant lastSubscribedAt,
                  Instant unsubscribedAt, String scene, FollowerProfiles.Profile profile, Instant profileFetchedAt) {

    static Follower from(Document d) {
      Document profile = d.get("profile", Document.class);
      return new Follower(d.getString("accountId"), d.getString("openid"), d.getBoolean("subscribed", false),
        Times.instant(d.getDate("firstSubscribedAt")), Times.instant(d.getDate("lastSubscribedAt")),
        Times.instant(d.getDate("unsubscribedAt")), d.getString("scene"),
        profile == null ? null : FollowerProfiles.Profile.from(profile), Times.instant(d.getDate("profileFetchedAt")));
    }

    JsonObject toJson() {
      String shownScene = scene != null ? scene : profile == null ? null : profile.subscribeScene();
      return new JsonObject().put("openid", openid).put("subscribed", subscribed)
        .put("firstSubscribedAt", Times.show(firstSubscribedAt)).put("lastSubscribedAt", Times.show(lastSubscribedAt))
        .put("unsubscribedAt", Times.show(unsubscribedAt)).put("scene", shownScene)
        .put("profile", profile == null ? null : profile.toJson()).put("profileFetchedAt", Times.show(profileFetchedAt));
    }
  }

  private final MongoCollection<Document> followers;
  private final FollowerProfiles profiles;

  public FollowerStore(MongoDatabase db, FollowerProfiles profiles) {
    this.followers = db.getCollection("wechat_followers");
    this.profiles = profiles;
  }

  /** For counting current followers on a real MongoDB (the embedded one scans). */
  public Future<Void> createIndexes() {
    return Mongo.speedUp("followers", followers.createIndex(Indexes.ascending("accountId", "subscribed")));
  }

  /**
   * A subscribe event at {@code at}; {@code scene} is its EventKey ({@code qrscene_…} for a QR code), or null.
   * The follower's profile is then fetched in the background.
   */
  public Future<Void> subscribed(String accountId, String openid, Instant at, String scene) {
    Date when = Times.date(at);
    Bson times = combine(min("firstSubscribedAt", when), max("lastSubscribedAt", when));
    return record(accountId, openid, at, combine(times, set("subscribed", true), set("scene", sceneOf(scene))), times)
      .onSuccess(done -> profiles.fetchLater(accountId, openid, this::saveProfile));
  }

  public Future<Void> unsubscribed(String accountId, String openid, Instant at) {
    Bson times = max("unsubscribedAt", Times.date(at));
    return record(accountId, openid, at, combine(times, set("subscribed", false)), times);
  }

  /** The account's followers in openid order, {@code subscribed} narrowing when not null. */
  Future<List<Follower>> list(String accountId, Page page, Boolean subscribed) {
    List<Bson> filters = new ArrayList<>();
    filters.add(page.cursor() == null ? gte("_id", id(accountId, "")) : gt("_id", id(accountId, page.cursor())));
    filters.add(lt("_id", accountId + ";"));  // ';' follows ':': the end of this account's ids
    if (subscribed != null) {
      filters.add(eq("subscribed", subscribed));
    }
    return Mongo.all(followers.find(and(filters)).sort(ascending("_id")).limit(page.limit() + 1))
      .map(docs -> docs.stream().map(Follower::from).toList());
  }

  /** How many currently follow the account. */
  Future<Long> countCurrent(String accountId) {
    return Mongo.first(followers.countDocuments(and(eq("accountId", accountId), eq("subscribed", true))));
  }

  /**
   * The follower's unionid, when WeChat gave one with their profile (the account is bound to an open-platform
   * account): how the same citizen is known in the office's mini-program. Null when unknown.
   */
  Future<String> unionid(String accountId, String openid) {
    return find(accountId, openid).map(f -> f == null || f.profile() == null ? null : f.profile().unionid());
  }

  Future<Follower> find(String accountId, String openid) {
    return Mongo.first(followers.find(eq("_id", id(accountId, openid)))).map(d -> d == null ? null : Follower.from(d));
  }

  Future<Void> saveProfile(String accountId, String openid, FollowerProfiles.Profile profile, Instant fetchedAt) {
    return Mongo.first(followers.updateOne(eq("_id", id(accountId, openid)),
      combine(set("profile", profile.toDocument()), set("profileFetchedAt", Times.date(fetchedAt))))).mapEmpty();
  }

  /**
   * Applies {@code update} if no newer event set the state; an older event (the upsert then collides with the
   * existing id) only contributes its {@code times}.
   */
  private Future<Void> record(String accountId, String openid, Instant at, Bson update, Bson times) {
    String id = id(accountId, openid);
    Date when = Times.date(at);
    Bson notOlder = and(eq("_id", id), not(gt("stateAt", when)));
    Bson full = combine(update, set("accountId", accountId), set("openid", openid), set("stateAt", when));
    return Mongo.first(followers.updateOne(notOlder, full, new UpdateOptions().upsert(true))).<Void>mapEmpty()
      .recover(failure -> Mongo.isDuplicateKey(failure)
        ? Mongo.first(followers.updateOne(eq("_id", id), times)).mapEmpty()
        : Future.failedFuture(failure));
  }

  private static String id(String accountId, String openid) {
    return accountId + ":" + openid;
  }

  private static String sceneOf(String eventKey) {
    if (eventKey == null || eventKey.isBlank()) {
      return null;
    }
    return eventKey.startsWith(QR_SCENE_PREFIX) ? eventKey.substring(QR_SCENE_PREFIX.length()) : eventKey;
  }
}
