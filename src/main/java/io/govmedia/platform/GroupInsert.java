package io.govmedia.platform;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit: inserts from many concurrent requests travel to MongoDB together. Nothing waits for a batch
 * to fill: when fewer than {@code maxInFlight} inserts are running, whatever is queued leaves at once, so a
 * lone request pays no delay; under load, requests queue behind the running insert and leave in the next,
 * larger batch. Each caller learns the fate of its own document.
 *
 * <p>Replacements and deletions by {@code _id} travel the same way ({@link #replace}, {@link #delete}): a batch is
 * one command to the store (one commit on the embedded one), unordered, so only writes that may land in any order
 * may share an instance.
 */
public final class GroupInsert {

  /** What happened to one document. */
  public enum Outcome { INSERTED, DUPLICATE, REPLACED, DELETED }

  private record Pending(WriteModel<Document> write, Promise<Outcome> promise, Context context) {

    Outcome done() {
      return write instanceof InsertOneModel ? Outcome.INSERTED
        : write instanceof DeleteOneModel ? Outcome.DELETED : Outcome.REPLACED;
    }
  }

  private final MongoCollection<Document> collection;
  private final int maxBatch;
  private final int maxInFlight;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final int maxQueued;

  public GroupInsert(MongoCollection<Document> collection, int maxBatch, int maxInFlight) {
    this.collection = collection;
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxBatch * 20;
  }

  /** Inserts the document with others; DUPLICATE when a unique index already holds its key. */
  public Future<Outcome> insert(Document document) {
    return enqueue(new InsertOneModel<>(document));
  }

  /**
   * Replaces the document whose {@code _id} is {@code id} with others: REPLACED (also when no document has that id,
   * as a lone replaceOne whose result is not read).
   */
  public Future<Outcome> replace(Object id, Document document) {
    return enqueue(new ReplaceOneModel<>(Filters.eq("_id", id), document));
  }

  /**
   * As {@link #replace}, for the second half of a guarded write whose claim is already stored: never refused for a
   * long queue (a refusal would report a write as failed that the claim's roll-forward applies later anyway).
   */
  public Future<Outcome> replaceClaimed(Object id, Document document) {
    return enqueue(new ReplaceOneModel<>(Filters.eq("_id", id), document), false);
  }

  /** Deletes the document whose {@code _id} is {@code id} with others: DELETED (also when there was none). */
  public Future<Outcome> delete(Object id) {
    return enqueue(new DeleteOneModel<>(Filters.eq("_id", id)));
  }

  private Future<Outcome> enqueue(WriteModel<Document> write) {
    return enqueue(write, true);
  }

  private Future<Outcome> enqueue(WriteModel<Document> write, boolean bounded) {
    if (bounded && queue.size() >= maxQueued) {
      // The store is not keeping up (or hangs): fail fast rather than hold requests and memory.
      return Future.failedFuture(new Problem(503, "store-overloaded", "服务繁忙，请稍后重试", null)
        .with("retryAfterSeconds", 5));
    }
    Promise<Outcome> promise = Promise.promise();
    queue.add(new Pending(write, promise, Vertx.currentContext()));
    flush();
    return promise.future();
  }

  private void flush() {
    while (!queue.isEmpty()) {
      int running = inFlight.get();
      if (running >= maxInFlight) {
        return;  // a running insert's completion flushes again
      }
      if (!inFlight.compareAndSet(running, running + 1)) {
        continue;
      }
      List<Pending> batch = new ArrayList<>();
      Pending next;
      while (batch.size() < maxBatch && (next = queue.poll()) != null) {
        batch.add(next);
      }
      if (batch.isEmpty()) {
        inFlight.decrementAndGet();
        continue;
      }
      write(batch);
    }
  }

  private void write(List<Pending> batch) {
    List<WriteModel<Document>> writes = batch.stream().map(Pending::write).toList();
    Mongo.all(collection.bulkWrite(writes, new BulkWriteOptions().ordered(false))).onComplete(result -> {
      settle(batch, result.failed() ? result.cause() : null);
      inFlight.decrementAndGet();
      flush();
    });
  }

  private static void settle(List<Pending> batch, Throwable failure) {
    Outcome[] outcomes = batch.stream().map(Pending::done).toArray(Outcome[]::new);
    Throwable[] failures = new Throwable[batch.size()];
    if (failure instanceof MongoBulkWriteException bulk && bulk.getWriteConcernError() != null) {
      // Written, but not as durably as asked: nothing but a known duplicate may be reported stored.
      for (BulkWriteError error : bulk.getWriteErrors()) {
        if (error.getIndex() < batch.size() && error.getCategory() == com.mongodb.ErrorCategory.DUPLICATE_KEY) {
          outcomes[error.getIndex()] = Outcome.DUPLICATE;
        }
      }
      for (int i = 0; i < batch.size(); i++) {
        if (outcomes[i] != Outcome.DUPLICATE) {
          failures[i] = bulk;
        }
      }
    } else if (failure instanceof MongoBulkWriteException bulk) {
      for (BulkWriteError error : bulk.getWriteErrors()) {
        if (error.getIndex() < batch.size()) {
          if (error.getCategory() == com.mongodb.ErrorCategory.DUPLICATE_KEY) {
            outcomes[error.getIndex()] = Outcome.DUPLICATE;
          } else {
            failures[error.getIndex()] = bulk;
          }
        }
      }
    } else if (failure != null) {
      java.util.Arrays.fill(failures, failure);
    }
    for (int i = 0; i < batch.size(); i++) {
      Pending pending = batch.get(i);
      Outcome outcome = outcomes[i];
      Throwable cause = failures[i];
      Runnable complete = cause == null ? () -> pending.promise.complete(outcome) : () -> pending.promise.fail(cause);
      if (pending.context == null) {
        complete.run();
      } else {
        pending.context.runOnContext(v -> complete.run());
      }
    }
  }
}
