package io.govmedia.inbox;

import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Mongo;
import io.govmedia.workdays.Workdays;
import io.vertx.core.Future;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static com.mongodb.client.model.Filters.eq;

/**
 * Counters per department and day, kept as cases move ({@link #follow}), so that the statistics of any period read a
 * few documents ({@code case_stats}: one per department and month, {@code _id} {@code <departmentId>|<yyyy-MM>},
 * days as fields {@code d.day<n>.<counter>}: a field name of digits alone could be read as an array index) instead of scanning the cases: a year of one department is 12 reads by {@code _id}. The row
 * {@code *} counts every case (what admins and the root department see). Counts are gathered in memory and written
 * each second as one atomic {@code $inc} per document ({@link #flush}).
 *
 * <p>What counts where: {@code received} when a case enters a department (routed, dispatched, transferred in; in
 * {@code *} when it is created), {@code transfers} and {@code returns} to the department that let it go,
 * {@code answered} (on time when before its due instant; its working days from receipt to answer summed) and
 * {@code rated} / {@code satisfied} (satisfied or basically) to the department that has it, each on the day it
 * happened (Asia/Shanghai).
 */
final class CaseStats {

  private static final Logger log = LoggerFactory.getLogger(CaseStats.class);
  static final String ALL = "*";
  static final List<String> COUNTERS = List.of("received", "answered", "onTime", "answerDays", "rated", "satisfied",
    "returns", "transfers");

  private final MongoCollection<Document> counters;
  private final Workdays workdays;
  private final Map<String, Map<String, Long>> pending = new ConcurrentHashMap<>();

  CaseStats(MongoDatabase db, Workdays workdays) {
    this.counters = db.getCollection("case_stats");
    this.workdays = workdays;
  }

  // Counting

  /** After every write of a case; never fails (a lost count is logged). */
  Future<Void> follow(Case before, Case after) {
    List<Future<Void>> writes = new ArrayList<>();
    Instant at = after.updatedAt();
    String dept = after.departmentId();
    if (before == null) {
      writes.add(add(ALL, at, Map.of("received", 1)));
    }
    if (dept != null && !dept.equals(before == null ? null : before.departmentId())) {
      writes.add(add(dept, at, Map.of("received", 1)));
    }
    if (before != null) {
      if (after.transfers() > before.transfers()) {
        writes.addAll(both(before.departmentId(), at, Map.of("transfers", 1)));
      }
      if (after.returns() > before.returns()) {
        writes.addAll(both(before.departmentId(), at, Map.of("returns", 1)));
      }
      if (before.status() != CaseStatus.ANSWERED && after.status() == CaseStatus.ANSWERED && after.deadline() != null) {
        LocalDate answered = Deadlines.date(at);
        int days = workdays.between(after.deadline().receivedOn(), answered);
        boolean onTime = !at.isAfter(after.deadline().dueAt());
        writes.addAll(both(dept, at, Map.of("answered", 1, "onTime", onTime ? 1 : 0, "answerDays", days)));
      }
      if (rated(before, after)) {
        String value = after.rating().getString("value");
        boolean satisfied = "satisfied".equals(value) || "basically".equals(value);
        writes.addAll(both(dept, at, Map.of("rated", 1, "satisfied", satisfied ? 1 : 0)));
      }
    }
    return Future.all(writes).<Void>mapEmpty().recover(failure -> {
      log.warn("statistics of case {} not counted", after.id(), failure);
      return Future.succeededFuture();
    });
  }

  private static boolean rated(Case before, Case after) {
    return after.rating() != null && after.rating().getString("value") != null
      && (before.rating() == null || !Objects.equals(before.rating().get("at"), after.rating().get("at")));
  }

  private List<Future<Void>> both(String departmentId, Instant at, Map<String, Integer> increments) {
    List<Future<Void>> writes = new ArrayList<>();
    writes.add(add(ALL, at, increments));
    if (departmentId != null) {
      writes.add(add(departmentId, at, increments));
    }
    return writes;
  }

