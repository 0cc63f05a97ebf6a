package io.govmedia.platform;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A JSON request body read field by field with types checked. Every problem is collected, then
 * {@link #validate()} fails with all of them at once. Values are only ever handed on as typed Java values,
 * never as raw JSON, so a {@code {"$gt": ""}} cannot reach a query. Before any field is read, every string in the
 * body, nested ones and names included, must be clean text ({@link #isCleanText}): what is stored, hashed into the
 * audit chain and sent on to WeChat is then exactly what the client sent.
 */
public final class Input {

  private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");
  private static final int MAX_CHARACTER_ERRORS = 100;

  private final JsonObject json;
  private final JsonArray errors = new JsonArray();

  private Input(JsonObject json) {
    this.json = json;
  }

  public static Input of(RoutingContext ctx) {
    return of(jsonBody(ctx));
  }

  /** Fails with 400 {@code invalid-characters} when any string in {@code json} is not {@linkplain #isCleanText clean}. */
  public static Input of(JsonObject json) {
    JsonArray errors = new JsonArray();
    findUncleanText(json, "", errors);
    if (!errors.isEmpty()) {
      throw new Problem(400, "invalid-characters", "请求内容含有不允许的字符",
        "文本中不能有不成对的代理项（如 \\ud800）、Unicode 非字符（如 U+FFFE、U+FDD0）或制表、换行、回车以外的控制字符。")
        .with("errors", errors);
    }
    return new Input(json);
  }

  /**
   * Text that every store, hash and channel takes as it is: no unpaired UTF-16 surrogate (MongoDB would store
   * U+FFFD for it, UTF-8 encoders elsewhere '?'), no Unicode noncharacter (U+FDD0–U+FDEF, U+nFFFE, U+nFFFF), and no
   * C0 control but tab, line feed and carriage return (XML 1.0, and so WeChat's messages, cannot carry the others,
   * and no form a citizen or staff member fills in needs them). DEL and the C1 controls are let through, as XML
   * does.
   */
  static boolean isCleanText(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        if (isNoncharacter(Character.toCodePoint(c, text.charAt(++i)))) {
          return false;
        }
      } else if (Character.isSurrogate(c) || isNoncharacter(c) || c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        return false;
      }
    }
    return true;
  }

  private static boolean isNoncharacter(int codePoint) {
    return codePoint >= 0xFDD0 && codePoint <= 0xFDEF || (codePoint & 0xFFFE) == 0xFFFE;
  }

  /** Names each string (value or member name) that is not clean by its path, e.g. {@code items[2].name}. */
  private static void findUncleanText(Object value, String path, JsonArray errors) {
    if (errors.size() >= MAX_CHARACTER_ERRORS) {
      return;
    }
    if (value instanceof String text && !isCleanText(text)) {
      errors.add(new JsonObject().put("field", path.isEmpty() ? "(body)" : path).put("message", "含有不允许的字符"));
    } else if (value instanceof JsonObject object) {
      for (String name : object.fieldNames()) {
        String at = path.isEmpty() ? name : path + "." + name;
        if (!isCleanText(name)) {
          errors.add(new JsonObject().put("field", path.isEmpty() ? "(body)" : path)
            .put("message", "字段名含有不允许的字符"));
        } else {
          findUncleanText(object.getValue(name), at, errors);
        }
      }
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        findUncleanText(array.getValue(i), path + "[" + i + "]", errors);
      }
    }
  }

  /**
   * The version a client says it edited, from {@code If-Match} ({@code "3"}, {@code W/"3"} or {@code 3}); null
   * when absent. With it, a PATCH made from a stale view is refused instead of overwriting someone else's change.
   */
  public static Long ifMatch(RoutingContext ctx) {
    String header = ctx.request().getHeader("If-Match");
    if (header == null || header.isBlank()) {
      return null;
    }
    String digits = header.strip().replaceFirst("^W/", "").replace("\"", "");
    if (!digits.matches("\\d{1,18}")) {
      throw Problem.badRequest("invalid-if-match", "If-Match 应为资源的 version", "例如 If-Match: \"3\"");
    }
    return Long.parseLong(digits);
  }

  /** Fails with 409 when the client edited another version than the stored one. */
  public static void requireVersion(Long expected, long stored) {
    if (expected != null && expected != stored) {
      throw Problem.conflict("edit-conflict", "数据已被他人修改",
        "您修改的是第 " + expected + " 版，当前为第 " + stored + " 版；请刷新后重试。");
    }
  }

  static JsonObject jsonBody(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("application/json")) {
      throw new Problem(415, "unsupported-media-type", "不支持的内容类型", "请以 application/json 提交。");
    }
    // Without any body bytes the body handler leaves no buffer at all: length() is -1, not 0.
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw Problem.badRequest("invalid-json", "请求体不是合法的 JSON", "请求体为空。");
    }
    Object parsed;
    try {
      parsed = body.toJsonValue();
    } catch (DecodeException e) {
      throw Problem.badRequest("invalid-json", "请求体不是合法的 JSON", "请求体应为 UTF-8 编码的完整 JSON。");
    }
    if (!(parsed instanceof JsonObject object)) {
      throw Problem.badRequest("invalid-json", "请求体应为 JSON 对象", null);
    }
    return object;
  }

  public boolean has(String name) {
    return json.containsKey(name);
  }

  public String string(String name, int maxLength) {
    String value = optionalString(name, maxLength);
    if (value == null && !hasError(name)) {
      error(name, "必填");
    }
    return value;
  }

  public String optionalString(String name, int maxLength) {
    Object value = json.getValue(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      error(name, "应为字符串");
      return null;
    }
    String trimmed = s.strip();
    if (trimmed.isEmpty()) {
      error(name, "不能为空");
      return null;
    }
    if (trimmed.codePointCount(0, trimmed.length()) > maxLength) {
      error(name, "长度不能超过 " + maxLength + " 个字符");
      return null;
    }
    return trimmed;
  }

  /** A secret as typed: required, never trimmed (a password may start or end with a space), at most 256 chars. */
  public String password(String name) {
    Object value = json.getValue(name);
    if (value == null) {
      error(name, "必填");
      return null;
    }
    if (!(value instanceof String s) || s.isEmpty()) {
      error(name, value instanceof String ? "不能为空" : "应为字符串");
      return null;
    }
    if (s.length() > 256) {
      error(name, "长度不能超过 256 个字符");
      return null;
    }
    return s;
  }

  public String matching(String name, Pattern pattern, String expected) {
    String value = string(name, 512);
    return value == null || check(name, value, pattern, expected) ? value : null;
  }

  public String optionalMatching(String name, Pattern pattern, String expected) {
    String value = optionalString(name, 512);
    return value == null || check(name, value, pattern, expected) ? value : null;
  }

  public String oneOf(String name, Set<String> allowed) {
    String value = string(name, 64);
    if (value != null && !allowed.contains(value)) {
      error(name, "取值应为 " + String.join(" / ", allowed.stream().sorted().toList()) + " 之一");
      return null;
    }
    return value;
  }

  /** A list of strings; absent means empty, while an explicit null is an error (it reads like "clear"). */
  public List<String> strings(String name, int maxItems, Pattern itemPattern) {
    Object value = json.getValue(name);
    if (value == null) {
      if (json.containsKey(name)) {
        error(name, "不能为 null；清空请用 []");
      }
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      error(name, "应为字符串数组");
      return List.of();
    }
    if (array.size() > maxItems) {
      error(name, "最多 " + maxItems + " 项");
      return List.of();
    }
    List<String> items = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String item) || !itemPattern.matcher(item).matches()) {
        error(name + "[" + i + "]", "格式不正确");
        return List.of();
      }
      if (!items.contains(item)) {
        items.add(item);
      }
    }
    return List.copyOf(items);
  }

  public Long optionalLong(String name) {
    Object value = json.getValue(name);
    if (value == null) {
      return null;
    }
    if (value instanceof Number n && n.doubleValue() == n.longValue()) {
      return n.longValue();
    }
    error(name, "应为整数");
    return null;
  }

  public Boolean optionalBoolean(String name) {
    Object value = json.getValue(name);
    if (value == null || value instanceof Boolean) {
      return (Boolean) value;
    }
    error(name, "应为 true 或 false");
    return null;
  }

  public Instant optionalInstant(String name) {
    String value = optionalString(name, 64);
    if (value == null) {
      return null;
    }
    try {
      Instant instant = OffsetDateTime.parse(value).toInstant();
      if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
        error(name, "时间应在 2000 年到 2100 年之间");
        return null;
      }
      return instant;
    } catch (DateTimeParseException e) {
      error(name, "应为带时区的 ISO-8601 时间，如 2026-01-31T08:00:00+08:00");
      return null;
    }
  }

  public JsonObject optionalObject(String name) {
    Object value = json.getValue(name);
    if (value == null || value instanceof JsonObject) {
      return (JsonObject) value;
    }
    error(name, "应为 JSON 对象");
    return null;
  }

  public void error(String field, String message) {
    errors.add(new JsonObject().put("field", field).put("message", message));
  }

  /** Fails with every collected problem; call once all fields are read. */
  public void validate() {
    if (!errors.isEmpty()) {
      throw Problem.invalidFields(errors);
    }
  }

  private boolean check(String name, String value, Pattern pattern, String expected) {
    if (pattern.matcher(value).matches()) {
      return true;
    }
    error(name, "格式不正确，应为" + expected);
    return false;
  }

  private boolean hasError(String name) {
    for (int i = 0; i < errors.size(); i++) {
      if (name.equals(errors.getJsonObject(i).getString("field"))) {
        return true;
      }
    }
    return false;
  }
}
