package io.govmedia.publishing;

import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static com.mongodb.client.model.Filters.eq;

/**
 * The emergency stop (national mourning, a disaster): while held, no scheduled slot of any account is taken. One
 * document, read at most once a {@link #CACHE} per instance: the scheduler asks four times a second.
 */
final class Hold {

  static final Duration CACHE = Duration.ofSeconds(1);

  record State(boolean held, String reason, String by, Instant since) {

    static final State RELEASED = new State(false, null, null, null);

    JsonObject toJson() {
      return new JsonObject().put("held", held).put("reason", reason).put("by", by).put("since", Times.show(since));
    }
  }

  private final MongoCollection<Document> states;
  private final Clock clock;
  private volatile State cached = State.RELEASED;
  private volatile Instant readAt = Instant.MIN;

  Hold(MongoDatabase db, Clock clock) {
    this.states = db.getCollection("publishing_state");
    this.clock = clock;
  }

  /** The last state read, without waiting (slot JSON shows {@code held} from it). */
  boolean heldNow() {
    return cached.held();
  }

  Future<State> current() {
    Instant now = clock.instant();
    if (readAt.plus(CACHE).isAfter(now)) {
      return Future.succeededFuture(cached);
    }
    return fresh();
  }

  Future<State> fresh() {
    Instant now = clock.instant();
    return Mongo.first(states.find(eq("_id", "hold"))).map(d -> {
      State state = d == null || !d.getBoolean("held", false) ? State.RELEASED
        : new State(true, d.getString("reason"), d.getString("by"), Times.instant(d.getDate("since")));
      cached = state;
      readAt = now;
      return state;
    });
  }

  Future<State> set(State state) {
    Document doc = new Document("_id", "hold").append("held", state.held()).append("reason", state.reason())
      .append("by", state.by()).append("since", Times.date(state.since()));
    return Mongo.first(states.replaceOne(eq("_id", "hold"), doc, new ReplaceOptions().upsert(true))).map(r -> {
      cached = state;
      readAt = clock.instant();
      return state;
    });
  }
}
