package io.govmedia.platform;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoServerException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** Bridges the reactive-streams MongoDB driver to Vert.x futures completed on the caller's context. */
public final class Mongo {

  private Mongo() {
  }

  /**
   * Starts building an index that only speeds queries up (none relies on it to stay correct), without making the
   * caller wait: on a large collection of a real MongoDB a build takes a while, and readiness need not wait for it.
   * A failure is logged; the queries scan until a later start builds it.
   */
  public static Future<Void> speedUp(String collection, Publisher<String> build) {
    first(build).onFailure(failure -> LoggerFactory.getLogger(Mongo.class)
      .warn("index on {} not built; queries scan until the next start", collection, failure));
    return Future.succeededFuture();
  }

  /** The first element, or null when the publisher completes empty. */
  public static <T> Future<T> first(Publisher<T> publisher) {
    return all(publisher).map(list -> list.isEmpty() ? null : list.get(0));
  }

  public static <T> Future<List<T>> all(Publisher<T> publisher) {
    Context context = Vertx.currentContext();
    Promise<List<T>> promise = Promise.promise();
    publisher.subscribe(new Subscriber<T>() {
      private final List<T> items = new ArrayList<>();

      @Override
      public void onSubscribe(Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(T item) {
        items.add(item);
      }

      @Override
      public void onError(Throwable failure) {
        onContext(context, () -> promise.fail(failure));
      }

      @Override
      public void onComplete() {
        onContext(context, () -> promise.complete(items));
      }
    });
    return promise.future();
  }

  public static boolean isDuplicateKey(Throwable failure) {
    return failure instanceof MongoServerException e && ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY
      || failure instanceof com.mongodb.MongoWriteException w && w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY
      || failure instanceof MongoException m && m.getCode() == 11000;
  }

  private static void onContext(Context context, Runnable action) {
    if (context == null) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
