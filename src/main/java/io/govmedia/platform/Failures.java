package io.govmedia.platform;

import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoServerUnavailableException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** The one error handler: every failure leaves as {@code application/problem+json}. */
public final class Failures {

  public static final String PROBLEM_JSON = "application/problem+json; charset=utf-8";
  private static final Logger log = LoggerFactory.getLogger(Failures.class);
  /** Server selection or an operation timed out, a socket failed, or the primary is changing (a failover). */
  private static final List<Class<? extends MongoException>> MONGO_UNAVAILABLE = List.of(MongoTimeoutException.class,
    MongoSocketException.class, MongoExecutionTimeoutException.class, MongoNotPrimaryException.class,
    MongoNodeIsRecoveringException.class, MongoConnectionPoolClearedException.class,
    MongoServerUnavailableException.class);

  private Failures() {
  }

  public static void handle(RoutingContext ctx) {
    Problem problem = toProblem(ctx);
    if (problem.status() >= 500) {
      log.error("{} {} {} failed", RequestLog.id(ctx), ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    reply(ctx, problem);
  }

  public static void reply(RoutingContext ctx, Problem problem) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.headWritten()) {
      ctx.request().connection().close();
      return;
    }
    response.setStatusCode(problem.status()).putHeader("Content-Type", PROBLEM_JSON);
    if (problem.status() == 401) {
      response.putHeader("WWW-Authenticate", "Bearer");
    }
    Object retryAfter = problem.extensions().getValue("retryAfterSeconds");
    if (retryAfter != null) {
      response.putHeader("Retry-After", retryAfter.toString());
    }
    response.end(problem.toJson(ctx.request().path(), RequestLog.id(ctx)).encode());
  }

  /**
   * MongoDB or Redis unreachable, timing out, or unable to serve just now (failover, loading): the client may retry,
   * so 503 rather than 500. Told apart by the drivers' exception types along the cause chain, never by message text.
   * Public for code that must not mistake a store failure for bad input.
   */
  public static boolean isStoreUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RedisCommandExecutionException) {
        // Redis answered: an error reply is our mistake, unless it says Redis cannot serve at the moment.
        return t instanceof RedisLoadingException || t instanceof RedisBusyException || t instanceof RedisReadOnlyException;
      }
      // Lettuce rejects commands while disconnected, and cancels those in flight when the connection drops, with a
      // bare RedisException; its subclasses (protocol errors, interrupts) are not outages.
      if (t.getClass() == RedisException.class || t instanceof RedisConnectionException
        || t instanceof RedisCommandTimeoutException || isMongoUnavailable(t)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isMongoUnavailable(Throwable t) {
    return MONGO_UNAVAILABLE.stream().anyMatch(type -> type.isInstance(t));
  }

  static Problem toProblem(RoutingContext ctx) {
    return toProblem(ctx.failure(), ctx.statusCode());
  }

  /** The problem for a failure, or, when there is none, for the status code a route failed with. */
  static Problem toProblem(Throwable failure, int statusCode) {
    if (failure instanceof Problem problem) {
      return problem;
    }
    if (isStoreUnavailable(failure)) {
      return new Problem(503, "store-unavailable", "服务暂不可用，请稍后重试", "数据存储暂时无法访问。")
        .with("retryAfterSeconds", 5);
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : statusCode;
    return switch (status) {
      case 400 -> Problem.badRequest("bad-request", "请求格式错误", null);
      case 401 -> Problem.unauthorized("unauthorized", "未登录或登录已失效");
      case 403 -> Problem.forbidden(null);
      case 404 -> Problem.notFound("请求的资源");
      case 405 -> new Problem(405, "method-not-allowed", "不支持该请求方法", null);
      case 413 -> new Problem(413, "payload-too-large", "请求内容过大", "请求体超过了允许的大小。");
      case 415 -> new Problem(415, "unsupported-media-type", "不支持的内容类型", "请以 application/json 提交。");
      default -> status >= 400 && status < 500
        ? new Problem(status, "client-error", "请求有误", null)
        : new Problem(500, "internal-error", "服务器内部错误", "请稍后重试；如持续出现，请联系管理员并提供 requestId。");
    };
  }
}
