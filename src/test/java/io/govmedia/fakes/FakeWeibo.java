package io.govmedia.fakes;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small Weibo open-API server on loopback, speaking Weibo's protocol for what the server uses: OAuth (authorize
 * redirects with a code for the app's signed-in user; access_token exchanges a code once), statuses/share (form or
 * multipart with {@code pic}; refuses a status without a link on the safe domain, over 140 Weibo characters, without
 * {@code rip}, or repeating an earlier text; keeps the text with its links shortened to t.cn as Weibo does),
 * statuses/destroy and statuses/user_timeline; comments to the user's statuses and mentions of the user (added by
 * tests, read through comments/to_me and statuses/mentions with since_id and pages) and the app's own comments
 * (comments/reply, comments/create: at most 140 Weibo characters, rip required). Calls are counted per path and per
 * token's user, with the most that were ever unanswered at once. Errors are Weibo's {@code {error, error_code, request}}. Tests script
 * errors per path, answers that come only after a delay (the work is done at once), and connections dropped after
 * the work is done.
 */
public final class FakeWeibo implements AutoCloseable {

  /** A status as the fake stores it: {@code text} with t.cn links, as the timeline shows it. */
  public record Post(long id, String uid, String text, String rip, String pictureMime, int pictureBytes,
                     Instant createdAt) {
  }

  /**
   * A comment to {@code ownerUid}'s status, or (with {@code mention}) a status mentioning {@code ownerUid}, written
   * by {@code authorUid}; a reply the app posted through comments/reply or comments/create has {@code replyTo}.
   */
  public record Comment(long id, String statusId, String ownerUid, String authorUid, String nickname, String text,
                        boolean mention, String replyTo, Instant createdAt) {
  }

  private record Grant(String appKey, String uid, long expiresIn, String redirectUri) {
  }

  private record Token(String uid, long expiresAtMillis) {
  }

  private record User(String uid, long expiresIn) {
  }