  /** Counts are added here and written by {@link #flush} (each second, and before a read on this instance). */
  private Future<Void> add(String departmentId, Instant at, Map<String, Integer> increments) {
    LocalDate day = Deadlines.date(at);
    String prefix = "d.day" + day.getDayOfMonth() + ".";
    pending.compute(id(departmentId, YearMonth.from(day)), (id, counts) -> {
      Map<String, Long> all = counts == null ? new HashMap<>() : counts;
      increments.forEach((counter, n) -> all.merge(prefix + counter, (long) n, Long::sum));
      return all;
    });
    return Future.succeededFuture();
  }

  /**
   * Writes the counts gathered since the last flush, one {@code $inc} per month document: at hundreds of cases a
   * second, two single writes per case would take a large share of what the embedded store commits. A crash loses at
   * most the last second's counts.
   */
  Future<Void> flush() {
    List<Future<Void>> writes = new ArrayList<>();
    for (String id : List.copyOf(pending.keySet())) {
      Map<String, Long> counts = pending.remove(id);
      if (counts != null) {
        writes.add(write(id, counts).recover(failure -> {
          counts.forEach((field, n) -> pending.compute(id, (k, c) -> {
            Map<String, Long> back = c == null ? new HashMap<>() : c;
            back.merge(field, n, Long::sum);
            return back;
          }));
          return Future.failedFuture(failure);
        }));
      }
    }
    return Future.all(writes).mapEmpty();
  }

  private Future<Void> write(String id, Map<String, Long> counts) {
    List<Bson> updates = new ArrayList<>();
    counts.forEach((field, n) -> updates.add(Updates.inc(field, n)));
    Bson filter = eq("_id", id);
    UpdateOptions upsert = new UpdateOptions().upsert(true);
    return Mongo.first(counters.updateOne(filter, Updates.combine(updates), upsert))
      // two first counts of a month at once (two instances): one upsert inserts, the other finds the key taken
      .recover(failure -> Mongo.isDuplicateKey(failure)
        ? Mongo.first(counters.updateOne(filter, Updates.combine(updates), upsert)) : Future.failedFuture(failure))
      .mapEmpty();
  }

  private static String id(String departmentId, YearMonth month) {
    return departmentId + "|" + month;
  }

  // Reading

  /** The sums of the counters over [from, to] for the rows named (departments, or {@link #ALL}). */
  Future<Map<String, Long>> sum(Collection<String> rows, LocalDate from, LocalDate to) {
    return flush().recover(failure -> Future.succeededFuture()).compose(v -> read(rows, from, to));
  }

  private Future<Map<String, Long>> read(Collection<String> rows, LocalDate from, LocalDate to) {
    List<Future<Document>> reads = new ArrayList<>();
    for (String row : Set.copyOf(rows)) {
      for (YearMonth m = YearMonth.from(from); !m.isAfter(YearMonth.from(to)); m = m.plusMonths(1)) {
        reads.add(Mongo.first(counters.find(eq("_id", id(row, m)))));
      }
    }
    return Future.all(reads).map(v -> {
      Map<String, Long> sums = new LinkedHashMap<>();
      COUNTERS.forEach(c -> sums.put(c, 0L));
      for (Future<Document> read : reads) {
        Document month = read.result();
        if (month != null) {
          addDays(month, from, to, sums);
        }
      }
      return sums;
    });
  }

  private static void addDays(Document month, LocalDate from, LocalDate to, Map<String, Long> sums) {
    YearMonth ym = YearMonth.parse(month.getString("_id").substring(month.getString("_id").indexOf('|') + 1));
    Document days = month.get("d", Document.class);
    if (days == null) {
      return;
    }
    days.forEach((dayOfMonth, counts) -> {
      LocalDate day = ym.atDay(Integer.parseInt(dayOfMonth.substring("day".length())));
      if (!day.isBefore(from) && !day.isAfter(to) && counts instanceof Document c) {
        COUNTERS.forEach(name -> sums.merge(name, ((Number) c.getOrDefault(name, 0)).longValue(), Long::sum));
      }
    });
  }
}
