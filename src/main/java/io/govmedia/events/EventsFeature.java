package io.govmedia.events;

import io.govmedia.auth.AuthFeature;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The staff consoles' live stream, {@code GET /api/v1/events}: events from every instance, through one Redis stream
 * and its pub/sub channel, to the consoles connected to this one, each seeing what its audience allows.
 */
public final class EventsFeature implements Feature {

  /** Streams one instance serves at most; beyond, 503 (the load balancer's other instances take them). */
  static final int CAPACITY = 2_000;
  /** Proxies and load balancers close idle connections (nginx after 60 s): a comment every 15 s keeps it open. */
  static final Duration HEARTBEAT = Duration.ofSeconds(15);
  private static final Logger log = LoggerFactory.getLogger(EventsFeature.class);

  private final EventLog eventLog;
  private final Streams streams;
  private final EventRoutes routes;
  private final Events events;
  private AutoCloseable subscription;

  public EventsFeature(Platform platform, AuthFeature auth) {
    eventLog = new EventLog(platform.redis());
    streams = new Streams(CAPACITY, auth);
    routes = new EventRoutes(new Tickets(platform.redis(), platform.clock()), eventLog, streams, platform.audit(),
      platform.clock());
    // compose: even an event that cannot be encoded fails only this future, never the caller's work.
    events = event -> Future.succeededFuture().compose(v -> eventLog.append(event))
      .<Void>mapEmpty()
      .recover(failure -> {
        log.warn("event {} not sent to the consoles", event.type(), failure);
        return Future.succeededFuture();
      });
  }

  public Events events() {
    return events;
  }

  /**
   * Subscribes once per instance. After a resubscription (Redis came back) entries announced meanwhile never
   * arrived here, so every stream is ended: the consoles reconnect and replay what they missed from the stream.
   */
  @Override
  public Future<?> start() {
    return eventLog.subscribe(streams::dispatch, streams::endAll).onSuccess(closer -> subscription = closer);
  }

  @Override
  public List<Periodic> periodic() {
    return List.of(new Periodic("event stream heartbeat", HEARTBEAT, streams::heartbeat));
  }

  @Override
  public void mountPublicApi(Mount mount) {
    mount.root().get("/api/v1/events").handler(routes::stream);
  }

  @Override
  public void mountStaffApi(Mount mount) {
    mount.root().route("/api/v1/events/*").subRouter(routes.routes(mount.vertx()));
  }

  /** Ends the streams before the HTTP servers close, so that consoles reconnect at once to another instance. */
  @Override
  public void close() throws Exception {
    if (subscription != null) {
      subscription.close();
    }
    streams.endAll().await(5, TimeUnit.SECONDS);
  }
}
