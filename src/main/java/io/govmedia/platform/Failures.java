package io.govmedia.platform;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one error handler: every failure leaves as {@code application/problem+json}. */
public final class Failures {

  public static final String PROBLEM_JSON = "application/problem+json; charset=utf-8";
  private static final Logger log = LoggerFactory.getLogger(Failures.class);

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

  /** MongoDB or Redis unreachable or timing out: the client may retry, so 503 rather than 500. */
  private static boolean isStoreUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof io.lettuce.core.RedisConnectionException || t instanceof io.lettuce.core.RedisCommandTimeoutException
        || t instanceof com.mongodb.MongoTimeoutException || t instanceof com.mongodb.MongoSocketException
        || t instanceof io.lettuce.core.RedisException && String.valueOf(t.getMessage()).contains("not connected")) {
        return true;
      }
    }
    return false;
  }

  static Problem toProblem(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof Problem problem) {
      return problem;
    }
    if (isStoreUnavailable(failure)) {
      return new Problem(503, "store-unavailable", "服务暂不可用，请稍后重试", "数据存储暂时无法访问。")
        .with("retryAfterSeconds", 5);
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
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
