package io.govmedia.platform;

import io.vertx.core.AsyncResult;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} when it is sane), echoes it in the response,
 * and writes one access-log line per request with it: method, path, the status actually sent and the time taken,
 * or {@code -} and {@code closed} when the client went away before an answer. Query strings are not logged: they
 * may carry tokens.
 */
public final class RequestLog {

  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "requestId";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{8,64}");
  private static final Logger log = LoggerFactory.getLogger("govmedia.access");

  private RequestLog() {
  }

  public static void handle(RoutingContext ctx) {
    String known = ctx.get(KEY);
    if (known != null) {
      // A reroute (a HEAD answered as its GET) runs the router again and clears the response headers; the log
      // line is already on its way, naming the method the client sent.
      ctx.response().putHeader(HEADER, known);
      ctx.next();
      return;
    }
    String offered = ctx.request().getHeader(HEADER);
    String id = offered != null && SANE.matcher(offered).matches() ? offered : newId();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    HttpMethod method = ctx.request().method();
    String path = ctx.request().path();
    long started = System.nanoTime();
    // The end handler also runs when the connection closes or fails first; only what went out is logged.
    ctx.addEndHandler(done -> log.info("{} {} {} {} {}ms{}", id, method, path, status(ctx.response()),
      (System.nanoTime() - started) / 1_000_000, outcome(ctx.response(), done)));
    ctx.next();
  }

  /** The status the client was sent, once the answer's head went out; "-" for a request left unanswered. */
  private static String status(HttpServerResponse response) {
    return response.headWritten() ? String.valueOf(response.getStatusCode()) : "-";
  }

  /** Nothing for a whole answer (even one after which the server closed); else why it is missing or cut short. */
  private static String outcome(HttpServerResponse response, AsyncResult<Void> done) {
    if (done.succeeded() || response.ended() && response.headWritten()) {
      return "";
    }
    return response.closed() ? " closed" : " failed: " + done.cause().getClass().getSimpleName();
  }

  public static String id(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "-" : id;
  }

  /** Request ids only need to be unique enough to find a request in the logs, not unguessable. */
  private static String newId() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }
}
