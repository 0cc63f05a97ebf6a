package io.govmedia.events;

import io.govmedia.auth.AuthFeature;
import io.govmedia.auth.DepartmentStore;
import io.govmedia.auth.Principal;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The streams open on this instance: at most {@link #capacity} in all and {@link #PER_STAFF} per staff member (per
 * instance; a sixth console tab closes the oldest). Every announced entry is offered to each of them, and every
 * heartbeat reloads each session's principal, so a member disabled or signed out after connecting is dropped at the
 * next heartbeat and a role or scope change applies from then on.
 */
final class Streams {

  static final int PER_STAFF = 5;
  private static final Logger log = LoggerFactory.getLogger(Streams.class);

  private final int capacity;
  private final AuthFeature auth;
  private final DepartmentStore departments;
  private final AtomicInteger reserved = new AtomicInteger();
  private final AtomicLong opened = new AtomicLong();
  private final Set<EventStream> open = ConcurrentHashMap.newKeySet();

  Streams(int capacity, AuthFeature auth) {
    this.capacity = capacity;
    this.auth = auth;
    this.departments = auth.departments();
  }

  /** Holds a place for a stream about to open; false when the instance is full. */
  boolean reserve() {
    if (reserved.incrementAndGet() > capacity) {
      reserved.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives back a place held by {@link #reserve()} for a stream that did not open. */
  void release() {
    reserved.decrementAndGet();
  }

  long nextOpening() {
    return opened.incrementAndGet();
  }

  /** Adds a stream on its reserved place; the member's oldest streams beyond {@link #PER_STAFF} are closed. */
  void add(EventStream stream) {
    open.add(stream);
    String staffId = stream.viewer().staffId();
    List<EventStream> theirs = open.stream().filter(s -> s.viewer().staffId().equals(staffId))
      .sorted(Comparator.comparingLong(EventStream::openedAt)).toList();
    theirs.subList(0, Math.max(0, theirs.size() - PER_STAFF)).forEach(oldest -> oldest.end("superseded"));
  }

  void remove(EventStream stream) {
    if (open.remove(stream)) {
      reserved.decrementAndGet();
    }
  }

  int size() {
    return open.size();
  }

  void dispatch(Entry entry) {
    open.forEach(stream -> stream.offer(entry));
  }

  /** Ends every stream; the consoles reconnect (to another instance, or this one again) and resume. */
  Future<?> endAll() {
    return Future.join(open.stream().map(stream -> stream.end(null)).toList());
  }

  /**
   * Reloads each session once however many streams it has open; a store that does not answer drops nobody (the
   * check runs again at the next heartbeat).
   */
  Future<?> heartbeat() {
    Map<String, List<EventStream>> bySession = open.stream()
      .collect(Collectors.groupingBy(s -> s.viewer().staffId() + " " + s.viewer().sessionId()));
    List<Future<?>> checks = new ArrayList<>();
    bySession.values().forEach(streams -> checks.add(recheck(streams)));
    return Future.join(checks);
  }

  private Future<?> recheck(List<EventStream> streams) {
    Viewer before = streams.get(0).viewer();
    return auth.standing(before.staffId(), before.sessionId())
      .compose(principal -> principal == null ? Future.succeededFuture((Viewer) null) : viewer(principal))
      .onSuccess(now -> streams.forEach(stream -> {
        if (now == null) {
          stream.end("signed-out");
        } else {
          stream.heartbeat(now);
        }
      }))
      .onFailure(failure -> {
        log.warn("could not re-check the session of an event stream; kept until the next heartbeat", failure);
        streams.forEach(stream -> stream.heartbeat(before));
      });
  }

  Future<Viewer> viewer(Principal principal) {
    return principal.isAdmin()
      ? Future.succeededFuture(Viewer.of(principal, Set.of()))
      : departments.reach(principal).map(reach -> Viewer.of(principal, reach));
  }
}
