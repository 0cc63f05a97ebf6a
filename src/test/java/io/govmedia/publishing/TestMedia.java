package io.govmedia.publishing;

import io.govmedia.media.MediaContent;
import io.govmedia.platform.Problem;
import io.vertx.core.Future;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Assets a publisher test uploads, held in memory and served the way {@code MediaFeature.content} answers: an unknown
 * id is 404, one over the channel's limit 422 {@code asset-too-large}.
 */
final class TestMedia implements MediaSource {

  private final Map<String, MediaContent> assets = new ConcurrentHashMap<>();

  void put(MediaContent content) {
    assets.put(content.id(), content);
  }

  @Override
  public Future<MediaContent> read(String assetId, long maxBytes) {
    MediaContent content = assets.get(assetId);
    if (content == null) {
      return Future.failedFuture(Problem.notFound("素材"));
    }
    return content.bytes().length() > maxBytes
      ? Future.failedFuture(new Problem(422, "asset-too-large", "素材超出渠道允许的大小", null))
      : Future.succeededFuture(content);
  }
}
