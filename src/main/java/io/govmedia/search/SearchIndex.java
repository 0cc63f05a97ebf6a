package io.govmedia.search;

import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Redis;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Full-text search over documents, interpretations and posts, for staff and for citizens: a Lucene index per instance
 * on disk ({@link LuceneIndex}), CJK bigrams ({@link SearchAnalysis}), BM25 with the title boosted and recency,
 * highlighted snippets ({@link SearchHighlights}).
 *
 * <p>MongoDB ({@code search_entries}, {@link SearchStore}) holds every entry; every change raises the entry's
 * {@code rev}, and an index applies a revision only if it is newer than the one it holds, so changes may arrive in
 * any order. A put or remove is searchable on this instance when its future completes; it is then announced on the
 * Redis channel {@code govmedia:search:<database>} as "rev key instance", and every other instance reads that entry by
 * id and applies it (milliseconds).
 *
 * <p>Staying current without pub/sub: at start the index on disk is opened and answers at once; whatever changed
 * since its last commit's marker ({@link LuceneIndex#caughtUp()}) is read from MongoDB in the background (everything
 * for a new index). A subscription that comes back after a Redis outage catches up the same way. The marker moves on
 * only as far as this instance has provably heard everything: each instance pings itself on the channel every few
 * seconds, and a ping heard back means every announcement published before it was heard too (one channel keeps its
 * order); the marker is the ping's time less {@link #MARGIN} for clocks and writes in flight. An announcement that
 * fails to publish (Redis down on the writer's side) is logged: others get the change at their next catch-up.
 *
 * <p>Threads: every index write and commit runs on the writer thread {@value #WRITER}, searches on the pool
 * {@value #WORKERS}; nothing Lucene runs on an event loop.
 */
public final class SearchIndex implements AutoCloseable {

  public static final Set<String> KINDS = Set.of("document", "interpretation", "post");
  /** The {@link Entry#status} every staff member finds; any other status only the entry's department scope. */
  public static final String PUBLISHED = "published";
  public static final int MAX_QUERY = 100;
  /** Paging goes this deep into the ranking and no further. */
  public static final int MAX_OFFSET = 1000;

  static final String WORKERS = "govmedia-search";
  static final String WRITER = "govmedia-search-writer";

  private static final Logger log = LoggerFactory.getLogger(SearchIndex.class);
  private static final int BATCH = 256;
  private static final long TICK_MILLIS = 5_000;
  private static final long RETRY_MILLIS = 5_000;
  private static final Duration MARGIN = Duration.ofSeconds(60);
  private static final String PING = "ping";

  /** What is searchable of a document, interpretation or post; {@code text} is plain text, not HTML. */
  public record Entry(String kind, String id, String title, String text, String status, String departmentId,
                      Instant updatedAt) {
    public Entry {
      if (!KINDS.contains(kind)) {
        throw new IllegalArgumentException("kind must be one of " + KINDS + ", not " + kind);
      }
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(updatedAt, "updatedAt");
      title = title == null ? "" : title;
      text = text == null ? "" : text;
    }
  }

  /**
   * Whose search it is (谁起草谁解读): the departments in their scope (theirs and every one below), or everything
   * for an admin. A reader finds published entries and the unpublished ones of departments in their scope.
   */
  public record Reader(Set<String> departmentIds) {
    public static final Reader ADMIN = new Reader(null);

    public Reader {
      departmentIds = departmentIds == null ? null : Set.copyOf(departmentIds);
    }
  }

  /** One hit: {@code titleHighlighted} and {@code snippet} are HTML, matches in {@code <em>}, the rest escaped. */
  public record Hit(String kind, String id, String title, String titleHighlighted, double score, String snippet,
                    Instant updatedAt) {

    public JsonObject toJson() {
      return new JsonObject().put("kind", kind).put("id", id).put("title", title)
        .put("titleHighlighted", titleHighlighted).put("score", Math.round(score * 10_000) / 10_000.0)
        .put("snippet", snippet).put("updatedAt", Times.show(updatedAt));
    }
  }

  /** A page of hits, best first; {@code next} is the cursor of the following page, or null. */
  public record Hits(List<Hit> items, String next) {

    public JsonObject toJson() {
      JsonArray array = new JsonArray();
      items.forEach(hit -> array.add(hit.toJson()));
      return new JsonObject().put("items", array).put("next", next);
    }
  }

  private final Vertx vertx;
  private final SearchStore store;
  private final Redis redis;
  private final Path root;
  private final String channel;
  private final String self = Ids.newId();
  private final WorkerExecutor workers;
  private final WorkerExecutor writer;
  private final Promise<Void> loaded = Promise.promise();
  private final AtomicInteger subscriptions = new AtomicInteger();
  private volatile LuceneIndex lucene;
  private volatile AutoCloseable subscription;
  private volatile long timer = -1;
  // Catching up: one at a time; a request during one runs another after it.
  private boolean catchingUp;
  private boolean catchUpAgain;
  private volatile long trustFrom = Long.MAX_VALUE;
  private volatile long heardAt;
  private volatile boolean changedSinceCommit;
  private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();

  /** {@code root}: this database's index folders (the data directory's {@code search/<database>}). */
  private final List<Runnable> remoteListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  public SearchIndex(Vertx vertx, MongoDatabase db, Redis redis, Path root) {
    this.vertx = vertx;
    this.store = new SearchStore(db);
    this.redis = redis;
    this.root = root;
    this.channel = Redis.PREFIX + "search:" + db.getName();
    this.workers = vertx.createSharedWorkerExecutor(WORKERS, Math.max(2, Runtime.getRuntime().availableProcessors()));
    this.writer = vertx.createSharedWorkerExecutor(WRITER, 1);
  }

  public Future<Void> createIndexes() {
    return store.createIndexes();
  }

  /**
   * Listens for other instances' changes and opens the index on disk (searches answer from then on), then catches up
   * from MongoDB in the background; see {@link #loaded()}.
   */
  public Future<Void> start() {
    return redis.subscribe(channel, this::onAnnouncement, this::onSubscribed)
      .compose(listening -> {
        subscription = listening;
        return store.epoch();
      })
      .compose(epoch -> writer.executeBlocking(() -> LuceneIndex.open(root, epoch), false))
      .map(opened -> {
        lucene = opened;
        log.info("search index opened in {} ({})", opened.folder(),
          opened.caughtUp() == null ? "new: building it from MongoDB" : "current up to " + opened.caughtUp());
        timer = vertx.setPeriodic(TICK_MILLIS, id -> tick());
        catchUp();
        return null;
      });
  }

  /** The folder this instance's index is in (once started). */
  Path folder() {
    return lucene.folder();
  }

  /** Completes once the index holds everything MongoDB held at start (searches answer before, from what it has). */
  public Future<Void> loaded() {
    return loaded.future();
  }

  /** Makes the entry searchable, replacing what was there under its kind and id, unless a newer one is stored. */
  public Future<Void> put(Entry entry) {
    return store.put(entry).compose(this::applyAndAnnounce);
  }

  public Future<Void> remove(String kind, String id) {
    return store.remove(kind, id).compose(this::applyAndAnnounce);
  }

  /**
   * Runs {@code listener} each time another instance's change has become searchable here: answers cached from
   * searches (citizens' search cache) may have been made by this instance before it had the change.
   */
  public void onRemoteChangeApplied(Runnable listener) {
    remoteListeners.add(listener);
  }

  /** Whether citizens find a published post: while its mini-program slot is published. */
  public Future<Void> showToCitizens(String kind, String id, boolean shown) {
    return store.showToCitizens(kind, id, shown).compose(this::applyAndAnnounce);
  }

  /**
   * Ranked hits for {@code q} among the given kinds (all when empty) that the reader may find; {@code cursor} is a
   * previous page's {@code next}. Fails with a 400 problem for a query outside 1..{@value #MAX_QUERY} characters or
   * a bad cursor.
   */
  public Future<Hits> search(String q, Set<String> kinds, Reader reader, int limit, String cursor) {
    Objects.requireNonNull(reader, "reader");
    try {
      checkQuery(q, MAX_QUERY);
      if (kinds != null && !KINDS.containsAll(kinds)) {
        throw Problem.badRequest("invalid-parameter", "参数无效", "kind 应为 document、interpretation 或 post。");
      }
    } catch (Problem problem) {
      return Future.failedFuture(problem);
    }
    Set<String> wanted = kinds == null || kinds.isEmpty() ? KINDS : kinds;
    return ranked(q, wanted, new LuceneIndex.Scope(reader.departmentIds(), false), limit, cursor);
  }

  /** What citizens find: published documents and interpretations, and posts shown on the mini-program. */
  public Future<Hits> searchPublished(String q, int limit, String cursor) {
    return ranked(q, KINDS, new LuceneIndex.Scope(null, true), limit, cursor);
  }

  public static void checkQuery(String q) {
    checkQuery(q, MAX_QUERY);
  }

  /** A 400 problem for a missing or blank query, or one longer than {@code max} characters. */
  public static void checkQuery(String q, int max) {
    if (q == null || q.isBlank()) {
      throw Problem.badRequest("invalid-query", "请输入搜索词", "q 必填，为 1 到 " + max + " 个字符。");
    }
    if (q.strip().codePointCount(0, q.strip().length()) > max) {
      throw Problem.badRequest("invalid-query", "搜索词过长", "q 最多 " + max + " 个字符。");
    }
  }

  /** Cursors are offsets into the ranking, as handed out in {@code next}. */
  public static boolean validCursor(String cursor) {
    return cursor.matches("[0-9]{1,4}") && Integer.parseInt(cursor) <= MAX_OFFSET;
  }

  @Override
  public void close() throws Exception {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    AutoCloseable listening = subscription;
    if (listening != null) {
      listening.close();
    }
    LuceneIndex open = lucene;
    if (open != null) {
      lucene = null;
      writer.executeBlocking(() -> {
        commit(open);
        open.close();
        return null;
      }, false).await(30, java.util.concurrent.TimeUnit.SECONDS);
    }
    workers.close();
    writer.close();
  }

  // Answers.

  private Future<Hits> ranked(String q, Set<String> kinds, LuceneIndex.Scope scope, int limit, String cursor) {
    if (cursor != null && !validCursor(cursor)) {
      return Future.failedFuture(Problem.badRequest("invalid-cursor", "分页游标无效", "cursor 应取自上一页的 next。"));
    }
    LuceneIndex index = lucene;
    List<String> terms = SearchAnalysis.queryTerms(LuceneIndex.TEXT, q.strip());
    if (terms.isEmpty() || index == null) {
      return Future.succeededFuture(new Hits(List.of(), null));
    }
    int offset = cursor == null ? 0 : Integer.parseInt(cursor);
    int size = Math.max(1, Math.min(limit, Page.MAX_LIMIT));
    return workers.executeBlocking(() -> {
      LuceneIndex.Ranked ranked = index.search(terms, kinds, scope, offset, size, Instant.now());
      List<Hit> items = ranked.items().stream().map(f -> new Hit(f.kind(), f.id(), f.title(), f.titleHighlighted(),
        f.score(), f.snippet(), f.updatedAt())).toList();
      int nextOffset = offset + size;
      return new Hits(items, ranked.total() > nextOffset && nextOffset <= MAX_OFFSET ? String.valueOf(nextOffset) : null);
    }, false);
  }

  // Changes.

  private Future<Void> applyAndAnnounce(SearchStore.Stored stored) {
    if (stored == null) {
      return Future.succeededFuture();
    }
    return apply(List.of(stored)).compose(v -> redis.publish(channel, stored.rev() + " " + stored.key() + " " + self)
      .<Void>mapEmpty().recover(failure -> {
        log.warn("search change {} rev {} not announced to other instances: {}", stored.key(), stored.rev(),
          failure.toString());
        return Future.succeededFuture();
      }));
  }

  /**
   * Queues the changes for the writer thread, which applies everything queued at once and then makes it searchable
   * with one refresh: under many concurrent puts, one refresh serves many (a refresh per put would write a segment
   * per put). The future completes on the caller's context once they are searchable.
   */
  private Future<Void> apply(List<SearchStore.Stored> changes) {
    LuceneIndex index = lucene;
    if (index == null) {
      return Future.succeededFuture();  // not open yet (or closed): the catch-up at start reads it
    }
    Pending queued = new Pending(changes, Promise.promise(), Vertx.currentContext());
    pending.add(queued);
    scheduleDrain(index);
    return queued.done().future();
  }

  private void scheduleDrain(LuceneIndex index) {
    if (draining.compareAndSet(false, true)) {
      writer.executeBlocking(() -> {
        drain(index);
        return null;
      }, false);
    }
  }

  /**
   * On the writer thread: applies what is queued now, as one batch. What arrives meanwhile goes in a task of its
   * own after this one, so that commits queued on the writer thread in between are not starved by steady writes.
   */
  private void drain(LuceneIndex index) {
    List<Pending> batch = new ArrayList<>();
    for (Pending next = pending.poll(); next != null; next = pending.poll()) {
      batch.add(next);
    }
    Throwable failed = null;
    try {
      if (!batch.isEmpty() && index.apply(batch.stream().flatMap(p -> p.changes().stream()).toList()) > 0) {
        changedSinceCommit = true;
      }
    } catch (Exception | Error e) {
      failed = e;
    }
    Throwable failure = failed;
    batch.forEach(p -> p.complete(failure));
    draining.set(false);
    if (!pending.isEmpty()) {
      scheduleDrain(index);
    }
  }

  private record Pending(List<SearchStore.Stored> changes, Promise<Void> done, io.vertx.core.Context context) {

    void complete(Throwable failure) {
      Runnable finish = () -> {
        if (failure == null) {
          done.complete();
        } else {
          done.fail(failure);
        }
      };
      if (context == null) {
        finish.run();
      } else {
        context.runOnContext(v -> finish.run());
      }
    }
  }

  private void onAnnouncement(String message) {
    String[] parts = message.split(" ");
    if (parts.length == 3 && PING.equals(parts[0])) {
      if (self.equals(parts[1])) {
        heardAt = Long.parseLong(parts[2]);
      }
      return;
    }
    if (parts.length != 3 || !parts[0].matches("[0-9]{1,9}")) {
      log.warn("ignoring malformed search announcement {}", message);
      return;
    }
    if (self.equals(parts[2])) {
      return;  // our own change: applied before it was announced
    }
    store.find(parts[1]).compose(stored -> stored == null ? Future.succeededFuture() : apply(List.of(stored)))
      .onSuccess(v -> remoteListeners.forEach(Runnable::run))
      .onFailure(failure -> {
        log.warn("search change {} not applied here ({}); catching up from MongoDB", parts[1], failure.toString());
        catchUp();
      });
  }

  /** After the first subscription, a later one means the subscription was away: catch up from MongoDB. */
  private void onSubscribed() {
    if (subscriptions.incrementAndGet() > 1 && lucene != null) {
      log.info("search announcements subscribed again; catching up from MongoDB");
      catchUp();
    }
  }

  /** Every few seconds: ping ourselves, and commit what changed (or how far we have heard) on the writer thread. */
  private void tick() {
    LuceneIndex index = lucene;
    if (index == null) {
      return;
    }
    redis.publish(channel, PING + " " + self + " " + System.currentTimeMillis())
      .onFailure(failure -> log.debug("search ping not sent: {}", failure.toString()));
    writer.executeBlocking(() -> {
      Instant marker = safeMarker();
      if (changedSinceCommit || marker != null && (index.caughtUp() == null
        || marker.isAfter(index.caughtUp().plus(MARGIN)))) {
        commit(index);
      }
      return null;
    }, false).onFailure(failure -> log.warn("search index not committed: {}", failure.toString()));
  }

  /** On the writer thread. */
  private void commit(LuceneIndex index) throws java.io.IOException {
    Instant marker = safeMarker();
    changedSinceCommit = false;
    if (marker != null) {
      index.commit(marker);
    } else if (index.caughtUp() != null) {
      index.commit(index.caughtUp());
    }
    // an index still being built has no marker: nothing to commit that a restart could trust
  }

  /**
   * Up to when this instance has every change: the start of the last completed catch-up, or a later ping of ours
   * heard back after it, less the margin; null while a catch-up is under way.
   */
  private Instant safeMarker() {
    long from = trustFrom;
    if (from == Long.MAX_VALUE) {
      return null;
    }
    return Instant.ofEpochMilli(Math.max(from, heardAt)).minus(MARGIN);
  }

  /** Reads what changed since the index's marker (everything for a new index) into it, then commits. */
  private synchronized Future<Void> catchUp() {
    if (catchingUp) {
      catchUpAgain = true;
      return loaded.future();
    }
    LuceneIndex index = lucene;
    if (index == null) {
      return Future.succeededFuture();
    }
    catchingUp = true;
    long started = System.currentTimeMillis();
    trustFrom = Long.MAX_VALUE;
    Instant since = index.caughtUp();
    return stream(since).compose(count -> writer.executeBlocking(() -> {
        trustFrom = started;
        commit(index);
        log.info("search index caught up: {} changes since {} read in {} ms", count, since,
          System.currentTimeMillis() - started);
        return null;
      }, false))
      .<Void>mapEmpty()
      .onSuccess(loaded::tryComplete)
      .onComplete(done -> {
        synchronized (this) {
          catchingUp = false;
          if (done.failed()) {
            // what was applied stays; the next one skips it by revision
            log.warn("search catch-up failed; reading from {} again in {} ms", since, RETRY_MILLIS, done.cause());
            vertx.setTimer(RETRY_MILLIS, id -> catchUp());
          } else if (catchUpAgain) {
            catchUpAgain = false;
            catchUp();
          }
        }
      });
  }

  /**
   * Streams the changes since {@code since} into the index: one batch at a time, applied on the writer
   * thread. Answers how many were read.
   */
  private Future<Integer> stream(Instant since) {
    Promise<Integer> done = Promise.promise();
    store.changedSince(since, BATCH).subscribe(new Subscriber<Document>() {
      private Subscription upstream;
      private List<SearchStore.Stored> batch = new ArrayList<>();
      private int count;

      @Override
      public void onSubscribe(Subscription subscription) {
        upstream = subscription;
        upstream.request(BATCH);
      }

      @Override
      public void onNext(Document document) {
        batch.add(SearchStore.Stored.from(document));
        if (batch.size() == BATCH) {
          flush(false);
        }
      }

      @Override
      public void onError(Throwable failure) {
        done.tryFail(failure);
      }

      @Override
      public void onComplete() {
        flush(true);
      }

      private void flush(boolean last) {
        List<SearchStore.Stored> changes = batch;
        batch = new ArrayList<>();
        count += changes.size();
        int total = count;
        apply(changes).onSuccess(v -> {
          if (last) {
            done.tryComplete(total);
          } else {
            upstream.request(BATCH);
          }
        }).onFailure(done::tryFail);
      }
    });
    return done.future();
  }
}
