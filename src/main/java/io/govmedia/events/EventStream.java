package io.govmedia.events;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One console's open {@code text/event-stream} response. Entries may be offered from any thread; everything else
 * runs on the connection's own event loop, so the state needs no locks. Until {@link #goLive()} live entries are
 * buffered (the stream is replaying what the client missed); after it, an entry is written unless the client
 * already has it (an id not after the last one sent), so the switch-over neither loses nor repeats an event.
 */
final class EventStream {

  /** Live entries held while replaying; a client that needs more is far behind and is dropped (it resumes). */
  static final int MAX_BUFFERED = 1_000;
  /** Bytes queued for a client before it counts as too slow and is dropped. */
  static final int WRITE_QUEUE_BYTES = 256 * 1024;
  private static final Buffer HEARTBEAT = Buffer.buffer(": keep-alive\n\n");

  private final Context context;
  private final HttpServerResponse response;
  private final long openedAt;
  private volatile Viewer viewer;
  private List<Entry> buffered = new ArrayList<>();
  private String lastSent;
  private final Consumer<EventStream> onGone;
  private boolean closed;
  private boolean gone;
  private Promise<Void> draining;

  /** {@code onGone} runs once, on the stream's context, when the response has ended or its connection closed. */
  EventStream(Context context, HttpServerResponse response, Viewer viewer, long openedAt, Consumer<EventStream> onGone) {
    this.context = context;
    this.response = response.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
    this.viewer = viewer;
    this.openedAt = openedAt;
    this.onGone = onGone;
    response.closeHandler(v -> gone());
    response.endHandler(v -> gone());
    response.drainHandler(v -> drainedNow());
  }

  Viewer viewer() {
    return viewer;
  }

  long openedAt() {
    return openedAt;
  }

  /** From any thread: queues the entry for this client if its audience includes the viewer. */
  void offer(Entry entry) {
    if (viewer.sees(entry.audience())) {
      context.runOnContext(v -> receive(entry));
    }
  }

  /** On the stream's context, while replaying: an entry read back from the stream. */
  void replayed(Entry entry) {
    if (viewer.sees(entry.audience())) {
      send(entry);
    }
  }

  /** On the stream's context: sends what arrived live during the replay, then sends live entries as they come. */
  void goLive() {
    List<Entry> held = buffered;
    buffered = null;
    held.forEach(this::send);
  }

  /** On the stream's context: the client's last id is older than the stream keeps; the console reloads. */
  void reset() {
    write(Buffer.buffer("event: reset\ndata: {}\n\n"));
  }

  /** Completes once the client has taken what is queued (or at once when little is), to pace a long replay. */
  Future<Void> drained() {
    if (closed || !response.writeQueueFull()) {
      return Future.succeededFuture();
    }
    draining = Promise.promise();
    return draining.future();
  }

  boolean closed() {
    return closed;
  }

  /** From any thread: writes the keep-alive comment with the viewer as it now stands (roles and reach reloaded). */
  void heartbeat(Viewer now) {
    viewer = now;
    context.runOnContext(v -> {
      if (response.writeQueueFull()) {
        drop();
      } else {
        write(HEARTBEAT);
      }
    });
  }

  /**
   * From any thread: ends the response. With a {@code reason} the console is told not to reconnect by itself
   * ({@code closed} event, e.g. signed out or superseded by a newer stream); without one it reconnects and resumes.
   */
  Future<Void> end(String reason) {
    Promise<Void> ended = Promise.promise();
    context.runOnContext(v -> {
      if (!closed) {
        closed = true;
        if (reason != null) {
          response.write("event: closed\ndata: " + new JsonObject().put("reason", reason).encode() + "\n\n");
        }
        response.end().onComplete(done -> ended.complete());
      } else {
        ended.complete();
      }
    });
    return ended.future();
  }

  /** On the stream's context: closes the connection of a client that cannot keep up; it reconnects and resumes. */
  void drop() {
    if (!closed) {
      closed = true;
      response.reset();
    }
  }

  private void gone() {
    closed = true;
    drainedNow();
    if (!gone) {
      gone = true;
      onGone.accept(this);
    }
  }

  private void drainedNow() {
    if (draining != null) {
      draining.tryComplete();
    }
  }

  private void receive(Entry entry) {
    if (closed) {
      return;
    }
    if (buffered == null) {
      send(entry);
    } else if (buffered.size() < MAX_BUFFERED) {
      buffered.add(entry);
    } else {
      drop();
    }
  }

  private void send(Entry entry) {
    if (lastSent != null && Entry.compare(entry.id(), lastSent) <= 0) {
      return;
    }
    lastSent = entry.id();
    write(entry.frame());
  }

  private void write(Buffer frame) {
    if (closed) {
      return;
    }
    if (buffered == null && response.writeQueueFull()) {
      drop();
      return;
    }
    response.write(frame);
  }
}
