package io.govmedia.console;

import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.vertx.core.Future;

/**
 * The staff console at {@code /console/}: a page and its scripts, all served by this server (see {@link ConsoleFiles}).
 * It has no API of its own: the page calls the staff API with the bearer token it keeps in memory, and signs in
 * through the auth feature's cookie routes ({@code /api/v1/auth/console/*}).
 */
public final class ConsoleFeature implements Feature {

  private final Platform platform;
  private ConsoleFiles files;

  public ConsoleFeature(Platform platform) {
    this.platform = platform;
  }

  @Override
  public Future<?> start() {
    return platform.vertx().executeBlocking(ConsoleFiles::load, false).onSuccess(loaded -> files = loaded);
  }

  @Override
  public void mountRaw(Mount mount) {
    // Vert.x matches "/console" for "/console/" too: only the bare path is redirected.
    mount.root().get("/console").handler(ctx -> {
      if (ctx.request().path().endsWith("/")) {
        ctx.next();
      } else {
        ctx.response().setStatusCode(301).putHeader("Location", "/console/").end();
      }
    });
    mount.root().route("/console/*").handler(ctx -> files.handle(ctx));
  }
}
