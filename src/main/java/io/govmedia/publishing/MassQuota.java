package io.govmedia.publishing;

import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.accounts.Account;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import org.bson.Document;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static com.mongodb.client.model.Filters.eq;

/**
 * WeChat's mass-send quota as we can estimate it: a subscription account (订阅号) sends 1 a day, a service account
 * (服务号) 4 a month, in Asia/Shanghai days and months. One document per account and period lists the slots that
 * hold a place, in the order they took it; the first {@code limit} win. A slot takes its place with
 * {@code $addToSet}, reads the list back and gives the place up again if it came too late, so two editors racing for
 * the last place cannot both have it. WeChat's own refusal (sends made in its console count too) stays the truth.
 */
final class MassQuota {

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(Times.ZONE);
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(Times.ZONE);

  private final MongoCollection<Document> quota;

  MassQuota(MongoDatabase db) {
    this.quota = db.getCollection("mass_quota");
  }

  static boolean service(Account account) {
    return "service".equals(account.kind());
  }

  static int limit(Account account) {
    return service(account) ? 4 : 1;
  }

  /** The quota period a send at {@code at} counts in: its day, or its month for a service account. */
  static String period(Account account, Instant at) {
    return (service(account) ? MONTH : DAY).format(at);
  }

  /** Takes a place for the slot in the period, or fails with 409 {@code mass-quota-exceeded}. */
  Future<Void> take(Account account, String period, String slotId) {
    String id = account.id() + ":" + period;
    return addToSet(id, slotId, true)
      .compose(v -> holders(id))
      .compose(holders -> {
        int place = holders.indexOf(slotId);
        if (place >= 0 && place < limit(account)) {
          return Future.succeededFuture();
        }
        return release(account.id(), period, slotId).compose(x -> Future.failedFuture(exceeded(account, period,
          Math.max(0, limit(account) - holders.size() + 1))));
      });
  }

  Future<Void> release(String accountId, String period, String slotId) {
    if (period == null) {
      return Future.succeededFuture();
    }
    return Mongo.first(quota.updateOne(eq("_id", accountId + ":" + period), Updates.pull("slots", slotId))).mapEmpty();
  }

  /** Places left in the period (never below zero). */
  Future<Integer> left(Account account, String period) {
    return holders(account.id() + ":" + period).map(holders -> Math.max(0, limit(account) - holders.size()));
  }

  private Future<Void> addToSet(String id, String slotId, boolean retry) {
    // Two first upserts of one period can collide on the embedded store: the second, tried again, adds to the first.
    return Mongo.first(quota.updateOne(eq("_id", id), Updates.addToSet("slots", slotId), new UpdateOptions().upsert(true)))
      .<Void>mapEmpty()
      .recover(failure -> retry && Mongo.isDuplicateKey(failure) ? addToSet(id, slotId, false) : Future.failedFuture(failure));
  }

  private Future<List<String>> holders(String id) {
    return Mongo.first(quota.find(eq("_id", id)))
      .map(d -> d == null ? List.<String>of() : d.getList("slots", String.class, List.of()));
  }

  static Problem exceeded(Account account, String period, int left) {
    return Problem.conflict("mass-quota-exceeded", "群发次数已用完",
        (service(account) ? "服务号每月可群发 4 次" : "订阅号每天可群发 1 次") + "，" + period + " 已无剩余次数。")
      .with("massLeft", left).with("period", period);
  }
}
