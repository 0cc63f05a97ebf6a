package io.govmedia.media;

import io.vertx.core.Future;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Which assets anyone may load: those used by published content, as the content feature answers (a scan of
 * documents and interpretations on the embedded store). An answer is remembered briefly per instance, so that a
 * popular image costs one scan a minute and not one per view; "public" for a minute (well under the five minutes
 * caches may keep it anyway), "not public" for ten seconds, so that a publication shows quickly.
 */
final class PublicAssets {

  static final Duration REMEMBER_PUBLIC = Duration.ofSeconds(60);
  static final Duration REMEMBER_NOT_PUBLIC = Duration.ofSeconds(10);
  private static final int MAX_REMEMBERED = 10_000;

  private final Function<String, Future<Boolean>> published;
  private final Clock clock;
  private final Map<String, Answer> remembered = new ConcurrentHashMap<>();

  private record Answer(boolean published, Instant until) {}

  PublicAssets(Function<String, Future<Boolean>> published, Clock clock) {
    this.published = published;
    this.clock = clock;
  }

  Future<Boolean> isPublic(String assetId) {
    Instant now = clock.instant();
    Answer known = remembered.get(assetId);
    if (known != null && now.isBefore(known.until())) {
      return Future.succeededFuture(known.published());
    }
    return published.apply(assetId).onSuccess(answer -> remember(assetId, answer, now));
  }

  private void remember(String assetId, boolean answer, Instant now) {
    if (remembered.size() >= MAX_REMEMBERED) {
      remembered.clear();  // crude, but bounded: at worst a burst of fresh lookups
    }
    remembered.put(assetId, new Answer(answer, now.plus(answer ? REMEMBER_PUBLIC : REMEMBER_NOT_PUBLIC)));
  }
}
