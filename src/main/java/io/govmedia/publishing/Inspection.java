package io.govmedia.publishing;

import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.accounts.Account;
import io.govmedia.auth.Role;
import io.govmedia.events.Event;
import io.govmedia.events.Events;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Redis;
import io.govmedia.platform.Times;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.mongodb.client.model.Filters.eq;

/**
 * The inspection guard (国办秘函〔2019〕19号): an account with nothing published for 10 Asia/Shanghai calendar days is
 * a warning for its editors, for 14 an alarm for admins. An account that never published counts from its creation.
 */
final class Inspection {

  static final int WARNING_DAYS = 10;
  static final int ALARM_DAYS = 14;

  record Row(Account account, Instant lastPublishedAt, long days, String state) {

    JsonObject toJson() {
      return new JsonObject().put("accountId", account.id()).put("name", account.name())
        .put("type", account.type().wire()).put("departmentId", account.departmentId())
        .put("lastPublishedAt", Times.show(lastPublishedAt)).put("daysSinceLastPost", days).put("state", state);
    }
  }

  private final MongoCollection<Document> publications;
  private final Redis redis;
  private final Events events;
  private final Clock clock;

  Inspection(MongoDatabase db, Redis redis, Events events, Clock clock) {
    this.publications = db.getCollection("account_publications");
    this.redis = redis;
    this.events = events;
    this.clock = clock;
  }

  /** Keeps the account's latest publication ({@code $max}: a late-recorded older one never moves it back). */
  Future<Void> published(String accountId, Instant at) {
    return Mongo.first(publications.updateOne(eq("_id", accountId), Updates.max("lastPublishedAt", Times.date(at)),
        new UpdateOptions().upsert(true))).<Void>mapEmpty()
      .recover(failure -> Mongo.isDuplicateKey(failure) ? published(accountId, at) : Future.failedFuture(failure));
  }

  /** The rows of these accounts (closed ones left out: nothing is expected of them). */
  Future<List<Row>> rows(List<Account> accounts) {
    return Mongo.all(publications.find()).map(docs -> {
      Map<String, Instant> last = new HashMap<>();
      docs.forEach(d -> last.put(d.getString("_id"), Times.instant(d.getDate("lastPublishedAt"))));
      LocalDate today = LocalDate.ofInstant(clock.instant(), Times.ZONE);
      return accounts.stream().filter(a -> a.status() != Account.Status.CLOSED).map(a -> {
        Instant since = last.getOrDefault(a.id(), null);
        Instant from = since != null ? since : a.createdAt();
        long days = ChronoUnit.DAYS.between(LocalDate.ofInstant(from, Times.ZONE), today);
        return new Row(a, since, days, days >= ALARM_DAYS ? "alarm" : days >= WARNING_DAYS ? "warning" : "ok");
      }).toList();
    });
  }

  /** Tells the account's editors of a warning and admins of an alarm, once per account, state and day. */
  Future<?> announce(List<Account> accounts) {
    String today = LocalDate.ofInstant(clock.instant(), Times.ZONE).toString();
    return rows(accounts).compose(rows -> Future.join(rows.stream().filter(r -> !"ok".equals(r.state()))
      .map(r -> Redis.await(redis.commands().set(Redis.PREFIX + "publishing:inspection:" + r.account().id() + ":"
          + r.state() + ":" + today, "1", SetArgs.Builder.nx().ex(2 * 86_400L)))
        .compose(set -> "OK".equals(set) ? events.publish(new Event("account.inspection", r.toJson(), audience(r)))
          : Future.succeededFuture()))
      .toList()));
  }

  private static Event.Audience audience(Row row) {
    return "alarm".equals(row.state()) ? Event.Audience.admins()
      : new Event.Audience(Set.of(Role.EDITOR), Set.of(), Set.of(row.account().id()), Set.of());
  }
}
