package io.govmedia.weibo;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Weibo's open API over Vert.x WebClient: nothing blocks. Every failure is a {@link WeiboException} whose kind says
 * whether the request may have taken effect. Tokens travel in the {@code Authorization: OAuth2} header, never in a
 * URL, and are never logged.
 */
public final class WeiboClient implements AutoCloseable {

  /** A token from the OAuth exchange: Weibo gives web apps no refresh token. */
  public record Grant(String accessToken, String uid, Duration expiresIn) {
  }

  /** A picture to post: its MIME type and bytes (the publisher reads them from the media library). */
  public record Picture(String mime, Buffer bytes) {
  }

  /** A posted status: {@code id} is Weibo's idstr. */
  public record Status(String id, String text, Instant createdAt) {
  }

  /**
   * A comment to one of the account's statuses, or a status mentioning the account: {@code id} is the comment's (or
   * the mentioning status's) idstr, {@code statusId} the status it belongs to (a mention's own id), {@code uid} and
   * {@code nickname} its author.
   */
  public record Message(String id, String statusId, String uid, String nickname, String text, Instant createdAt) {
  }

  /** Weibo takes pictures under 5 MB. */
  public static final long MAX_PICTURE_BYTES = 5L * 1024 * 1024;
  private static final Set<String> PICTURE_TYPES = Set.of("image/jpeg", "image/gif", "image/png");
  private static final int CONNECT_TIMEOUT_MS = 5000;
  // Weibo writes "Tue May 31 17:46:55 +0800 2011".
  private static final DateTimeFormatter CREATED_AT = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z yyyy",
    Locale.ENGLISH);

  private final WebClient web;
  private final String apiBase;
  private final long timeoutMs;

  /** {@code apiBase} without a trailing slash (Weibo's, a forward proxy's or a fake's); {@code timeout} per answer. */
  public WeiboClient(Vertx vertx, String apiBase, Duration timeout) {
    this.web = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS)
      .setUserAgent("govmedia").setFollowRedirects(false));
    this.apiBase = apiBase;
    this.timeoutMs = timeout.toMillis();
  }

  /** The user's authorization page; {@code state} comes back on the redirect. */
  public String authorizeUrl(String appKey, String redirectUri, String state) {
    return apiBase + "/oauth2/authorize?client_id=" + encode(appKey) + "&redirect_uri=" + encode(redirectUri)
      + "&response_type=code&state=" + encode(state);
  }

  /** Exchanges an authorization code for the account's token. */
  public Future<Grant> accessToken(String appKey, String appSecret, String code, String redirectUri) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("client_id", appKey).add("client_secret", appSecret)
      .add("grant_type", "authorization_code").add("code", code).add("redirect_uri", redirectUri);
    return answer(request(web.postAbs(apiBase + "/oauth2/access_token"), null).sendForm(form))
      .compose(json -> {
        String token = json.getString("access_token");
        Object uid = json.getValue("uid");
        Long expiresIn = number(json.getValue("expires_in"));
        if (token == null || uid == null || expiresIn == null) {
          return Future.failedFuture(malformed("access_token"));
        }
        return Future.succeededFuture(new Grant(token, uid.toString(), Duration.ofSeconds(expiresIn)));
      });
  }

  /**
   * Posts {@code status} (which must carry a link on the app's safe domain) with an optional picture. {@code rip}
   * is the real address of the person posting, which Weibo requires. A picture that is not a JPEG/GIF/PNG under
   * 5 MB is refused before anything is sent.
   */
  public Future<Status> share(String token, String status, Picture picture, String rip) {
    HttpRequest<Buffer> request = request(web.postAbs(apiBase + "/2/statuses/share.json"), token);
    if (picture == null) {
      return answer(request.sendForm(MultiMap.caseInsensitiveMultiMap().add("status", status).add("rip", rip)))
        .compose(WeiboClient::status);
    }
    if (!PICTURE_TYPES.contains(picture.mime()) || picture.bytes().length() >= MAX_PICTURE_BYTES) {
      return Future.failedFuture(new WeiboException(WeiboException.Kind.REFUSED, 0,
        "微博配图须为 JPEG、GIF 或 PNG，且小于 5 MB", null));
    }
    String boundary = "govmedia-" + java.util.UUID.randomUUID();
    Buffer body = Buffer.buffer()
      .appendString(field(boundary, "status", status)).appendString(field(boundary, "rip", rip))
      .appendString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"pic\"; filename=\""
        + filename(picture) + "\"\r\nContent-Type: " + picture.mime() + "\r\n\r\n")
      .appendBuffer(picture.bytes()).appendString("\r\n--" + boundary + "--\r\n");
    return answer(request.putHeader("Content-Type", "multipart/form-data; boundary=" + boundary).sendBuffer(body))
      .compose(WeiboClient::status);
  }

  /** Deletes one of the account's statuses. */
  public Future<Void> destroy(String token, String id) {
    return answer(request(web.postAbs(apiBase + "/2/statuses/destroy.json"), token)
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("id", id))).mapEmpty();
  }

  /** The user's latest statuses, newest first; {@code sinceId} (may be null) keeps only newer ones. */
  public Future<List<Status>> userTimeline(String token, String uid, String sinceId, int count) {
    HttpRequest<Buffer> request = request(web.getAbs(apiBase + "/2/statuses/user_timeline.json"), token)
      .addQueryParam("uid", uid).addQueryParam("count", String.valueOf(count));
    if (sinceId != null) {
      request.addQueryParam("since_id", sinceId);
    }
    return answer(request.send()).compose(json -> {
      JsonArray statuses = json.getJsonArray("statuses");
      if (statuses == null) {
        return Future.failedFuture(malformed("user_timeline"));
      }
      return Future.all(statuses.stream().map(item -> item instanceof JsonObject s ? status(s)
          : Future.<Status>failedFuture(malformed("user_timeline"))).toList())
        .map(all -> all.<Status>list());
    });
  }

  /** Comments to the account's statuses newer than {@code sinceId} (may be null), newest first; {@code page} from 1. */
  public Future<List<Message>> commentsToMe(String token, String sinceId, int count, int page) {
    return messages(token, "/2/comments/to_me.json", "comments", sinceId, count, page);
  }

  /** Statuses mentioning the account newer than {@code sinceId} (may be null), newest first; {@code page} from 1. */
  public Future<List<Message>> mentions(String token, String sinceId, int count, int page) {
    return messages(token, "/2/statuses/mentions.json", "statuses", sinceId, count, page);
  }

  /** Replies to comment {@code commentId} on status {@code statusId}; answers the reply's id. */
  public Future<String> reply(String token, String statusId, String commentId, String comment, String rip) {
    return answer(request(web.postAbs(apiBase + "/2/comments/reply.json"), token).sendForm(MultiMap
      .caseInsensitiveMultiMap().add("id", statusId).add("cid", commentId).add("comment", comment).add("rip", rip)))
      .compose(json -> idOf(json, "comments/reply"));
  }

  /** Comments on status {@code statusId} (answering a mention); answers the comment's id. */
  public Future<String> comment(String token, String statusId, String comment, String rip) {
    return answer(request(web.postAbs(apiBase + "/2/comments/create.json"), token).sendForm(MultiMap
      .caseInsensitiveMultiMap().add("id", statusId).add("comment", comment).add("rip", rip)))
      .compose(json -> idOf(json, "comments/create"));
  }

  private Future<List<Message>> messages(String token, String path, String field, String sinceId, int count, int page) {
    HttpRequest<Buffer> request = request(web.getAbs(apiBase + path), token)
      .addQueryParam("count", String.valueOf(count)).addQueryParam("page", String.valueOf(page));
    if (sinceId != null) {
      request.addQueryParam("since_id", sinceId);
    }
    return answer(request.send()).compose(json -> {
      JsonArray items = json.getJsonArray(field);
      List<Message> found = new java.util.ArrayList<>();
      for (Object item : items == null ? new JsonArray() : items) {
        Message message = item instanceof JsonObject m ? message(m) : null;
        if (message == null) {
          return Future.failedFuture(malformed(path));
        }
        found.add(message);
      }
      return items == null ? Future.failedFuture(malformed(path)) : Future.succeededFuture(found);
    });
  }

  /** A comment (with the status it belongs to) or a status (its own status); null when a field Weibo always sends is missing. */
  private static Message message(JsonObject json) {
    String id = idstr(json);
    JsonObject user = json.getJsonObject("user");
    JsonObject status = json.getJsonObject("status");
    String statusId = status == null ? id : idstr(status);
    Instant createdAt = createdAt(json);
    if (id == null || statusId == null || user == null || idstr(user) == null || createdAt == null) {
      return null;
    }
    return new Message(id, statusId, idstr(user), user.getString("screen_name"), json.getString("text", ""), createdAt);
  }

  private static Future<String> idOf(JsonObject json, String what) {
    String id = idstr(json);
    return id == null ? Future.failedFuture(malformed(what)) : Future.succeededFuture(id);
  }

  private static String idstr(JsonObject json) {
    return json.getString("idstr", json.getValue("id") == null ? null : json.getValue("id").toString());
  }

  private static Instant createdAt(JsonObject json) {
    try {
      return ZonedDateTime.parse(json.getString("created_at", ""), CREATED_AT).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private HttpRequest<Buffer> request(HttpRequest<Buffer> request, String token) {
    if (token != null) {
      request.putHeader("Authorization", "OAuth2 " + token);
    }
    return request.timeout(timeoutMs);
  }

  /** Weibo's JSON answer, or the failure sorted by kind. */
  private static Future<JsonObject> answer(Future<HttpResponse<Buffer>> sent) {
    return sent.recover(failure -> Future.failedFuture(transport(failure))).compose(response -> {
      JsonObject json = json(response.body());
      if (json != null && json.containsKey("error_code")) {
        Long code = number(json.getValue("error_code"));
        return Future.failedFuture(WeiboException.of(code == null ? 0 : code.intValue(), json.getString("error"),
          retryAfter(response.getHeader("Retry-After"))));
      }
      if (response.statusCode() / 100 == 2 && json != null) {
        return Future.succeededFuture(json);
      }
      // A gateway's 5xx page: Weibo may or may not have done the work behind it.
      WeiboException.Kind kind = response.statusCode() >= 500 ? WeiboException.Kind.UNKNOWN_OUTCOME
        : WeiboException.Kind.REFUSED;
      return Future.failedFuture(new WeiboException(kind, 0, "微博接口答复 HTTP " + response.statusCode(), null));
    });
  }

  /** No connection means nothing was sent; anything after the connection (timeout, reset) may have been. */
  private static WeiboException transport(Throwable failure) {
    boolean neverSent = failure instanceof ConnectException || failure instanceof UnknownHostException
      || failure.getCause() instanceof ConnectException;
    return new WeiboException(neverSent ? WeiboException.Kind.UNREACHABLE : WeiboException.Kind.UNKNOWN_OUTCOME, 0,
      (neverSent ? "无法连接微博：" : "微博未及时答复：") + failure.getClass().getSimpleName(), null);
  }

  private static Future<Status> status(JsonObject json) {
    String id = idstr(json);
    Instant createdAt = createdAt(json);
    if (id == null || createdAt == null) {
      return Future.failedFuture(malformed("status"));
    }
    return Future.succeededFuture(new Status(id, json.getString("text", ""), createdAt));
  }

  private static JsonObject json(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      return body.toJsonObject();
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  private static Long number(Object value) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    try {
      return value == null ? null : Long.parseLong(value.toString());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Duration retryAfter(String header) {
    Long seconds = number(header);
    return seconds == null || seconds < 0 ? null : Duration.ofSeconds(seconds);
  }

  /** An answer without the fields Weibo always sends: a proxy's page, or a changed API. */
  private static WeiboException malformed(String what) {
    return new WeiboException(WeiboException.Kind.UNKNOWN_OUTCOME, 0, "微博答复无法识别（" + what + "）", null);
  }

  /** One text part of a multipart body, UTF-8 (Weibo reads the status as UTF-8). */
  private static String field(String boundary, String name, String value) {
    return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
      + "\"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + value + "\r\n";
  }

  /** The picture's own name stays here: it may be anything an editor uploaded, and Weibo does not need it. */
  private static String filename(Picture picture) {
    return "pic." + (picture.mime().equals("image/jpeg") ? "jpg" : picture.mime().substring("image/".length()));
  }

  private static String encode(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    web.close();
  }
}
