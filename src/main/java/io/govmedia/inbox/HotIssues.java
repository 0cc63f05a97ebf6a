package io.govmedia.inbox;

import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.govmedia.events.Event;
import io.govmedia.events.Events;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

/**
 * Hot issues (热点): clusters of cases staff linked as one issue, on the 舆情 clock of DOMAIN.md §2 from when the cluster
 * was formed: answered within 48 h; flagged a major emergency, authoritative information within 5 h and a press
 * conference within 24 h. When a cluster reaches {@code inbox.hotIssueSize} cases, supervisors and dispatchers are
 * told once ({@code hot-issue.reached}).
 *
 * <p>{@code case_clusters} holds the clusters ({@code caseIds}); {@code case_cluster_of} one document per linked case
 * ({@code _id} = the case's), whose insert is the guard that puts a case in one cluster only. Clusters are few (hot
 * issues, not cases): the list reads them all, and at most {@link #LISTED} are shown.
 */
final class HotIssues {

  static final Duration ANSWER = Duration.ofHours(48);
  static final Duration INFORM = Duration.ofHours(5);
  static final Duration PRESS_CONFERENCE = Duration.ofHours(24);
  static final int LISTED = 100;
  private static final int ATTEMPTS = 5;

  private final MongoCollection<Document> clusters;
  private final MongoCollection<Document> memberships;
  private final CaseStore store;
  private final CaseChanges changes;
  private final Events events;
  private final int announceAt;
  private final Clock clock;

  HotIssues(MongoDatabase db, CaseStore store, CaseChanges changes, Events events, int announceAt, Clock clock) {
    this.clusters = db.getCollection("case_clusters");
    this.memberships = db.getCollection("case_cluster_of");
    this.store = store;
    this.changes = changes;
    this.events = events;
    this.announceAt = announceAt;
    this.clock = clock;
  }

  /** The cluster of a case, or null. */
  Future<String> clusterOf(String caseId) {
    return Mongo.first(memberships.find(eq("_id", caseId))).map(d -> d == null ? null : d.getString("clusterId"));
  }

  // Linking

  /** Puts both cases in one cluster (a new one, the one either is in, or the two clusters merged); answers its id. */
  Future<String> link(Case a, Case b, Principal by) {
    if (a.id().equals(b.id())) {
      return Future.failedFuture(Problem.badRequest("same-case", "不能关联工单本身", "caseId 应为另一件工单。"));
    }
    return join(a.id(), b.id(), ATTEMPTS)
      .compose(cluster -> Future.all(history(a, b, by, cluster), history(b, a, by, cluster)).map(cluster))
      .compose(cluster -> announce(cluster).map(cluster));
  }

  private Future<String> join(String a, String b, int attempts) {
    return Future.all(clusterOf(a), clusterOf(b)).compose(both -> {
      String ca = both.resultAt(0);
      String cb = both.resultAt(1);
      Future<String> joined;
      if (ca == null && cb == null) {
        joined = create(a, b);
      } else if (ca == null || cb == null) {
        String cluster = ca != null ? ca : cb;
        joined = add(cluster, ca == null ? a : b);
      } else if (ca.equals(cb)) {
        joined = Future.succeededFuture(ca);
      } else {
        joined = merge(ca, cb);
      }
      // another link took one of the cases meanwhile: decide again on what it did
      return joined.recover(failure -> Mongo.isDuplicateKey(failure) && attempts > 1 ? join(a, b, attempts - 1)
        : Future.failedFuture(failure));
    });
  }

  private Future<String> create(String a, String b) {
    String cluster = Ids.newId();
    Instant now = clock.instant();
    return belong(a, cluster)
      .compose(v -> belong(b, cluster).recover(failure -> Mongo.first(memberships.deleteOne(eq("_id", a)))
        .transform(x -> Future.failedFuture(failure))))
      .compose(v -> Mongo.first(clusters.insertOne(new Document("_id", cluster).append("caseIds", List.of(a, b))
        .append("createdAt", Times.date(now)).append("updatedAt", Times.date(now)).append("major", false))))
      .map(cluster);
  }

  private Future<String> add(String cluster, String caseId) {
    return belong(caseId, cluster).compose(v -> Mongo.first(clusters.updateOne(eq("_id", cluster),
      Updates.combine(Updates.addToSet("caseIds", caseId), Updates.set("updatedAt", Times.date(clock.instant()))))))
      .map(cluster);
  }

  /** The smaller cluster's cases move into the larger; the smaller is removed. */
  private Future<String> merge(String one, String other) {
    return Future.all(cluster(one), cluster(other)).compose(both -> {
      Document x = both.resultAt(0);
      Document y = both.resultAt(1);
      if (x == null || y == null) {
        return Future.succeededFuture(x == null ? other : one);
      }
      Document into = caseIds(x).size() >= caseIds(y).size() ? x : y;
      Document from = into == x ? y : x;
      List<String> moving = caseIds(from);
      List<Future<?>> moves = new ArrayList<>();
      moving.forEach(id -> moves.add(Mongo.first(memberships.replaceOne(eq("_id", id),
        new Document("_id", id).append("clusterId", into.getString("_id"))))));
      return Future.all(moves)
        .compose(v -> Mongo.first(clusters.updateOne(eq("_id", into.getString("_id")), Updates.combine(
          Updates.addEachToSet("caseIds", moving), Updates.set("updatedAt", Times.date(clock.instant()))))))
        .compose(v -> Mongo.first(clusters.deleteOne(eq("_id", from.getString("_id")))))
        .map(into.getString("_id"));
    });
  }

