package io.govmedia.events;

import io.vertx.core.Future;

/** Sends events to the staff consoles on every instance ({@code GET /api/v1/events}). */
public interface Events {

  /** Succeeds once the event is on its way to every instance; never fails the caller's work for a lost event. */
  Future<Void> publish(Event event);
}
