package io.govmedia.publishing;

import io.govmedia.media.MediaContent;
import io.vertx.core.Future;

/** Where publishers read the assets they upload to a channel ({@code MediaFeature::content} in the server). */
@FunctionalInterface
interface MediaSource {

  /** The asset's bytes; larger than {@code maxBytes} fails with a 422 problem, unknown with 404. */
  Future<MediaContent> read(String assetId, long maxBytes);
}
