package io.govmedia.platform;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole configuration, read once at start from {@code conf/govmedia.json} with environment overrides,
 * and validated: a bad value stops the server with a message naming the setting.
 */
public record Config(Http http, Path dataDir, Mongo mongo, Redis redis, Security security, WeChat wechat,
                     Content content, Metrics metrics, Weibo weibo, Publishing publishing, Inbox inbox,
                     Citizen citizen) {

  /** {@code trustForwardedFor}: take the client address from X-Forwarded-For, set by our own load balancer. */
  public record Http(String host, int port, int instances, long bodyLimitBytes, boolean trustForwardedFor) {}

  /**
   * {@code embeddedSync}: the embedded store forces each commit to the disk (fsync), so that a power loss, not
   * only a killed process, loses no acknowledged write.
   */
  public record Mongo(Optional<String> uri, String database, boolean embeddedSync) {
    public boolean embedded() {
      return uri.isEmpty();
    }
  }

  public record Redis(Optional<String> uri) {
    public boolean embedded() {
      return uri.isEmpty();
    }
  }

  /**
   * WeChat's API: the base URL every official-account and mini-program call uses (a forward proxy's, or a
   * test fake's), the HTTP connections to it, and the worker threads that run WxJava's blocking calls.
   */
  public record WeChat(String apiBase, int httpConnections, int workerThreads, Duration timeout) {}

  /** Weibo's open platform: the base URL of its API and OAuth pages (a forward proxy's, or a test fake's). */
  public record Weibo(String apiBase) {}

  /**
   * Publishing to channels. {@code publicBaseUrl} is the office's HTTPS origin (no trailing slash): public pages
   * {@code /p/{id}}, the Weibo OAuth redirect and safe-domain links, signed URLs and the callback URL shown to
   * admins are built on it. A slot missed while every instance was down still goes out within {@code grace} of its
   * time; later it is {@code missed}. {@code concurrency}: sends in flight per instance. {@code lease}: how long an
   * instance holds a slot it sends without renewing; after an instance dies, its sends are taken over this late.
   */
  public record Publishing(String publicBaseUrl, Duration grace, int concurrency, Duration lease) {

    public Publishing(String publicBaseUrl, Duration grace, int concurrency) {
      this(publicBaseUrl, grace, concurrency, Duration.ofSeconds(60));
    }
  }

  /** A template message (模板消息) and the names of its fields for the case number and the summary of the text. */
  public record WeChatTemplate(String templateId, String numberField, String summaryField) {}

  /**
   * Where Prometheus scrapes {@code /metrics}: on the main port only when {@code onMainPort} (metrics.public), else on
   * a listener of its own at host:port (port 0: any free port, so that instances on one host never collide).
   */
  public record Metrics(boolean onMainPort, String host, int port) {}

  /**
   * Citizen cases. {@code limits}: answer limits in working days by category wire value ({@code consultation},
   * {@code complaint}…), plus {@code urgent} for an urgent case of any category but {@code disclosure_request}
   * (which runs on its statutory clock). Defaults from DOMAIN.md §2; setting {@code inbox.limits} (a JSON object)
   * overrides any of them. {@code assignmentCap}: automatic assignment gives nobody more open cases than this
   * (claims and assignments by hand may go beyond it). {@code sweepEvery}: how often each instance makes cases of
   * WeChat messages left pending (their instance died before handing them over). {@code poll}: how often each
   * account's Weibo comments, mentions and article comments are read. {@code commentDays}: how far back published
   * articles' comments are read. {@code wechatTemplates}: per official account's AppID, the template message a
   * notice falls back to when the 48-hour customer-service window is closed. {@code deadlineSweepEvery}: how often
   * the deadline sweep looks for due reminders and breaches; {@code hotIssueSize}: the number of linked cases at which
   * a hot issue is announced; {@code similarDays}: how far back similar cases of other citizens are suggested.
   */
  public record Inbox(Map<String, Integer> limits, int assignmentCap, Duration sweepEvery, Duration poll,
                      int commentDays, Map<String, WeChatTemplate> wechatTemplates, Duration deadlineSweepEvery,
                      int hotIssueSize, int similarDays) {

    public static final Map<String, Integer> DEFAULT_LIMITS = Map.of("consultation", 5, "complaint", 7,
      "suggestion", 10, "help", 5, "report", 7, "disclosure_request", 20, "urgent", 1);

    public Inbox {
      limits = Map.copyOf(limits);
      wechatTemplates = Map.copyOf(wechatTemplates);
    }
  }

  /**
   * What citizens may send through the mini-program: messages and follow-ups a day per openid and per network
   * address (Asia/Shanghai days), images per message, and the length of a message in characters (code points).
   */
  public record Citizen(int messagesPerDay, int messagesPerAddress, int imagesPerMessage, int contentMax) {}

  /** The review stages every document, interpretation and post passes, each approved by a different reviewer. */
  public record Content(List<String> reviewStages) {}

  /** Secrets come from the environment only, never from the file. */
  public record Security(Optional<String> masterKey, Optional<String> adminPassword, Duration accessTokenTtl,
                         Duration refreshTokenTtl, int loginMaxFailures, Duration loginWindow) {}

  public static final String CONFIG_FILE_ENV = "GOVMEDIA_CONFIG";

  /** Every setting a file key can hold, with the environment variable that overrides it. */
  static final Map<String, String> ENV_OVERRIDES = Map.ofEntries(
    Map.entry("http.host", "GOVMEDIA_HTTP_HOST"),
    Map.entry("http.port", "GOVMEDIA_HTTP_PORT"),
    Map.entry("http.instances", "GOVMEDIA_HTTP_INSTANCES"),
    Map.entry("http.bodyLimitBytes", "GOVMEDIA_HTTP_BODY_LIMIT"),
    Map.entry("http.trustForwardedFor", "GOVMEDIA_HTTP_TRUST_FORWARDED_FOR"),
    Map.entry("dataDir", "GOVMEDIA_DATA_DIR"),
    Map.entry("mongo.uri", "GOVMEDIA_MONGO_URI"),
    Map.entry("mongo.database", "GOVMEDIA_MONGO_DATABASE"),
    Map.entry("mongo.embeddedSync", "GOVMEDIA_MONGO_EMBEDDED_SYNC"),
    Map.entry("redis.uri", "GOVMEDIA_REDIS_URI"),
    Map.entry("security.accessTokenTtlSeconds", "GOVMEDIA_ACCESS_TOKEN_TTL"),
    Map.entry("security.refreshTokenTtlSeconds", "GOVMEDIA_REFRESH_TOKEN_TTL"),
    Map.entry("security.loginMaxFailures", "GOVMEDIA_LOGIN_MAX_FAILURES"),
    Map.entry("security.loginWindowSeconds", "GOVMEDIA_LOGIN_WINDOW"),
    Map.entry("wechat.apiBase", "GOVMEDIA_WECHAT_API_BASE"),
    Map.entry("wechat.httpConnections", "GOVMEDIA_WECHAT_HTTP_CONNECTIONS"),
    Map.entry("wechat.workerThreads", "GOVMEDIA_WECHAT_WORKER_THREADS"),
    Map.entry("wechat.timeoutSeconds", "GOVMEDIA_WECHAT_TIMEOUT"),
    Map.entry("weibo.apiBase", "GOVMEDIA_WEIBO_API_BASE"),
    Map.entry("publicBaseUrl", "GOVMEDIA_PUBLIC_BASE_URL"),
    Map.entry("publishing.graceSeconds", "GOVMEDIA_PUBLISH_GRACE"),
    Map.entry("publishing.concurrency", "GOVMEDIA_PUBLISH_CONCURRENCY"),
    Map.entry("publishing.leaseSeconds", "GOVMEDIA_PUBLISH_LEASE"),
    Map.entry("content.reviewStages", "GOVMEDIA_REVIEW_STAGES"),
    Map.entry("metrics.public", "GOVMEDIA_METRICS_PUBLIC"),
    Map.entry("metrics.host", "GOVMEDIA_METRICS_HOST"),
    Map.entry("metrics.port", "GOVMEDIA_METRICS_PORT"),
    Map.entry("inbox.limits", "GOVMEDIA_INBOX_LIMITS"),
    Map.entry("inbox.assignmentCap", "GOVMEDIA_INBOX_ASSIGNMENT_CAP"),
    Map.entry("inbox.sweepSeconds", "GOVMEDIA_INBOX_SWEEP_SECONDS"),
    Map.entry("inbox.pollSeconds", "GOVMEDIA_INBOX_POLL_SECONDS"),
    Map.entry("inbox.commentDays", "GOVMEDIA_INBOX_COMMENT_DAYS"),
    Map.entry("inbox.wechatTemplates", "GOVMEDIA_INBOX_WECHAT_TEMPLATES"),
    Map.entry("inbox.deadlineSweepSeconds", "GOVMEDIA_INBOX_DEADLINE_SWEEP_SECONDS"),
    Map.entry("inbox.hotIssueSize", "GOVMEDIA_INBOX_HOT_ISSUE_SIZE"),
    Map.entry("inbox.similarDays", "GOVMEDIA_INBOX_SIMILAR_DAYS"),
    Map.entry("citizen.messagesPerDay", "GOVMEDIA_CITIZEN_MESSAGES_PER_DAY"),
    Map.entry("citizen.messagesPerAddress", "GOVMEDIA_CITIZEN_MESSAGES_PER_ADDRESS"),
    Map.entry("citizen.imagesPerMessage", "GOVMEDIA_CITIZEN_IMAGES_PER_MESSAGE"),
    Map.entry("citizen.contentMax", "GOVMEDIA_CITIZEN_CONTENT_MAX"));

  static final String MASTER_KEY_ENV = "GOVMEDIA_MASTER_KEY";
  static final String ADMIN_PASSWORD_ENV = "GOVMEDIA_ADMIN_PASSWORD";

  /** Reads the file named by GOVMEDIA_CONFIG (default {@code conf/govmedia.json}) and applies the environment. */
  public static Config load(Map<String, String> env) {
    String named = env.get(CONFIG_FILE_ENV);
    Path file = Path.of(named == null || named.isEmpty() ? "conf/govmedia.json" : named);
    if (named != null && !named.isEmpty() && !Files.exists(file)) {
      throw new ConfigException("setting " + CONFIG_FILE_ENV + " names " + file + ", which does not exist");
    }
    JsonObject json = Files.exists(file) ? readFile(file) : new JsonObject();
    return from(json, env);
  }

  public static Config from(JsonObject file, Map<String, String> env) {
    Reader r = new Reader(file, env);
    Http http = new Http(
      r.string("http.host", "0.0.0.0"),
      (int) r.integer("http.port", 8080, 0, 65535),
      (int) r.integer("http.instances", 0, 0, 256),
      r.integer("http.bodyLimitBytes", 1_048_576, 1024, 64L * 1024 * 1024),
      r.bool("http.trustForwardedFor", false));
    Path dataDir = Path.of(r.string("dataDir", "./data"));
    Mongo mongo = new Mongo(r.optionalUri("mongo.uri", "mongodb"), r.string("mongo.database", "govmedia"),
      r.bool("mongo.embeddedSync", false));
    Redis redis = new Redis(r.optionalUri("redis.uri", "redis", "rediss", "redis-sentinel"));
    Security security = new Security(
      r.secret(MASTER_KEY_ENV),
      r.secret(ADMIN_PASSWORD_ENV),
      Duration.ofSeconds(r.integer("security.accessTokenTtlSeconds", 900, 60, 86_400)),
      Duration.ofSeconds(r.integer("security.refreshTokenTtlSeconds", 1_209_600, 600, 7_776_000)),
      (int) r.integer("security.loginMaxFailures", 5, 1, 100),
      Duration.ofSeconds(r.integer("security.loginWindowSeconds", 900, 60, 86_400)));
    WeChat wechat = new WeChat(
      r.httpUrl("wechat.apiBase", "https://api.weixin.qq.com"),
      (int) r.integer("wechat.httpConnections", 50, 1, 1000),
      (int) r.integer("wechat.workerThreads", 16, 1, 200),
      Duration.ofSeconds(r.integer("wechat.timeoutSeconds", 10, 1, 120)));
    Weibo weibo = new Weibo(r.httpUrl("weibo.apiBase", "https://api.weibo.com"));
    Publishing publishing = new Publishing(stripSlash(r.httpUrl("publicBaseUrl", "http://localhost:8080")),
      Duration.ofSeconds(r.integer("publishing.graceSeconds", 1800, 0, 7 * 86_400)),
      (int) r.integer("publishing.concurrency", 32, 1, 1000),
      Duration.ofSeconds(r.integer("publishing.leaseSeconds", 60, 1, 3600)));
    Content content = new Content(r.names("content.reviewStages", List.of("初审", "复审", "终审"), 1, 5));
    Metrics metrics = new Metrics(r.bool("metrics.public", false), r.string("metrics.host", "127.0.0.1"),
      (int) r.integer("metrics.port", 9464, 0, 65535));
    Inbox inbox = new Inbox(r.limits("inbox.limits", Inbox.DEFAULT_LIMITS, 1, 60),
      (int) r.integer("inbox.assignmentCap", 30, 1, 10_000),
      Duration.ofSeconds(r.integer("inbox.sweepSeconds", 30, 1, 3600)),
      Duration.ofSeconds(r.integer("inbox.pollSeconds", 180, 1, 86_400)),
      (int) r.integer("inbox.commentDays", 7, 1, 365), r.templates("inbox.wechatTemplates"),
      Duration.ofSeconds(r.integer("inbox.deadlineSweepSeconds", 30, 1, 3600)),
      (int) r.integer("inbox.hotIssueSize", 5, 2, 1000), (int) r.integer("inbox.similarDays", 7, 1, 90));
    Citizen citizen = new Citizen((int) r.integer("citizen.messagesPerDay", 10, 1, 10_000),
      (int) r.integer("citizen.messagesPerAddress", 50, 1, 1_000_000),
      (int) r.integer("citizen.imagesPerMessage", 9, 0, 9), (int) r.integer("citizen.contentMax", 2000, 10, 10_000));
    return new Config(http, dataDir, mongo, redis, security, wechat, content, metrics, weibo, publishing, inbox,
      citizen);
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  public Config withHttpPort(int port) {
    return new Config(new Http(http.host, port, http.instances, http.bodyLimitBytes, http.trustForwardedFor), dataDir,
      mongo, redis, security, wechat, content, metrics, weibo, publishing, inbox, citizen);
  }

  public int httpInstances() {
    return http.instances > 0 ? http.instances : Runtime.getRuntime().availableProcessors();
  }

  private static JsonObject readFile(Path file) {
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException | DecodeException e) {
      throw new ConfigException("config file " + file + " cannot be read as JSON: " + e.getMessage());
    }
  }

  /** A setting that is missing, malformed or out of range. The message names it. */
  public static final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
      super(message, null, false, false);
    }
  }

  private record Reader(JsonObject file, Map<String, String> env) {

    String string(String key, String fallback) {
      Object value = raw(key);
      if (value == null) {
        return fallback;
      }
      if (!(value instanceof String s) || s.isBlank()) {
        throw invalid(key, "must be a non-empty string", value);
      }
      return s;
    }

    long integer(String key, long fallback, long min, long max) {
      Object value = raw(key);
      if (value == null) {
        return fallback;
      }
      long parsed;
      try {
        parsed = value instanceof Number n && n.doubleValue() == n.longValue() ? n.longValue() : Long.parseLong(value.toString().trim());
      } catch (NumberFormatException e) {
        throw invalid(key, "must be a whole number", value);
      }
      if (parsed < min || parsed > max) {
        throw invalid(key, "must be between " + min + " and " + max, value);
      }
      return parsed;
    }

    /** A list of names: a JSON array in the file, comma-separated in the environment. */
    List<String> names(String key, List<String> fallback, int min, int max) {
      Object value = raw(key);
      if (value == null) {
        return fallback;
      }
      List<String> names = new java.util.ArrayList<>();
      if (value instanceof io.vertx.core.json.JsonArray array) {
        array.forEach(item -> names.add(String.valueOf(item).strip()));
      } else {
        for (String part : value.toString().split(",")) {
          names.add(part.strip());
        }
      }
      if (names.size() < min || names.size() > max || names.stream().anyMatch(n -> n.isEmpty() || n.length() > 20)
        || names.stream().distinct().count() != names.size()) {
        throw invalid(key, "must list " + min + " to " + max + " distinct names of at most 20 characters", value);
      }
      return List.copyOf(names);
    }

    /**
     * Whole numbers by name ({@code {"complaint": 7}}, in the environment as that JSON), on top of the defaults;
     * a name the defaults do not have is refused.
     */
    Map<String, Integer> limits(String key, Map<String, Integer> defaults, int min, int max) {
      Object value = raw(key);
      if (value == null) {
        return defaults;
      }
      JsonObject given;
      try {
        given = value instanceof JsonObject object ? object : new JsonObject(value.toString());
      } catch (DecodeException e) {
        throw invalid(key, "must be a JSON object of whole numbers", value);
      }
      Map<String, Integer> limits = new java.util.HashMap<>(defaults);
      for (String name : given.fieldNames()) {
        Object days = given.getValue(name);
        if (!defaults.containsKey(name) || !(days instanceof Number n) || n.doubleValue() != n.intValue()
          || n.intValue() < min || n.intValue() > max) {
          throw invalid(key, "must map " + String.join(", ", new java.util.TreeSet<>(defaults.keySet()))
            + " to whole numbers from " + min + " to " + max, value);
        }
        limits.put(name, n.intValue());
      }
      return limits;
    }

    /**
     * Template messages by AppID: {@code {"wx…": {"templateId", "numberField", "summaryField"}}}, a JSON object in
     * the file or a JSON string in the environment.
     */
    Map<String, WeChatTemplate> templates(String key) {
      Object value = raw(key);
      if (value == null) {
        return Map.of();
      }
      JsonObject all;
      try {
        all = value instanceof JsonObject object ? object : new JsonObject(value.toString());
      } catch (DecodeException e) {
        throw invalid(key, "must be a JSON object", "(not JSON)");
      }
      Map<String, WeChatTemplate> templates = new java.util.HashMap<>();
      for (String appId : all.fieldNames()) {
        Object entry = all.getValue(appId);
        if (!(entry instanceof JsonObject t) || !nonEmpty(t, "templateId") || !nonEmpty(t, "numberField")
          || !nonEmpty(t, "summaryField")) {
          throw invalid(key, "must map each AppID to {templateId, numberField, summaryField}", appId);
        }
        templates.put(appId, new WeChatTemplate(t.getString("templateId"), t.getString("numberField"),
          t.getString("summaryField")));
      }
      return templates;
    }

    private static boolean nonEmpty(JsonObject json, String field) {
      return json.getValue(field) instanceof String s && !s.isBlank();
    }

    boolean bool(String key, boolean fallback) {
      Object value = raw(key);
      if (value == null) {
        return fallback;
      }
      if (value instanceof Boolean b) {
        return b;
      }
      return switch (value.toString().trim()) {
        case "true" -> true;
        case "false" -> false;
        default -> throw invalid(key, "must be true or false", value);
      };
    }

    /** An http(s) base URL without a trailing slash. */
    String httpUrl(String key, String fallback) {
      String value = string(key, fallback).strip();
      try {
        URI uri = URI.create(value);
        if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
          && uri.getQuery() == null) {
          return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        }
      } catch (IllegalArgumentException e) {
        // reported below
      }
      throw invalid(key, "must be an http:// or https:// base URL", value);
    }

    Optional<String> optionalUri(String key, String... schemes) {
      Object value = raw(key);
      if (value == null || (value instanceof String s && s.isBlank())) {
        return Optional.empty();
      }
      String uri = value.toString().trim();
      String scheme;
      try {
        scheme = URI.create(uri).getScheme();
      } catch (IllegalArgumentException e) {
        throw invalid(key, "must be a URI", "(unparseable)");
      }
      for (String allowed : schemes) {
        if (allowed.equals(scheme) || (allowed + "+srv").equals(scheme)) {
          return Optional.of(uri);
        }
      }
      // The value may hold a password: name the scheme only.
      throw invalid(key, "must start with " + String.join("://, ", schemes) + "://", scheme + "://…");
    }

    Optional<String> secret(String envName) {
      String value = env.get(envName);
      return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private Object raw(String key) {
      String envName = ENV_OVERRIDES.get(key);
      if (envName != null && env.get(envName) != null && !env.get(envName).isEmpty()) {
        return env.get(envName);
      }
      JsonObject node = file;
      String[] parts = key.split("\\.");
      for (int i = 0; i < parts.length - 1; i++) {
        Object child = node.getValue(parts[i]);
        if (!(child instanceof JsonObject object)) {
          return null;
        }
        node = object;
      }
      return node.getValue(parts[parts.length - 1]);
    }

    private ConfigException invalid(String key, String rule, Object value) {
      return new ConfigException("setting " + key + " (" + ENV_OVERRIDES.get(key) + ") " + rule + ", got '" + value + "'");
    }
  }
}
