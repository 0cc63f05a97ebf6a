package io.govmedia.content;

import io.govmedia.checks.ContentChecks;
import io.govmedia.checks.HtmlBodies;
import io.govmedia.platform.Problem;
import io.govmedia.search.SearchIndex;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Items saved before {@code bodyText} existed have none: GET shows null and search indexes an empty text. Once per
 * start, in the background (it reads every item without one, so it may take a while on a large store, and readiness
 * does not wait for it), each such item gets the text rendered from its stored, sanitized body on the checks' worker
 * pool, one item at a time so live checks keep the pool's other thread, written with the usual guarded replace (an
 * edit in between wins: it brought its own text), and is indexed again. Items whose body cannot be rendered (past
 * the body limits, stored before they existed) are logged and left as they are. Several instances may run it at
 * once: the guarded write lets one of them win per item.
 */
final class BodyTextBackfill {

  private static final Logger log = LoggerFactory.getLogger(BodyTextBackfill.class);
  private static final int BATCH = 100;

  private record Tally(int filled, int skipped) {
    Tally plus(boolean wasFilled) {
      return wasFilled ? new Tally(filled + 1, skipped) : new Tally(filled, skipped + 1);
    }
  }

  private final ItemStore items;
  private final ContentChecks checks;
  private final SearchIndex search;
  private volatile boolean stopped;

  BodyTextBackfill(ItemStore items, ContentChecks checks, SearchIndex search) {
    this.items = items;
    this.checks = checks;
    this.search = search;
  }

  /** Runs through documents, then interpretations; completes with how many items were filled. */
  Future<Integer> run() {
    long started = System.nanoTime();
    return kind(ItemKind.DOCUMENT, null, new Tally(0, 0))
      .compose(tally -> kind(ItemKind.INTERPRETATION, null, tally))
      .onSuccess(tally -> {
        if (tally.filled() + tally.skipped() > 0) {
          log.info("bodyText filled for {} items saved before it existed ({} left as they were) in {} ms",
            tally.filled(), tally.skipped(), (System.nanoTime() - started) / 1_000_000);
        }
      })
      .map(Tally::filled);
  }

  /** Ends the run after the item in hand, when the server stops. */
  void stop() {
    stopped = true;
  }

  private Future<Tally> kind(ItemKind kind, String afterId, Tally tally) {
    if (stopped) {
      return Future.succeededFuture(tally);
    }
    return items.withoutBodyText(kind, afterId, BATCH).compose(batch -> batch.isEmpty() ? Future.succeededFuture(tally)
      : fillAll(batch, 0, tally).compose(next -> kind(kind, batch.get(batch.size() - 1).id(), next)));
  }

  private Future<Tally> fillAll(List<Item> batch, int at, Tally tally) {
    if (at == batch.size() || stopped) {
      return Future.succeededFuture(tally);
    }
    return fill(batch.get(at)).compose(filled -> fillAll(batch, at + 1, tally.plus(filled)));
  }

  /** True when this run wrote the item's text; false when it could not be rendered or was changed meanwhile. */
  private Future<Boolean> fill(Item item) {
    return checks.prepare(item.body()).map(HtmlBodies.Body::text)
      .compose(text -> items.replace(item, item.withBodyText(text)))
      .compose(filled -> search.put(filled.searchEntry()).map(true).recover(failure -> {
        log.warn("bodyText of {} {} filled but not indexed again: {}", item.kind().wire(), item.id(), failure.toString());
        return Future.succeededFuture(true);
      }))
      .recover(failure -> {
        if (!(failure instanceof Problem problem && problem.code().equals("edit-conflict"))) {
          log.warn("bodyText of {} {} not filled: {}", item.kind().wire(), item.id(), failure.toString());
        }
        return Future.succeededFuture(false);
      });
  }
}
