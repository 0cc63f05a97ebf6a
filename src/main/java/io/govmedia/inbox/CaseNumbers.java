package io.govmedia.inbox;

import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import org.bson.Document;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static com.mongodb.client.model.Filters.eq;

/**
 * Case numbers {@code 2026-000123}: per year (Asia/Shanghai), never repeated across instances or after a restart,
 * Redis or no Redis. An instance reserves a block of {@link #BLOCK} numbers by inserting {@code {_id: "2026:17"}}
 * into {@code case_numbers} (block 17 = numbers 1701–1800; the unique {@code _id} is the guard) and hands them out
 * from memory. Gaps are fine (a restart leaves the rest of a block unused; a merged repeat keeps the number it
 * drew), repeats never. The collection holds one small document per block: finding the highest block of a year
 * scans it, which is cheap, and happens only when another instance took the block this one tried.
 */
final class CaseNumbers {

  static final int BLOCK = 100;

  private final MongoCollection<Document> blocks;
  private final Clock clock;
  private final Map<Integer, Range> ranges = new HashMap<>();
  private final Map<Integer, Future<Void>> inFlight = new HashMap<>();

  /** Numbers {@code next} to {@code last} of a reserved block, handed out in order. */
  private static final class Range {
    long block;
    long next;
    long last;
  }

  CaseNumbers(MongoDatabase db, Clock clock) {
    this.blocks = db.getCollection("case_numbers");
    this.clock = clock;
  }

  /** The next number of the current year. Synchronized hand-out: callers come from several event loops. */
  Future<String> next() {
    Instant now = clock.instant();
    int year = now.atZone(Times.ZONE).getYear();
    synchronized (ranges) {
      Range range = ranges.get(year);
      if (range != null && range.next <= range.last) {
        return Future.succeededFuture(format(year, range.next++));
      }
    }
    return reserving(year).compose(v -> next());
  }

  /** One reservation at a time per year on this instance; concurrent callers wait for it. */
  private Future<Void> reserving(int year) {
    synchronized (ranges) {
      Future<Void> running = inFlight.get(year);
      if (running == null) {
        running = reserve(year, 5).andThen(done -> {
          synchronized (ranges) {
            inFlight.remove(year);
          }
        });
        if (!running.isComplete()) {
          inFlight.put(year, running);
        }
      }
      return running;
    }
  }

  static String format(int year, long sequence) {
    return String.format("%d-%06d", year, sequence);
  }

  private Future<Void> reserve(int year, int attempts) {
    long candidate;
    synchronized (ranges) {
      Range range = ranges.get(year);
      if (range != null && range.next <= range.last) {
        return Future.succeededFuture();  // another caller reserved meanwhile
      }
      candidate = range == null ? -1 : range.block + 1;
    }
    Future<Long> block = candidate < 0 ? highest(year).map(h -> h + 1) : Future.succeededFuture(candidate);
    return block.compose(b -> Mongo.first(blocks.insertOne(new Document("_id", year + ":" + b).append("year", year)
        .append("block", b).append("at", Times.date(clock.instant()))))
      .map(ok -> {
        synchronized (ranges) {
          Range current = ranges.get(year);
          if (current == null || current.next > current.last) {
            Range range = new Range();
            range.block = b;
            range.next = Math.max(1, b * BLOCK + 1);
            range.last = b * BLOCK + BLOCK;
            ranges.put(year, range);
          }
        }
        return (Void) null;
      })
      .recover(failure -> {
        if (!Mongo.isDuplicateKey(failure) || attempts <= 1) {
          return Future.failedFuture(failure);
        }
        synchronized (ranges) {
          Range current = ranges.get(year);
          if (current != null && current.next > current.last) {
            ranges.remove(year);  // taken by another instance: look for the highest again
          }
        }
        return reserve(year, attempts - 1);
      }));
  }

  private Future<Long> highest(int year) {
    return Mongo.first(blocks.find(eq("year", year)).sort(new Document("block", -1)).limit(1))
      .map(d -> d == null ? -1L : d.getLong("block"));
  }
}
