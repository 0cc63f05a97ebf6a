package io.govmedia.content;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Who hears of changes to what the public reads (the mini-program's feed and its cache): every stored change of an
 * item that was or is now published. The change's answer waits for the listeners, so that whoever published or
 * withdrew something finds it shown or gone at once; a listener's failure is logged, not the change's.
 */
public final class PublicChanges {

  /** An item was published, left publication (a new version of a published document), or changed while published. */
  public record Change(String kind, String id, boolean wasPublic, boolean isPublic) {
  }

  private static final Logger log = LoggerFactory.getLogger(PublicChanges.class);

  private final List<Function<Change, Future<Void>>> listeners = new CopyOnWriteArrayList<>();

  void listen(Function<Change, Future<Void>> listener) {
    listeners.add(listener);
  }

  Future<Void> changed(Item before, Item after) {
    boolean was = before != null && before.status() == ReviewStatus.PUBLISHED;
    boolean is = after.status() == ReviewStatus.PUBLISHED;
    if ((!was && !is) || listeners.isEmpty()) {
      return Future.succeededFuture();
    }
    Change change = new Change(after.kind().wire(), after.id(), was, is);
    return Future.join(listeners.stream().map(listener -> listener.apply(change).recover(failure -> {
      log.warn("a public-change listener failed for {} {}", change.kind(), change.id(), failure);
      return Future.succeededFuture();
    })).toList()).mapEmpty();
  }
}
