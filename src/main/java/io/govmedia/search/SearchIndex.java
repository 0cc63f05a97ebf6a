package io.govmedia.search;

import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Redis;
import io.govmedia.platform.Times;
import io.vertx.core.Context;
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

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Staff search over documents and interpretations: our own index of Chinese bigrams, single characters and
 * words ({@link SearchTerms}), ranked by BM25 with title hits first, with highlighted snippets.
 *
 * <p>MongoDB ({@code search_entries}, {@link SearchStore}) holds every entry; each instance keeps an inverted
 * index in memory ({@link SearchMemoryIndex}), because the embedded store scans. {@link #start()} loads it in
 * the background; until it is loaded, searches are answered from a MongoDB query, so nothing is missed.
 *
 * <p>Consistency: every change raises the entry's {@code rev} in MongoDB, and an instance applies a revision
 * only if it is newer than the one it holds, so changes may arrive in any order. A put or remove is in this
 * instance's index when its future completes; it is then announced on the Redis channel
 * {@code govmedia:search:<database>} as "rev key", and every other instance reads that entry by id and applies
 * it (milliseconds). Pub/sub does not keep messages for a subscriber that is away: when an instance's
 * subscription comes back after a Redis outage, it reloads every entry from MongoDB in the background (a
 * reload only applies what is newer), so it converges to MongoDB again. An announcement that fails to publish
 * (Redis down on the writer's side) is logged, not retried: other instances then have the change after their
 * next reload; the change itself is stored.
 *
 * <p>Threads: counting terms and searching run on the worker pool {@value #WORKERS}, or on the event loop when
 * a query walks few postings and the index is not being written; changes are applied on one writer thread
 * ({@value #WRITER}), which also compacts the index when a quarter of it is dead entries.
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
  private static final long INLINE_POSTINGS = 20_000;
  private static final int INLINE_LIMIT = 50;
  private static final long INLINE_TEXT = 100_000;
  private static final int LOAD_BATCH = 256;

  /** What is searchable of a document or interpretation; {@code text} is plain text, not HTML. */
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

    boolean finds(SearchMemoryIndex.Owner owner) {
      return departmentIds == null || owner.published()
        || owner.departmentId() != null && departmentIds.contains(owner.departmentId());
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

  private record Query(List<String> terms, int kindMask, Reader reader, int offset, int limit) {}

  private final SearchStore store;
  private final Redis redis;
  private final String channel;
  private final WorkerExecutor workers;
  private final WorkerExecutor writer;
  private final Promise<Void> loaded = Promise.promise();
  private final AtomicInteger subscriptions = new AtomicInteger();
  private volatile SearchMemoryIndex memory = new SearchMemoryIndex();
  private volatile boolean ready;
  private volatile AutoCloseable subscription;

  public SearchIndex(Vertx vertx, MongoDatabase db, Redis redis) {
    this.store = new SearchStore(db);
    this.redis = redis;
    this.channel = Redis.PREFIX + "search:" + db.getName();
    this.workers = vertx.createSharedWorkerExecutor(WORKERS, Math.max(2, Runtime.getRuntime().availableProcessors()));
    this.writer = vertx.createSharedWorkerExecutor(WRITER, 1);
  }

  public Future<Void> createIndexes() {
    return store.createIndexes();
  }

  /** Listens for other instances' changes, then loads the index in the background; see {@link #loaded()}. */
  public Future<Void> start() {
    return redis.subscribe(channel, this::onAnnouncement, this::onSubscribed).map(listening -> {
      subscription = listening;
      long started = System.nanoTime();
      load().onSuccess(count -> {
        memory.trim();
        ready = true;
        log.info("search index loaded: {} entries in {} ms", count, (System.nanoTime() - started) / 1_000_000);
        loaded.tryComplete();
      }).onFailure(failure -> {
        log.error("search index not loaded; searches keep querying MongoDB", failure);
        loaded.tryFail(failure);
      });
      return null;
    });
  }

  /** Completes once the in-memory index holds everything MongoDB held at start; searches use it from then on. */
  public Future<Void> loaded() {
    return loaded.future();
  }

  /** Makes the entry searchable, replacing what was there under its kind and id, unless a newer one is stored. */
  public Future<Void> put(Entry entry) {
    String key = SearchStore.key(entry.kind(), entry.id());
    return workers.executeBlocking(() -> SearchMemoryIndex.Prepared.of(key, kindCode(entry.kind()), entry.id(),
        entry.title(), entry.text(), entry.updatedAt().toEpochMilli(), owner(entry.status(), entry.departmentId()), 0),
        false)
      .compose(prepared -> store.put(entry, prepared.storedTerms())
        .compose(rev -> rev == null ? Future.<Void>succeededFuture()
          : apply(prepared.withRev(rev)).compose(v -> announce(rev, key))));
  }

  public Future<Void> remove(String kind, String id) {
    String key = SearchStore.key(kind, id);
    return store.remove(kind, id).compose(rev -> rev == null ? Future.<Void>succeededFuture()
      : apply(SearchMemoryIndex.Prepared.removal(key, rev)).compose(v -> announce(rev, key)));
  }

  /**
   * Ranked hits for {@code q} among the given kinds (all when empty) that the reader may find; {@code cursor} is a
   * previous page's {@code next}. Fails with a 400 problem for a query outside 1..{@value #MAX_QUERY} characters or
   * a bad cursor.
   */
  public Future<Hits> search(String q, Set<String> kinds, Reader reader, int limit, String cursor) {
    try {
      checkQuery(q);
      if (kinds != null && !KINDS.containsAll(kinds)) {
        throw Problem.badRequest("invalid-parameter", "参数无效", "kind 应为 document 或 interpretation。");
      }
      if (cursor != null && !validCursor(cursor)) {
        throw Problem.badRequest("invalid-cursor", "分页游标无效", "cursor 应取自上一页的 next。");
      }
    } catch (Problem problem) {
      return Future.failedFuture(problem);
    }
    Set<String> wanted = kinds == null || kinds.isEmpty() ? KINDS : kinds;
    Query query = new Query(SearchTerms.query(q), kindMask(wanted), Objects.requireNonNull(reader, "reader"),
      cursor == null ? 0 : Integer.parseInt(cursor), Math.max(1, Math.min(limit, Page.MAX_LIMIT)));
    if (query.terms().isEmpty()) {
      return Future.succeededFuture(new Hits(List.of(), null));
    }
    if (!ready) {
      return fromMongo(query, wanted);
    }
    SearchMemoryIndex current = memory;
    if (Context.isOnEventLoopThread() && query.limit() <= INLINE_LIMIT) {
      SearchMemoryIndex.Ranked cheap = current.searchIfCheap(query.terms(), query.kindMask(), query.reader(),
        query.offset() + query.limit(), INLINE_POSTINGS);
      if (cheap != null) {
        return textsToScan(query, cheap) <= INLINE_TEXT ? Future.succeededFuture(page(query, cheap))
          : workers.executeBlocking(() -> page(query, cheap), false);
      }
    }
    return workers.executeBlocking(() -> page(query,
      current.search(query.terms(), query.kindMask(), query.reader(), query.offset() + query.limit())), false);
  }

  public static void checkQuery(String q) {
    if (q == null || q.isBlank()) {
      throw Problem.badRequest("invalid-query", "请输入搜索词", "q 必填，为 1 到 " + MAX_QUERY + " 个字符。");
    }
    if (q.strip().codePointCount(0, q.strip().length()) > MAX_QUERY) {
      throw Problem.badRequest("invalid-query", "搜索词过长", "q 最多 " + MAX_QUERY + " 个字符。");
    }
  }

  /** Cursors are offsets into the ranking, as handed out in {@code next}. */
  public static boolean validCursor(String cursor) {
    return cursor.matches("[0-9]{1,4}") && Integer.parseInt(cursor) <= MAX_OFFSET;
  }

  @Override
  public void close() throws Exception {
    AutoCloseable listening = subscription;
    if (listening != null) {
      listening.close();
    }
    workers.close();
    writer.close();
  }

  // Answers.

  private Hits page(Query query, SearchMemoryIndex.Ranked ranked) {
    Set<String> terms = Set.copyOf(query.terms());
    List<SearchMemoryIndex.Scored> top = ranked.top();
    List<Hit> items = new ArrayList<>();
    for (SearchMemoryIndex.Scored s : top.subList(Math.min(query.offset(), top.size()), top.size())) {
      items.add(new Hit(kindName(s.kind()), s.id(), s.title(), SearchSnippets.highlight(s.title(), terms), s.score(),
        SearchSnippets.snippet(s.text(), terms), Instant.ofEpochMilli(s.updatedAt())));
    }
    int nextOffset = query.offset() + query.limit();
    return new Hits(items, ranked.total() > nextOffset && nextOffset <= MAX_OFFSET ? String.valueOf(nextOffset) : null);
  }

  /** How many characters the snippets of a page scan. */
  private static long textsToScan(Query query, SearchMemoryIndex.Ranked ranked) {
    List<SearchMemoryIndex.Scored> top = ranked.top();
    long characters = 0;
    for (SearchMemoryIndex.Scored s : top.subList(Math.min(query.offset(), top.size()), top.size())) {
      characters += s.text().length() + s.title().length();
    }
    return characters;
  }

  /** Before the index is loaded: the candidates MongoDB finds, ranked the same way (term statistics over them). */
  private Future<Hits> fromMongo(Query query, Set<String> kinds) {
    return store.candidates(query.terms(), kinds).compose(found -> workers.executeBlocking(() -> {
      SearchMemoryIndex scratch = new SearchMemoryIndex();
      found.forEach(stored -> scratch.apply(prepare(stored)));
      return page(query, scratch.search(query.terms(), query.kindMask(), query.reader(),
        query.offset() + query.limit()));
    }, false));
  }

  // Changes.

  private Future<Void> apply(SearchMemoryIndex.Prepared prepared) {
    return writer.executeBlocking(() -> {
      memory.apply(prepared);
      compactIfWorthIt();
      return null;
    }, false);
  }

  /** Brings one stored entry (or tombstone) into this instance's index, unless it holds that revision already. */
  private Future<Void> sync(SearchStore.Stored stored) {
    if (stored.rev() <= memory.rev(stored.key())) {
      return Future.succeededFuture();
    }
    return workers.executeBlocking(() -> prepare(stored), false).compose(this::apply);
  }

  /** On the writer thread: readers still holding the old index finish on it. */
  private void compactIfWorthIt() {
    if (memory.needsCompaction()) {
      long started = System.nanoTime();
      memory = memory.compacted();
      log.info("search index compacted in {} ms", (System.nanoTime() - started) / 1_000_000);
    }
  }

  private Future<Void> announce(int rev, String key) {
    return redis.publish(channel, rev + " " + key).<Void>mapEmpty().recover(failure -> {
      log.warn("search change {} rev {} not announced to other instances: {}", key, rev, failure.toString());
      return Future.succeededFuture();
    });
  }

  private void onAnnouncement(String message) {
    int space = message.indexOf(' ');
    int rev;
    try {
      rev = Integer.parseInt(message.substring(0, Math.max(0, space)));
    } catch (NumberFormatException e) {
      log.warn("ignoring malformed search announcement {}", message);
      return;
    }
    String key = message.substring(space + 1);
    if (rev <= memory.rev(key)) {
      return;
    }
    store.find(key).compose(stored -> stored == null ? Future.succeededFuture() : sync(stored))
      .onFailure(failure -> log.warn("search change {} rev {} not applied here: {}", key, rev, failure.toString()));
  }

  /** After the first subscription, a later one means the subscription was away: catch up from MongoDB. */
  private void onSubscribed() {
    if (subscriptions.incrementAndGet() > 1) {
      log.info("search announcements subscribed again; reloading entries from MongoDB to catch up");
      load().onFailure(failure -> log.warn("search catch-up reload failed: {}", failure.toString()));
    }
  }

  /**
   * Streams every stored entry into the index: batches counted on the worker pool, applied in order on the
   * writer thread; the next batch is fetched while the previous one is applied. Answers how many were read.
   */
  private Future<Integer> load() {
    Promise<Integer> done = Promise.promise();
    store.everything(LOAD_BATCH).subscribe(new Subscriber<Document>() {
      private Subscription upstream;
      private List<Document> batch = new ArrayList<>();
      private int count;

      @Override
      public void onSubscribe(Subscription subscription) {
        upstream = subscription;
        upstream.request(LOAD_BATCH);
      }

      @Override
      public void onNext(Document document) {
        batch.add(document);
        if (batch.size() == LOAD_BATCH) {
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
        List<Document> documents = batch;
        batch = new ArrayList<>();
        count += documents.size();
        int total = count;
        workers.executeBlocking(() -> documents.stream().map(SearchStore.Stored::from).map(SearchIndex::prepare).toList(), false)
          .compose(prepared -> {
            Future<Void> applied = writer.executeBlocking(() -> {
              prepared.forEach(memory::apply);
              compactIfWorthIt();
              return null;
            }, false);
            if (!last) {
              upstream.request(LOAD_BATCH);
            }
            return applied;
          })
          .onSuccess(v -> {
            if (last) {
              done.tryComplete(total);
            }
          })
          .onFailure(done::tryFail);
      }
    });
    return done.future();
  }

  private static SearchMemoryIndex.Prepared prepare(SearchStore.Stored stored) {
    if (stored.removed()) {
      return SearchMemoryIndex.Prepared.removal(stored.key(), stored.rev());
    }
    return SearchMemoryIndex.Prepared.of(stored.key(), kindCode(stored.kind()), stored.id(),
      stored.title() == null ? "" : stored.title(), stored.text() == null ? "" : stored.text(),
      stored.updatedAt() == null ? 0 : stored.updatedAt().toEpochMilli(), owner(stored.status(), stored.departmentId()),
      stored.rev());
  }

  /** An entry stored before status was kept is unpublished as far as anyone knows: admins only until re-indexed. */
  private static SearchMemoryIndex.Owner owner(String status, String departmentId) {
    return new SearchMemoryIndex.Owner(departmentId, PUBLISHED.equals(status));
  }

  private static byte kindCode(String kind) {
    return switch (kind) {
      case "interpretation" -> SearchMemoryIndex.INTERPRETATION;
      case "post" -> SearchMemoryIndex.POST;
      default -> SearchMemoryIndex.DOCUMENT;
    };
  }

  private static String kindName(byte code) {
    return switch (code) {
      case SearchMemoryIndex.INTERPRETATION -> "interpretation";
      case SearchMemoryIndex.POST -> "post";
      default -> "document";
    };
  }

  private static int kindMask(Set<String> kinds) {
    int mask = 0;
    for (String kind : kinds) {
      mask |= kindCode(kind);
    }
    return mask;
  }
}
