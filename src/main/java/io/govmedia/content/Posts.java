package io.govmedia.content;

import io.govmedia.auth.Principal;
import io.govmedia.checks.Finding;
import io.vertx.core.Future;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** What the content library tells publishing about posts; implemented by {@link ContentFeature#posts()}. */
public interface Posts {

  /** The post at its current version, or null when there is none. */
  Future<PostView> find(String id);

  /**
   * The post if the principal sees it (its department in their reach, or an admin), failing with the same 404
   * problem as an unknown id otherwise.
   */
  Future<PostView> visible(Principal principal, String id);

  /**
   * The content checks again on what goes out (title, body, every variant's text): lists and leaders' titles
   * change after approval. Blocking findings mean the send must not happen.
   */
  Future<List<Finding>> recheck(PostView post);

  /**
   * The first successful send: the post becomes {@code published} (its public page appears, its assets become
   * public). Idempotent: a post already published stays as it was.
   */
  Future<Void> published(String postId, Instant at);

  /** Called with the post id after an edit made a new version: its slots of older versions must not go out. */
  void onNewVersion(Consumer<String> listener);
}