  private Future<Void> belong(String caseId, String cluster) {
    return Mongo.first(memberships.insertOne(new Document("_id", caseId).append("clusterId", cluster))).mapEmpty();
  }

  private Future<Document> cluster(String id) {
    return Mongo.first(clusters.find(eq("_id", id)));
  }

  private static List<String> caseIds(Document cluster) {
    return cluster.getList("caseIds", String.class, List.of());
  }

  private Future<Void> history(Case c, Case other, Principal by, String cluster) {
    return store.update(c.id(), current -> current.history().stream()
        .anyMatch(s -> "linked".equals(s.action()) && other.id().equals(s.note())) ? null
        : current.change(new Case.Step(by.staffId(), by.username(), clock.instant(), "linked", current.status(),
          current.status(), current.departmentId(), "与工单 " + other.number() + " 关联为同一热点问题", other.id()), e -> {
        }), by.staffId())
      .compose(moved -> moved == null || !moved.changed() ? Future.succeededFuture()
        : changes.followed(moved.before(), moved.after(), null).mapEmpty());
  }

  /** Once per cluster, when it reaches the size: {@code announcedAt} is set by a write that finds it unset. */
  private Future<Void> announce(String clusterId) {
    return cluster(clusterId).compose(c -> {
      if (c == null || caseIds(c).size() < announceAt || c.get("announcedAt") != null) {
        return Future.succeededFuture();
      }
      return Mongo.first(clusters.updateOne(and(eq("_id", clusterId), eq("announcedAt", null)),
          Updates.set("announcedAt", Times.date(clock.instant()))))
        .compose(result -> result.getModifiedCount() == 0 ? Future.succeededFuture()
          : events.publish(new Event("hot-issue.reached", new JsonObject().put("hotIssueId", clusterId)
            .put("size", caseIds(c).size()).put("threshold", announceAt),
            new Event.Audience(Set.of(Role.SUPERVISOR, Role.DISPATCHER), Set.of(), Set.of(), Set.of()))));
    });
  }

  // Listing

  /** The hot issues with at least one case in scope, largest first, each with its cases in scope and its clock. */
  Future<JsonArray> list(CaseScope scope) {
    return Mongo.all(clusters.find()).compose(all -> {
      List<Document> sorted = all.stream().sorted(Comparator.comparingInt((Document d) -> caseIds(d).size()).reversed()
        .thenComparing(d -> d.getDate("updatedAt"), Comparator.reverseOrder())).toList();
      Set<String> ids = sorted.stream().flatMap(d -> caseIds(d).stream()).collect(Collectors.toCollection(LinkedHashSet::new));
      return store.written(ids).map(cases -> {
        Map<String, Case> byId = cases.stream().collect(Collectors.toMap(Case::id, Function.identity()));
        JsonArray items = new JsonArray();
        for (Document d : sorted) {
          List<Case> visible = caseIds(d).stream().map(byId::get).filter(c -> c != null && scope.sees(c)).toList();
          if (!visible.isEmpty() && items.size() < LISTED) {
            items.add(json(d, visible));
          }
        }
        return items;
      });
    });
  }

  Future<JsonObject> one(CaseScope scope, String id) {
    return cluster(id).compose(d -> d == null ? Future.failedFuture(Problem.notFound("热点问题"))
      : store.written(caseIds(d)).compose(cases -> {
        List<Case> visible = cases.stream().filter(scope::sees).toList();
        return visible.isEmpty() ? Future.failedFuture(Problem.notFound("热点问题"))
          : Future.succeededFuture(json(d, visible));
      }));
  }

  /** Flags (or unflags) a hot issue as a major emergency (重大突发事件): its clock becomes 5 h / 24 h. */
  Future<Void> major(String id, boolean major) {
    return Mongo.first(clusters.updateOne(eq("_id", id), Updates.combine(Updates.set("major", major),
        Updates.set("updatedAt", Times.date(clock.instant())))))
      .compose(r -> r.getMatchedCount() == 0 ? Future.failedFuture(Problem.notFound("热点问题")) : Future.succeededFuture());
  }

  private JsonObject json(Document d, List<Case> visible) {
    Instant since = Times.instant(d.getDate("createdAt"));
    boolean major = d.getBoolean("major", false);
    boolean answered = visible.stream().noneMatch(c -> c.status().open());
    Instant now = clock.instant();
    JsonObject clock = major
      ? new JsonObject().put("informBy", Times.show(since.plus(INFORM)))
        .put("pressConferenceBy", Times.show(since.plus(PRESS_CONFERENCE)))
      : new JsonObject().put("answerBy", Times.show(since.plus(ANSWER)));
    Instant first = major ? since.plus(INFORM) : since.plus(ANSWER);
    clock.put("late", !answered && now.isAfter(first));
    JsonArray cases = new JsonArray();
    visible.forEach(c -> cases.add(new JsonObject().put("id", c.id()).put("number", c.number()).put("title", c.title())
      .put("status", c.status().wire()).put("departmentId", c.departmentId())
      .put("receivedAt", Times.show(c.receivedAt()))));
    return new JsonObject().put("id", d.getString("_id")).put("size", caseIds(d).size())
      .put("title", visible.get(0).title()).put("major", major).put("since", Times.show(since))
      .put("announced", d.get("announcedAt") != null).put("answered", answered).put("clock", clock)
      .put("cases", cases);
  }
}