  private static final Pattern URL = Pattern.compile("https?://[^\\s]+");
  private static final DateTimeFormatter CREATED_AT = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z yyyy",
    Locale.ENGLISH).withZone(ZoneOffset.ofHours(8));
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private final Vertx vertx = Vertx.vertx();
  private final String safeDomain;
  private final Path uploads;
  private final Map<String, String> apps = new ConcurrentHashMap<>();
  private final Map<String, User> signedIn = new ConcurrentHashMap<>();
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final List<Post> posts = new ArrayList<>();
  private final Map<String, Deque<Integer>> scriptedErrors = new ConcurrentHashMap<>();
  private final Map<String, Deque<Long>> delays = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> resets = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final List<Comment> comments = new ArrayList<>();
  private final Map<String, AtomicInteger> callsByUser = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> mostInFlight = new ConcurrentHashMap<>();
  private final AtomicInteger shares = new AtomicInteger();
  private final AtomicInteger duplicateShares = new AtomicInteger();
  private final AtomicLong nextId = new AtomicLong(4_900_000_000_000_000L);
  private HttpServer server;

  private FakeWeibo(String safeDomain, Path uploads) {
    this.safeDomain = safeDomain;
    this.uploads = uploads;
  }

  /** {@code safeDomain}: the host (or parent domain) a status's link must be on, as set in Weibo's app console. */
  public static FakeWeibo start(String safeDomain) {
    FakeWeibo fake;
    try {
      fake = new FakeWeibo(safeDomain, Files.createTempDirectory("fake-weibo"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      fake.server = fake.vertx.createHttpServer().requestHandler(fake.router()).listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      fake.close();
      throw new IllegalStateException("fake Weibo did not start", e);
    }
    return fake;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public String safeDomain() {
    return safeDomain;
  }

  public FakeWeibo app(String appKey, String appSecret) {
    apps.put(appKey, appSecret);
    return this;
  }

  /** Who is signed in to Weibo when the app's authorize page is opened: the codes it hands out are theirs. */
  public FakeWeibo signedIn(String appKey, String uid, long tokenExpiresInSeconds) {
    signedIn.put(appKey, new User(uid, tokenExpiresInSeconds));
    return this;
  }

  /** A token the API accepts for the user, as if an authorization had handed it out. */
  public FakeWeibo token(String token, String uid, long expiresInSeconds) {
    tokens.put(token, new Token(uid, System.currentTimeMillis() + expiresInSeconds * 1000));
    return this;
  }

  /** The next calls to {@code path} answer these Weibo error codes, in order, without doing anything. */
  public FakeWeibo failNext(String path, Integer... errorCodes) {
    scriptedErrors.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(errorCodes));
    return this;
  }

  /** The next call to {@code path} does its work at once but answers only after {@code millis}. */
  public FakeWeibo delayNext(String path, long millis) {
    delays.computeIfAbsent(path, p -> new ArrayDeque<>()).add(millis);
    return this;
  }

  /** The next call to {@code path} does its work, then drops the connection without answering. */
  public FakeWeibo resetNext(String path) {
    resets.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    return this;
  }

  /** Statuses posted through share (refusals not counted). */
  public int shares() {
    return shares.get();
  }

  /** Shares whose text the user had posted already, accepted or refused: a send that went out twice shows here. */
  public int duplicateShares() {
    return duplicateShares.get();
  }

  public int calls(String path) {
    return calls.getOrDefault(path, new AtomicInteger()).get();
  }

  /** Calls to {@code path} made with a token of {@code uid}. */
  public int calls(String path, String uid) {
    return callsByUser.getOrDefault(path + " " + uid, new AtomicInteger()).get();
  }

  /** The most calls to {@code path} with a token of {@code uid} that were ever unanswered at the same time. */
  public int mostAtOnce(String path, String uid) {
    return mostInFlight.getOrDefault(path + " " + uid, new AtomicInteger()).get();
  }

  /** A citizen's comment to one of {@code ownerUid}'s statuses; answers it as stored. */
  public synchronized Comment commentTo(String ownerUid, String statusId, String authorUid, String nickname, String text) {
    Comment comment = new Comment(nextId.incrementAndGet(), statusId, ownerUid, authorUid, nickname, text, false, null,
      Instant.now());
    comments.add(comment);
    return comment;
  }

  /** A citizen's status mentioning {@code ownerUid} (@ the account); answers it as stored. */
  public synchronized Comment mention(String ownerUid, String authorUid, String nickname, String text) {
    long id = nextId.incrementAndGet();
    Comment mention = new Comment(id, String.valueOf(id), ownerUid, authorUid, nickname, text, true, null, Instant.now());
    comments.add(mention);
    return mention;
  }

  /** What {@code uid}'s token posted through comments/reply and comments/create, oldest first. */
  public synchronized List<Comment> repliesBy(String uid) {
    return comments.stream().filter(c -> c.replyTo() != null && c.authorUid().equals(uid)).toList();
  }

  /** The user's statuses, newest first. */
  public synchronized List<Post> posts(String uid) {
    return posts.stream().filter(p -> p.uid().equals(uid)).sorted(Comparator.comparingLong(Post::id).reversed()).toList();
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(uploads.toString()).setDeleteUploadedFilesOnEnd(true));
    router.route().handler(this::scripted);
    router.get("/oauth2/authorize").handler(this::authorize);
    router.post("/oauth2/access_token").handler(this::accessToken);
    router.post("/2/statuses/share.json").handler(this::share);
    router.post("/2/statuses/destroy.json").handler(this::destroy);
    router.get("/2/statuses/user_timeline.json").handler(this::timeline);
    router.get("/2/comments/to_me.json").handler(ctx -> received(ctx, false));
    router.get("/2/statuses/mentions.json").handler(ctx -> received(ctx, true));
    router.post("/2/comments/reply.json").handler(this::reply);
    router.post("/2/comments/create.json").handler(this::reply);
    return router;
  }

  private void scripted(RoutingContext ctx) {
    calls.computeIfAbsent(ctx.request().path(), p -> new AtomicInteger()).incrementAndGet();
    Token caller = tokens.get(String.valueOf(bearer(ctx)));
    if (caller != null) {
      String key = ctx.request().path() + " " + caller.uid();
      callsByUser.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      int now = inFlight.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      mostInFlight.computeIfAbsent(key, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
      ctx.addEndHandler(done -> inFlight.get(key).decrementAndGet());
    }
    Deque<Integer> errors = scriptedErrors.get(ctx.request().path());
    Integer code = errors == null ? null : errors.poll();
    if (code == null) {
      ctx.next();
      return;
    }
    error(ctx, code, "scripted error " + code);
  }

  private void authorize(RoutingContext ctx) {
    String appKey = ctx.request().getParam("client_id");
    String redirectUri = ctx.request().getParam("redirect_uri");
    User user = appKey == null ? null : signedIn.get(appKey);
    if (user == null || !apps.containsKey(appKey) || redirectUri == null) {
      error(ctx, 21323, "invalid_client");
      return;
    }
    String code = random(32);
    codes.put(code, new Grant(appKey, user.uid(), user.expiresIn(), redirectUri));
    String state = ctx.request().getParam("state");
    ctx.response().setStatusCode(302).putHeader("Location", redirectUri + "?code=" + code
      + (state == null ? "" : "&state=" + state)).end();
  }

  /** Parameters come in the form or in the query, as Weibo accepts both. */
  private void accessToken(RoutingContext ctx) {
    String appKey = ctx.request().getParam("client_id");
    if (appKey == null || !apps.containsKey(appKey)) {
      error(ctx, 21323, "invalid_client");
      return;
    }
    if (!apps.get(appKey).equals(ctx.request().getParam("client_secret"))) {
      error(ctx, 21324, "unauthorized_client");
      return;
    }
    Grant grant = codes.remove(String.valueOf(ctx.request().getParam("code")));
    if (grant == null || !grant.appKey().equals(appKey)
      || !"authorization_code".equals(ctx.request().getParam("grant_type"))) {
      error(ctx, 21325, "invalid_grant");
      return;
    }
    if (!grant.redirectUri().equals(ctx.request().getParam("redirect_uri"))) {
      error(ctx, 21322, "redirect_uri_mismatch");
      return;
    }
    String token = "2.00" + random(28);
    token(token, grant.uid(), grant.expiresIn());
    respond(ctx, new JsonObject().put("access_token", token).put("expires_in", grant.expiresIn())
      .put("remind_in", String.valueOf(grant.expiresIn())).put("uid", grant.uid()));
  }

  private void share(RoutingContext ctx) {
    String uid = user(ctx);
    if (uid == null) {
      return;
    }
    String status = ctx.request().getFormAttribute("status");
    String rip = ctx.request().getFormAttribute("rip");
    if (status == null || status.isBlank() || rip == null || rip.isBlank()) {
      error(ctx, 10016, "miss required parameter (status, rip)");
      return;
    }
    if (!linksSafeDomain(status)) {
      error(ctx, 20021, "status must contain a link on the app's safe domain");
      return;
    }
    String shortened = shorten(status);
    if (weiboLength(shortened) > 140) {
      error(ctx, 20012, "Text too long, please input text less than 140 characters!");
      return;
    }
    FileUpload pic = ctx.fileUploads().stream().filter(f -> f.name().equals("pic")).findFirst().orElse(null);
    Post post;
    synchronized (this) {
      String comparable = withoutLinks(status);
      if (posts.stream().anyMatch(p -> p.uid().equals(uid) && withoutLinks(p.text()).equals(comparable))) {
        duplicateShares.incrementAndGet();
        error(ctx, 20019, "repeat content!");
        return;
      }
      post = new Post(nextId.incrementAndGet(), uid, shortened, rip, pic == null ? null : pic.contentType(),
        pic == null ? 0 : (int) pic.size(), Instant.now());
      posts.add(post);
    }
    shares.incrementAndGet();
    respond(ctx, json(post));
  }

  private void destroy(RoutingContext ctx) {
    String uid = user(ctx);
    if (uid == null) {
      return;
    }
    String id = ctx.request().getFormAttribute("id");
    Post removed = null;
    synchronized (this) {
      for (Post post : posts) {
        if (String.valueOf(post.id()).equals(id) && post.uid().equals(uid)) {
          removed = post;
        }
      }
      posts.remove(removed);
    }
    if (removed == null) {
      error(ctx, 20101, "target weibo does not exist!");
      return;
    }
    respond(ctx, json(removed));
  }

  private void timeline(RoutingContext ctx) {
    String uid = user(ctx);
    if (uid == null) {
      return;
    }
    String wanted = ctx.request().getParam("uid", uid);
    long sinceId = Long.parseLong(ctx.request().getParam("since_id", "0"));
    int count = Math.min(100, Integer.parseInt(ctx.request().getParam("count", "20")));
    JsonArray statuses = new JsonArray();
    posts(wanted).stream().filter(p -> p.id() > sinceId).limit(count).forEach(p -> statuses.add(json(p)));
    respond(ctx, new JsonObject().put("statuses", statuses).put("total_number", posts(wanted).size()));
  }

  /** Comments to the user's statuses, or statuses mentioning the user: newer than since_id, newest first, paged. */
  private void received(RoutingContext ctx, boolean mentions) {
    String uid = user(ctx);
    if (uid == null) {
      return;
    }
    long sinceId = Long.parseLong(ctx.request().getParam("since_id", "0"));
    int count = Math.min(200, Integer.parseInt(ctx.request().getParam("count", "50")));
    int page = Math.max(1, Integer.parseInt(ctx.request().getParam("page", "1")));
    JsonArray items = new JsonArray();
    List<Comment> found;
    synchronized (this) {
      found = comments.stream().filter(c -> c.ownerUid().equals(uid) && c.mention() == mentions && c.id() > sinceId)
        .sorted(Comparator.comparingLong(Comment::id).reversed()).toList();
    }
    found.stream().skip((long) (page - 1) * count).limit(count).forEach(c -> items.add(json(c)));
    respond(ctx, new JsonObject().put(mentions ? "statuses" : "comments", items).put("total_number", found.size()));
  }

  /** comments/reply (cid, id) or comments/create (id): a comment of at most 140 Weibo characters, with rip. */
  private void reply(RoutingContext ctx) {
    String uid = user(ctx);
    if (uid == null) {
      return;
    }
    String statusId = ctx.request().getFormAttribute("id");
    String text = ctx.request().getFormAttribute("comment");
    String rip = ctx.request().getFormAttribute("rip");
    boolean isReply = ctx.request().path().endsWith("reply.json");
    String cid = ctx.request().getFormAttribute("cid");
    if (statusId == null || text == null || text.isBlank() || rip == null || (isReply && cid == null)) {
      error(ctx, 10016, "miss required parameter (id, comment, rip" + (isReply ? ", cid)" : ")"));
      return;
    }
    if (weiboLength(shorten(text)) > 140) {
      error(ctx, 20012, "Text too long, please input text less than 140 characters!");
      return;
    }
    Comment posted;
    synchronized (this) {
      posted = new Comment(nextId.incrementAndGet(), statusId, uid, uid, null, text, false, isReply ? cid : statusId,
        Instant.now());
      comments.add(posted);
    }
    respond(ctx, json(posted));
  }

  private JsonObject json(Comment comment) {
    JsonObject user = new JsonObject().put("id", Long.parseLong(comment.authorUid())).put("idstr", comment.authorUid())
      .put("screen_name", comment.nickname());
    JsonObject json = new JsonObject().put("id", comment.id()).put("idstr", String.valueOf(comment.id()))
      .put("text", comment.text()).put("created_at", CREATED_AT.format(comment.createdAt())).put("user", user);
    if (!comment.mention()) {
      json.put("status", new JsonObject().put("id", Long.parseLong(comment.statusId())).put("idstr", comment.statusId()));
    }
    return json;
  }

  private static String bearer(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    return header != null && header.startsWith("OAuth2 ") ? header.substring(7) : ctx.request().getParam("access_token");
  }

  /** The token's user, from {@code Authorization: OAuth2 …} or {@code access_token}; else answers Weibo's error. */
  private String user(RoutingContext ctx) {
    String value = bearer(ctx);
    Token token = value == null ? null : tokens.get(value);
    if (token == null) {
      error(ctx, 21332, "invalid_access_token");
      return null;
    }
    if (token.expiresAtMillis() < System.currentTimeMillis()) {
      error(ctx, 21327, "expired_token");
      return null;
    }
    return token.uid();
  }

  private boolean linksSafeDomain(String status) {
    Matcher links = URL.matcher(status);
    while (links.find()) {
      try {
        String host = URI.create(links.group()).getHost();
        if (host != null && (host.equals(safeDomain) || host.endsWith("." + safeDomain))) {
          return true;
        }
      } catch (IllegalArgumentException e) {
        // not a link Weibo would recognise
      }
    }
    return false;
  }

  private static String shorten(String status) {
    return URL.matcher(status).replaceAll(match -> "http://t.cn/" + random(8));
  }

  private static String withoutLinks(String text) {
    return URL.matcher(text).replaceAll("").strip();
  }

  /** Weibo counts two ASCII characters as one. */
  static int weiboLength(String text) {
    int halves = text.codePoints().map(c -> c < 0x80 ? 1 : 2).sum();
    return (halves + 1) / 2;
  }

  private static JsonObject json(Post post) {
    JsonObject json = new JsonObject().put("id", post.id()).put("idstr", String.valueOf(post.id()))
      .put("mid", String.valueOf(post.id())).put("text", post.text())
      .put("created_at", CREATED_AT.format(post.createdAt()))
      .put("user", new JsonObject().put("id", Long.parseLong(post.uid())).put("idstr", post.uid()));
    if (post.pictureMime() != null) {
      json.put("original_pic", "https://wx1.sinaimg.cn/large/" + post.id() + ".jpg");
    }
    return json;
  }

  private void error(RoutingContext ctx, int code, String error) {
    int status = code == 10022 || code == 10023 || code == 10024 ? 403 : 400;
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json;charset=UTF-8")
      .end(new JsonObject().put("error", error).put("error_code", code).put("request", ctx.request().path()).encode());
  }

  /** The work is done: answer now, later, or never (a dropped connection), as scripted. */
  private void respond(RoutingContext ctx, JsonObject body) {
    String path = ctx.request().path();
    AtomicInteger reset = resets.get(path);
    if (reset != null && reset.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      ctx.request().connection().close();
      return;
    }
    Deque<Long> delay = delays.get(path);
    Long millis = delay == null ? null : delay.poll();
    Runnable answer = () -> {
      if (!ctx.response().closed()) {
        ctx.response().putHeader("Content-Type", "application/json;charset=UTF-8").end(body.encode());
      }
    };
    if (millis == null) {
      answer.run();
    } else {
      vertx.setTimer(millis, t -> answer.run());
    }
  }

  private static String random(int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
    }
    return s.toString();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
