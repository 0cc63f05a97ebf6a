package io.govmedia.events;

import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Input;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.govmedia.platform.RequestLog;
import io.govmedia.platform.Times;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code /api/v1/events}: the live stream (its ticket is the credential), the tickets, and admins' announcements.
 */
final class EventRoutes {

  /** Entries read back from Redis per round trip while replaying. */
  private static final int REPLAY_BATCH = 100;
  private static final Pattern ROLE = Pattern.compile(String.join("|", Role.NAMES));

  private final Tickets tickets;
  private final EventLog log;
  private final Streams streams;
  private final AuditLog audit;
  private final Clock clock;

  EventRoutes(Tickets tickets, EventLog log, Streams streams, AuditLog audit, Clock clock) {
    this.tickets = tickets;
    this.log = log;
    this.streams = streams;
    this.audit = audit;
    this.clock = clock;
  }

  /** Behind the bearer token. */
  Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.post("/ticket").handler(this::ticket);
    router.post("/announcements").handler(this::announce);
    return router;
  }

  private void ticket(RoutingContext ctx) {
    tickets.issue(Principal.of(ctx))
      .onSuccess(issued -> Reply.created(ctx, new JsonObject().put("ticket", issued.ticket())
        .put("expiresAt", Times.show(issued.expiresAt()))))
      .onFailure(ctx::fail);
  }

  /** An admin's notice to every console (or to the audience named), e.g. before maintenance or in an emergency. */
  private void announce(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN);
    Input input = Input.of(ctx);
    String message = input.text("message", 500);
    Set<Role> roles = input.strings("roles", Role.NAMES.size(), ROLE).stream().map(r -> Role.parse(r).orElseThrow())
      .collect(Collectors.toUnmodifiableSet());
    Event.Audience audience = new Event.Audience(roles, ids(input, "departmentIds"), ids(input, "accountIds"),
      ids(input, "staffIds"));
    input.validate();
    JsonObject data = new JsonObject().put("message", message).put("from", principal.username())
      .put("at", Times.show(clock.instant()));
    log.append(new Event("announcement", data, audience))
      .compose(id -> audit.append(principal.actor(), "events.announce", "event", id, null,
        data.copy().put("audience", new JsonObject(Entry.encode(audience))), RequestLog.id(ctx)).map(id))
      .onSuccess(id -> Reply.created(ctx, new JsonObject().put("id", id).put("type", "announcement").put("data", data)))
      .onFailure(ctx::fail);
  }

  private static Set<String> ids(Input input, String name) {
    return Set.copyOf(input.strings(name, 100, Ids.FORMAT));
  }

  /** Needs no bearer: the single-use ticket in the query is the credential. */
  void stream(RoutingContext ctx) {
    String ticket = ctx.request().getParam("ticket");
    String lastEventId = ctx.request().getHeader("Last-Event-ID");
    if (lastEventId == null) {
      lastEventId = ctx.request().getParam("lastEventId");
    }
    if (ticket == null) {
      throw Tickets.invalid();
    }
    if (!streams.reserve()) {
      throw new Problem(503, "too-many-streams", "实时通知连接数已满，请稍后重试", null).with("retryAfterSeconds", 30);
    }
    String resumeAfter = lastEventId;
    Context context = ctx.vertx().getOrCreateContext();
    tickets.redeem(ticket)
      .compose(streams::viewer)
      .onSuccess(viewer -> context.runOnContext(v -> open(ctx, context, viewer, resumeAfter)))
      .onFailure(failure -> {
        streams.release();
        ctx.fail(failure);
      });
  }

  private void open(RoutingContext ctx, Context context, Viewer viewer, String lastEventId) {
    if (ctx.response().closed()) {  // the client gave up while the ticket was checked
      streams.release();
      return;
    }
    HttpServerResponse response = ctx.response().setChunked(true)
      .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
      .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
      .putHeader("X-Accel-Buffering", "no")
      // The server compresses what it can; a compressor would hold events back until its buffer fills.
      .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
    EventStream stream = new EventStream(context, response, viewer, streams.nextOpening(), streams::remove);
    streams.add(stream);
    response.write("retry: 3000\n\n");
    catchUp(stream, lastEventId)
      .onSuccess(done -> stream.goLive())
      .onFailure(failure -> stream.drop());
  }

  /**
   * Replays what the client missed since {@code lastEventId} while live entries are held back; an id older than
   * what the stream keeps (or one that is not a stream id) gets a {@code reset} instead: the console reloads.
   */
  private Future<Void> catchUp(EventStream stream, String lastEventId) {
    if (lastEventId == null || lastEventId.isEmpty()) {
      return Future.succeededFuture();
    }
    if (!Entry.validId(lastEventId)) {
      stream.reset();
      return Future.succeededFuture();
    }
    return log.oldestId().compose(oldest -> {
      if (oldest == null || Entry.compare(lastEventId, oldest) < 0) {
        stream.reset();
        return Future.succeededFuture();
      }
      return replay(stream, lastEventId);
    });
  }

  private Future<Void> replay(EventStream stream, String after) {
    return log.after(after, REPLAY_BATCH).compose(batch -> {
      batch.forEach(stream::replayed);
      Future<Void> drained = stream.drained();
      return batch.size() < REPLAY_BATCH || stream.closed()
        ? drained
        : drained.compose(v -> replay(stream, batch.get(batch.size() - 1).id()));
    });
  }
}
