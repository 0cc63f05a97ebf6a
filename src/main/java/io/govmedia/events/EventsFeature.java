package io.govmedia.events;

import io.govmedia.auth.AuthFeature;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.vertx.core.Future;

/**
 * The staff consoles' live stream, {@code GET /api/v1/events}. FOUNDATION STUB: events go on this instance's
 * event bus only ({@link #LOCAL_ADDRESS}); the stream, its tickets and the Redis fan-out come with the events work.
 */
public final class EventsFeature implements Feature {

  static final String LOCAL_ADDRESS = "govmedia.events.local";

  private final Events events;

  public EventsFeature(Platform platform, AuthFeature auth) {
    events = event -> {
      platform.vertx().eventBus().publish(LOCAL_ADDRESS, new io.vertx.core.json.JsonObject().put("type", event.type())
        .put("data", event.data()));
      return Future.succeededFuture();
    };
  }

  public Events events() {
    return events;
  }
}
