package io.govmedia.media;

import io.vertx.core.Future;

/**
 * A feature whose records use media assets (documents and interpretations today; posts and cases next).
 * Media asks every registered user before deleting an asset, and whether anyone may read it without signing in,
 * so media itself depends on no other feature.
 */
public interface AssetUsers {

  /** How many of this feature's records use the asset. */
  Future<Long> count(String assetId);

  /** Whether this feature's published content shows the asset, which makes it readable by anyone. */
  Future<Boolean> published(String assetId);
}
