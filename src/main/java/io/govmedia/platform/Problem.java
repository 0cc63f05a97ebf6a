package io.govmedia.platform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A failure a client can act on, answered as RFC 7807 {@code application/problem+json}: a stable {@code code}
 * for programs and a Chinese {@code title} for people.
 */
public final class Problem extends RuntimeException {

  private final int status;
  private final String code;
  private final String title;
  private final JsonObject extensions;

  public Problem(int status, String code, String title, String detail) {
    this(status, code, title, detail, new JsonObject());
  }

  private Problem(int status, String code, String title, String detail, JsonObject extensions) {
    super(detail, null, false, false);
    this.status = status;
    this.code = code;
    this.title = title;
    this.extensions = extensions;
  }

  public static Problem badRequest(String code, String title, String detail) {
    return new Problem(400, code, title, detail);
  }

  public static Problem invalidFields(JsonArray errors) {
    return new Problem(400, "invalid-body", "请求内容不符合要求", "一个或多个字段有误，见 errors。",
      new JsonObject().put("errors", errors));
  }

  public static Problem unauthorized(String code, String title) {
    return new Problem(401, code, title, null);
  }

  public static Problem forbidden(String detail) {
    return new Problem(403, "forbidden", "无权执行此操作", detail);
  }

  public static Problem notFound(String what) {
    return new Problem(404, "not-found", "未找到" + what, null);
  }

  public static Problem conflict(String code, String title, String detail) {
    return new Problem(409, code, title, detail);
  }

  public Problem with(String key, Object value) {
    return new Problem(status, code, title, getMessage(), extensions.copy().put(key, value));
  }

  public JsonObject extensions() {
    return extensions.copy();
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String title() {
    return title;
  }

  public JsonObject toJson(String instance, String requestId) {
    JsonObject json = new JsonObject()
      .put("type", "urn:govmedia:problem:" + code)
      .put("title", title)
      .put("status", status)
      .put("code", code);
    if (getMessage() != null) {
      json.put("detail", getMessage());
    }
    return json.put("instance", instance).put("requestId", requestId).mergeIn(extensions);
  }
}
