package io.govmedia.citizen;

import io.govmedia.content.ContentFeature;
import io.govmedia.content.PublicItem;
import io.govmedia.media.MediaFeature;
import io.govmedia.platform.Redis;
import io.govmedia.publishing.PublishingFeature;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The citizens' feed, ordered in Redis because the embedded MongoDB scans: sorted sets of article ids scored by
 * publication time ({@code all}, {@code cat:<category>}, {@code acct:<mini-program account>}, {@code doc:<document>}),
 * and a hash of what the feed shows of each article ({@link FeedEntry}). A page is one range read and one hash read.
 * MongoDB stays the truth: the sets follow every publication, withdrawal and edit ({@link #refreshInterpretations},
 * {@link #refreshPost}, {@link #refreshDocument}) and are reconciled with MongoDB at every start ({@link #rebuild}).
 */
final class Feed {

  static final String PREFIX = Redis.PREFIX + "mp:feed:";
  static final String SUMMARY = PREFIX + "summary";
  static final String BUILT = PREFIX + "built";
  private static final int CHUNK = 500;
  private static final int ROUNDS = 5;
  private static final Logger log = LoggerFactory.getLogger(Feed.class);

  private final Redis redis;
  private final ContentFeature content;
  private final PublishingFeature publishing;
  private final MediaFeature media;
  private final String mediaBase;

  Feed(Redis redis, ContentFeature content, PublishingFeature publishing, MediaFeature media, String mediaBase) {
    this.redis = redis;
    this.content = content;
    this.publishing = publishing;
    this.media = media;
    this.mediaBase = mediaBase;
  }

  // Reading

  /** Where a page starts: after the article published at {@code millis} with this id (ties ordered by id). */
  record Cursor(long millis, String id) {
    String encode() {
      return millis + "_" + id;
    }
  }

  /** One page of entries, and where the next starts (null at the end). */
  record Found(List<FeedEntry> entries, Cursor next) {
  }

  /** The article's entry, or null when it is not in the feed. */
  Future<FeedEntry> entry(String id) {
    return Redis.await(redis.commands().hget(SUMMARY, id)).map(json -> json == null ? null : FeedEntry.decode(json));
  }

  /** Newest first from {@code set}, after {@code after}, keeping what {@code keep} accepts; up to {@code limit}. */
  Future<Found> page(String set, Cursor after, int limit, Predicate<FeedEntry> keep) {
    return round(PREFIX + set, after, limit, keep, new ArrayList<>(), ROUNDS);
  }

  private Future<Found> round(String key, Cursor after, int limit, Predicate<FeedEntry> keep, List<FeedEntry> kept,
                              int rounds) {
    int fetch = Math.max((limit + 1 - kept.size()) * 2, 20);
    Range<Double> range = after == null ? Range.create(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY)
      : Range.create(Double.NEGATIVE_INFINITY, (double) after.millis());
    return Redis.await(redis.commands().zrevrangebyscoreWithScores(key, range, Limit.create(0, fetch)))
      .compose(values -> {
        List<Cursor> scanned = values.stream().map(v -> new Cursor((long) v.getScore(), v.getValue()))
          .filter(c -> after == null || c.millis() < after.millis() || c.id().compareTo(after.id()) < 0).toList();
        if (scanned.isEmpty()) {
          return Future.succeededFuture(new Found(kept, null));
        }
        return entries(scanned.stream().map(Cursor::id).toList()).compose(found -> {
          for (Cursor c : scanned) {
            FeedEntry entry = found.get(c.id());
            if (entry != null && keep.test(entry)) {
              kept.add(entry);
              if (kept.size() > limit) {
                kept.remove(kept.size() - 1);
                FeedEntry last = kept.get(kept.size() - 1);
                return Future.succeededFuture(new Found(kept, new Cursor(last.score(), last.id())));
              }
            }
          }
          Cursor last = scanned.get(scanned.size() - 1);
          if (values.size() < fetch) {
            return Future.succeededFuture(new Found(kept, null));
          }
          // filtered out too many: go on from the last one seen, or hand the client a cursor to go on with
          return rounds <= 1 ? Future.succeededFuture(new Found(kept, last))
            : round(key, last, limit, keep, kept, rounds - 1);
        });
      });
  }

  /** The newest {@code limit} ids of a set. */
  Future<List<String>> newest(String set, int limit) {
    return Redis.await(redis.commands().zrevrange(PREFIX + set, 0, limit - 1));
  }

  /** The entries of these ids that are in the feed. */
  Future<Map<String, FeedEntry>> entries(List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return Redis.await(redis.commands().hmget(SUMMARY, ids.toArray(String[]::new))).map(values -> {
      Map<String, FeedEntry> found = new HashMap<>();
      for (KeyValue<String, String> kv : values) {
        if (kv.hasValue()) {
          found.put(kv.getKey(), FeedEntry.decode(kv.getValue()));
        }
      }
      return found;
    });
  }

  // Keeping it current

  /** Puts these interpretations where they belong now: listed while published, gone otherwise. */
  Future<Void> refreshInterpretations(Collection<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return content.publicItems("interpretation", ids)
      .compose(items -> entries(items, List.of(), Map.of()))
      .compose(fresh -> replace(ids, fresh));
  }

  /** Puts the post where it belongs now: listed while published on a mini-program, gone otherwise. */
  Future<Void> refreshPost(String postId) {
    return Future.all(content.publicItems("post", List.of(postId)), publishing.miniappPlacements(postId))
      .compose(both -> {
        List<PublicItem> posts = both.resultAt(0);
        List<PublishingFeature.MiniappPlacement> placed = both.resultAt(1);
        return entries(List.of(), placed.isEmpty() ? List.of() : posts, Map.of(postId, placed));
      })
      .compose(fresh -> replace(List.of(postId), fresh));
  }

  /** A document's interpretations show its category: they follow its changes. */
  Future<Void> refreshDocument(String documentId) {
    return Redis.await(redis.commands().zrange(PREFIX + "doc:" + documentId, 0, -1))
      .compose(this::refreshInterpretations);
  }

  /** Writes the fresh entries over what the hash holds for {@code ids}; an id without a fresh entry leaves the feed. */
  private Future<Void> replace(Collection<String> ids, List<FeedEntry> fresh) {
    Map<String, FeedEntry> now = fresh.stream().collect(Collectors.toMap(FeedEntry::id, e -> e, (a, b) -> a));
    List<String> all = List.copyOf(new LinkedHashSet<>(ids));
    return entries(all).compose(old -> Future.all(all.stream().map(id -> move(old.get(id), now.get(id))).toList()))
      .mapEmpty();
  }

  /** Moves an article from the sets it was in to the ones it belongs in now (none when {@code now} is null). */
  private Future<Void> move(FeedEntry old, FeedEntry now) {
    if (Objects.equals(old, now)) {
      return Future.succeededFuture();
    }
    var commands = redis.commands();
    List<Future<?>> writes = new ArrayList<>();
    Set<String> target = now == null ? Set.of() : new HashSet<>(now.sets());
    if (old != null) {
      old.sets().stream().filter(set -> !target.contains(set))
        .forEach(set -> writes.add(Redis.await(commands.zrem(PREFIX + set, old.id()))));
    }
    if (now != null) {
      target.forEach(set -> writes.add(Redis.await(commands.zadd(PREFIX + set, (double) now.score(), now.id()))));
      writes.add(Redis.await(commands.hset(SUMMARY, now.id(), now.encode())));
    } else {
      writes.add(Redis.await(commands.hdel(SUMMARY, old.id())));
    }
    return Future.all(writes).mapEmpty();
  }

  /**
   * Brings the sets in line with MongoDB: every published interpretation and every post with a published
   * mini-program slot listed, anything else removed. An article changed while this runs may be put back as it was;
   * its next change, or the next start, corrects it.
   */
  Future<Integer> rebuild() {
    return Future.all(Redis.await(redis.commands().hgetall(SUMMARY)), publishing.miniappPlacements())
      .compose(all -> {
        Map<String, String> known = all.resultAt(0) == null ? new HashMap<>() : new HashMap<>(all.<Map<String, String>>resultAt(0));
        Map<String, List<PublishingFeature.MiniappPlacement>> placements = all.<List<PublishingFeature.MiniappPlacement>>resultAt(1)
          .stream().collect(Collectors.groupingBy(PublishingFeature.MiniappPlacement::postId));
        List<String> postIds = List.copyOf(placements.keySet());
        List<Supplier<Future<List<FeedEntry>>>> batches = new ArrayList<>();
        for (int i = 0; i < postIds.size(); i += CHUNK) {
          List<String> chunk = postIds.subList(i, Math.min(postIds.size(), i + CHUNK));
          batches.add(() -> content.publicItems("post", chunk).compose(posts -> entries(List.of(), posts, placements)));
        }
        List<FeedEntry> fresh = new ArrayList<>();
        return interpretationsFrom(null, fresh).compose(v -> inTurn(batches, 0, fresh)).compose(done -> {
          // A difference found while changes go on may be a change made since it was read: unless the sets are
          // being built for the first time, each differing article is read again and written as it stands now.
          boolean first = known.isEmpty();
          List<Supplier<Future<Void>>> writes = new ArrayList<>();
          for (FeedEntry entry : fresh) {
            String had = known.remove(entry.id());
            FeedEntry old = had == null ? null : FeedEntry.decode(had);
            if (!entry.equals(old)) {
              writes.add(first ? () -> move(old, entry) : () -> refresh(entry));
            }
          }
          known.values().forEach(had -> writes.add(() -> refresh(FeedEntry.decode(had))));
          return writesInChunks(writes, 0)
            .compose(x -> Redis.await(redis.commands().set(BUILT, Instant.now().toString())))
            .map(fresh.size());
        });
      });
  }

  private Future<Void> refresh(FeedEntry entry) {
    return "post".equals(entry.kind()) ? refreshPost(entry.id()) : refreshInterpretations(List.of(entry.id()));
  }

  /** The published interpretations' entries, a batch of interpretations after another, in id order. */
  private Future<Void> interpretationsFrom(String afterId, List<FeedEntry> fresh) {
    return content.publishedInterpretations(afterId, CHUNK).compose(batch -> entries(batch.getKey(), List.of(), Map.of())
      .compose(entries -> {
        fresh.addAll(entries);
        return batch.getValue().isEmpty() ? Future.succeededFuture() : interpretationsFrom(batch.getValue(), fresh);
      }));
  }

  /** Whether the sets exist (false before the first build, or after Redis lost its data). */
  Future<Boolean> built() {
    return Redis.await(redis.commands().exists(BUILT)).map(n -> n != null && n > 0);
  }

  private static Future<List<FeedEntry>> inTurn(List<Supplier<Future<List<FeedEntry>>>> batches, int from,
                                                List<FeedEntry> done) {
    if (from >= batches.size()) {
      return Future.succeededFuture(done);
    }
    return batches.get(from).get().compose(entries -> {
      done.addAll(entries);
      return inTurn(batches, from + 1, done);
    });
  }

  private static Future<Void> writesInChunks(List<Supplier<Future<Void>>> writes, int from) {
    if (from >= writes.size()) {
      return Future.succeededFuture();
    }
    int to = Math.min(writes.size(), from + CHUNK);
    return Future.all(writes.subList(from, to).stream().map(Supplier::get).toList())
      .compose(v -> writesInChunks(writes, to));
  }

  // Building entries

  /**
   * The entries of these published interpretations and posts (posts with their mini-program placements), reading
   * what they show in a few batched queries: source interpretations, documents (for the category), asset types (for
   * the cover).
   */
  private Future<List<FeedEntry>> entries(List<PublicItem> interpretations, List<PublicItem> posts,
                                          Map<String, List<PublishingFeature.MiniappPlacement>> placements) {
    Set<String> sourceIds = posts.stream().filter(p -> "interpretation".equals(p.post().sourceKind()))
      .map(p -> p.post().sourceId()).collect(Collectors.toSet());
    Future<List<PublicItem>> sources = sourceIds.isEmpty() ? Future.succeededFuture(List.of())
      : content.publicItems("interpretation", sourceIds);
    return sources.compose(found -> {
      Map<String, PublicItem> sourceById = byId(found);
      Set<String> documentIds = new HashSet<>();
      Set<String> assetIds = new HashSet<>();
      for (PublicItem i : interpretations) {
        addIfPresent(documentIds, i.documentId());
        assetIds.addAll(i.assetIds());
      }
      for (PublicItem p : posts) {
        PublicItem source = sourceById.get(p.post().sourceId());
        addIfPresent(documentIds, source != null ? source.documentId() : p.documentId());
        if (source != null) {
          assetIds.addAll(source.assetIds());
        }
      }
      Future<List<PublicItem>> documents = documentIds.isEmpty() ? Future.succeededFuture(List.of())
        : content.publicItems("document", documentIds);
      Future<Map<String, String>> types = assetIds.isEmpty() ? Future.succeededFuture(Map.of()) : media.types(assetIds);
      return Future.all(documents, types).map(both -> {
        Map<String, PublicItem> documentById = byId(both.resultAt(0));
        Map<String, String> typeOf = both.resultAt(1);
        List<FeedEntry> entries = new ArrayList<>();
        interpretations.forEach(i -> entries.add(interpretation(i, documentById.get(i.documentId()), typeOf)));
        for (PublicItem p : posts) {
          List<PublishingFeature.MiniappPlacement> placed = placements.getOrDefault(p.id(), List.of());
          if (!placed.isEmpty()) {
            entries.add(post(p, sourceById.get(p.post().sourceId()), documentById, placed, typeOf));
          }
        }
        return entries;
      });
    });
  }

  private FeedEntry interpretation(PublicItem i, PublicItem document, Map<String, String> typeOf) {
    return new FeedEntry(i.id(), "interpretation", i.title(), FeedEntry.digestOf(null, i.bodyText()),
      firstImageThumbnail(i.assetIds(), typeOf), i.interpretation().form(), i.publishedAt(), category(document),
      i.documentId(), List.of());
  }

  private FeedEntry post(PublicItem p, PublicItem source, Map<String, PublicItem> documentById,
                         List<PublishingFeature.MiniappPlacement> placed, Map<String, String> typeOf) {
    String documentId = source != null ? source.documentId() : p.documentId();
    String form = source != null ? source.interpretation().form() : p.post().videoAssetId() != null ? "video" : "text";
    String cover = p.post().coverAssetId() != null ? thumbnail(p.post().coverAssetId())
      : source != null ? firstImageThumbnail(source.assetIds(), typeOf) : null;
    Instant first = placed.stream().map(PublishingFeature.MiniappPlacement::publishedAt).min(Comparator.naturalOrder())
      .orElseThrow();
    List<String> accounts = placed.stream().map(PublishingFeature.MiniappPlacement::accountId).distinct().sorted().toList();
    return new FeedEntry(p.id(), "post", p.title(), FeedEntry.digestOf(p.post().digest(), p.bodyText()), cover, form,
      first, category(documentById.get(documentId)), documentId, accounts);
  }

  private String firstImageThumbnail(List<String> assetIds, Map<String, String> typeOf) {
    return assetIds.stream().filter(id -> "image".equals(typeOf.get(id))).findFirst().map(this::thumbnail).orElse(null);
  }

  String thumbnail(String assetId) {
    return mediaBase + "/media/" + assetId + "/thumbnail";
  }

  private static String category(PublicItem document) {
    return document == null || document.document() == null ? null : document.document().category();
  }

  private static Map<String, PublicItem> byId(List<PublicItem> items) {
    return items.stream().collect(Collectors.toMap(PublicItem::id, Function.identity(), (a, b) -> a));
  }

  private static void addIfPresent(Set<String> ids, String id) {
    if (id != null) {
      ids.add(id);
    }
  }

  static void logRebuildFailure(Throwable failure) {
    log.warn("feed not rebuilt from MongoDB; tried again shortly (and at every start)", failure);
  }
}
