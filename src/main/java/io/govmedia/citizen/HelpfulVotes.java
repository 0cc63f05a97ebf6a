package io.govmedia.citizen;

import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Redis;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import org.bson.Document;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * "This helped me": one vote per citizen (mini-program account and openid) per article. Redis holds each article's
 * voters as a set ({@code SADD} answers whether the vote is new, so a repeat is never counted twice); each new vote
 * is also inserted in MongoDB under a chosen id before it is answered (a failed insert takes it back out of Redis: 503), so that the votes come back should Redis lose
 * them (the first instance to start then reloads them).
 */
final class HelpfulVotes {

  static final String PREFIX = Redis.PREFIX + "mp:helpful:";
  static final String LOADED = PREFIX + "loaded";

  private final Redis redis;
  private final MongoCollection<Document> votes;
  private final Clock clock;

  HelpfulVotes(Redis redis, MongoDatabase db, Clock clock) {
    this.redis = redis;
    this.votes = db.getCollection("citizen_helpful_votes");
    this.clock = clock;
  }

  /** What a citizen sees of an article's votes. */
  record Tally(long helpful, boolean voted) {
  }

  /** The citizen's vote; a repeat changes nothing. Answers the tally after it. */
  Future<Tally> vote(String articleId, CitizenSession who) {
    String voter = voter(who);
    return Redis.await(redis.commands().sadd(PREFIX + articleId, voter)).compose(added -> added == 0
      ? Future.succeededFuture()
      : Mongo.first(votes.insertOne(new Document("_id", articleId + ":" + voter).append("articleId", articleId)
          .append("voter", voter).append("at", java.util.Date.from(clock.instant()))))
        .<Void>mapEmpty()
        .recover(failure -> Mongo.isDuplicateKey(failure) ? Future.succeededFuture()
          : Redis.await(redis.commands().srem(PREFIX + articleId, voter))
            .compose(v -> Future.<Void>failedFuture(failure))))
      .compose(v -> tally(articleId, who));
  }

  /** The article's count and whether this citizen voted (two commands, pipelined). */
  Future<Tally> tally(String articleId, CitizenSession who) {
    var commands = redis.commands();
    Future<Long> count = Redis.await(commands.scard(PREFIX + articleId));
    Future<Boolean> mine = Redis.await(commands.sismember(PREFIX + articleId, voter(who)));
    return Future.all(count, mine).map(both -> new Tally(count.result(), mine.result()));
  }

  /** At start: when Redis does not hold the votes (first start, or its data lost), MongoDB's are loaded. */
  Future<Void> load() {
    return Redis.await(redis.commands().set(LOADED, "1", SetArgs.Builder.nx())).compose(claimed -> {
      if (!"OK".equals(claimed)) {
        return Future.succeededFuture();
      }
      return Mongo.all(votes.find()).compose(docs -> {
        List<Future<?>> adds = new ArrayList<>();
        docs.forEach(d -> adds.add(Redis.await(redis.commands().sadd(PREFIX + d.getString("articleId"),
          d.getString("voter")))));
        return Future.all(adds).<Void>mapEmpty();
      }).recover(failure -> Redis.await(redis.commands().del(LOADED)).compose(v -> Future.failedFuture(failure)));
    });
  }

  static String voter(CitizenSession who) {
    return who.accountId() + ":" + who.openid();
  }
}
