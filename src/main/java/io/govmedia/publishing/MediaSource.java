package io.govmedia.publishing;

import io.govmedia.media.MediaContent;
import io.vertx.core.Future;

import java.time.Duration;

/** Where publishers read the assets they upload to a channel ({@code MediaFeature::content} in the server). */
@FunctionalInterface
interface MediaSource {

  /** The asset's bytes; larger than {@code maxBytes} fails with a 422 problem, unknown with 404. */
  Future<MediaContent> read(String assetId, long maxBytes);

  /** Small assets (a cover) read at most once per {@link #CACHED_FOR} and size limit: a burst of slots shares them. */
  Duration CACHED_FOR = Duration.ofSeconds(5);
  int CACHED_MAX_BYTES = 512 * 1024;
  int CACHED_MAX_ASSETS = 16;

  /**
   * {@code source} with its small assets shared for a few seconds: a burst of slots of one post (one per account)
   * uploads the same cover, and each read is a few reads of GridFS. An asset's bytes never change under its id.
   */
  static MediaSource recent(MediaSource source) {
    Scheduler.Recent<String, MediaContent> cache = new Scheduler.Recent<>(CACHED_FOR, CACHED_MAX_ASSETS);
    return (assetId, maxBytes) -> cache.get(assetId + ":" + maxBytes, () -> source.read(assetId, maxBytes),
      content -> content.bytes().length() <= CACHED_MAX_BYTES);
  }
}
