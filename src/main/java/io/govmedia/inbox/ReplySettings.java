package io.govmedia.inbox;

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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static com.mongodb.client.model.Filters.eq;

/**
 * A department's inbox settings ({@code inbox_reply_settings}, {@code _id} = the department; the name stays from when
 * it held the reply review alone): whether its replies wait for review by a head or a supervisor before they go out,
 * and how its cases find a replier ({@code auto}: the on-duty replier with the fewest open cases; {@code claim}: the
 * case waits in the department until someone claims it, 签收). No document: no review, automatic assignment.
 */
final class ReplySettings {

  static final String AUTO = "auto";
  static final String CLAIM = "claim";
  static final Set<String> ASSIGNMENT_MODES = Set.of(AUTO, CLAIM);

  record Settings(String departmentId, boolean review, String assignment, String updatedBy, Instant updatedAt) {
    /** Whether the department's cases wait to be claimed rather than being given to someone. */
    boolean claims() {
      return CLAIM.equals(assignment);
    }

    JsonObject toJson() {
      return new JsonObject().put("departmentId", departmentId).put("review", review).put("assignment", assignment)
        .put("updatedBy", updatedBy).put("updatedAt", Times.show(updatedAt));
    }
  }

  /** How long an instance trusts its copy of a department's assignment mode (another instance may have changed it). */
  private static final Duration MODE_COPY = Duration.ofSeconds(5);

  private record Copy(boolean claims, long until) {
  }

  private final MongoCollection<Document> settings;
  private final Clock clock;
  /** Intake asks for every new case whether its department claims: a read of the store each time, unless copied. */
  private final Map<String, Copy> modes = new ConcurrentHashMap<>();

  ReplySettings(MongoDatabase db, Clock clock) {
    this.settings = db.getCollection("inbox_reply_settings");
    this.clock = clock;
  }

  Future<Settings> of(String departmentId) {
    if (departmentId == null) {
      return Future.succeededFuture(new Settings(null, false, AUTO, null, null));
    }
    return Mongo.first(settings.find(eq("_id", departmentId))).map(d -> d == null
      ? new Settings(departmentId, false, AUTO, null, null)
      : new Settings(departmentId, d.getBoolean("review", false), d.get("assignment", AUTO), d.getString("updatedBy"),
        Times.instant(d.getDate("updatedAt"))));
  }

  /** Whether the department's cases wait to be claimed: what {@link Assignments} asks before it picks anyone. */
  Future<Boolean> claims(String departmentId) {
    long now = clock.millis();
    Copy copy = departmentId == null ? null : modes.get(departmentId);
    if (copy != null && copy.until() > now) {
      return Future.succeededFuture(copy.claims());
    }
    return of(departmentId).map(found -> {
      if (departmentId != null) {
        modes.put(departmentId, new Copy(found.claims(), now + MODE_COPY.toMillis()));
      }
      return found.claims();
    });
  }

  Future<Settings> save(Settings value) {
    Document d = new Document("_id", value.departmentId()).append("review", value.review())
      .append("assignment", value.assignment())
      .append("updatedBy", value.updatedBy()).append("updatedAt", Times.date(value.updatedAt()));
    return Mongo.first(settings.replaceOne(eq("_id", value.departmentId()), d, new ReplaceOptions().upsert(true)))
      .map(saved -> {
        modes.remove(value.departmentId());  // this instance follows at once; others within MODE_COPY
        return value;
      });
  }
}
