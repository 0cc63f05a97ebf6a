package io.govmedia.platform;

import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Requests that create a send take an {@code Idempotency-Key} (ARCHITECTURE.md): the first request with a key claims
 * it in Redis ({@code SET NX}, for a day) together with the id of what it makes and a fingerprint of what it asked;
 * a repeat by the same staff member with the same fingerprint answers what the first made, a repeat with another
 * fingerprint is refused with 422 {@code idempotency-key-reused}, and a repeat while the first is still at work (or
 * died before making anything) with 409 {@code request-in-progress}. A first request that fails frees its key.
 *
 * @param scope names the kind of request ({@code publishing}, {@code inbox-reply}): keys of different scopes never meet
 */
public record Idempotency(Redis redis, String scope, String what) {

  static final Duration TTL = Duration.ofDays(1);
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  /** The request's {@code Idempotency-Key}, null when none; 400 {@code invalid-idempotency-key} when malformed. */
  public static String key(RoutingContext ctx) {
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key != null && !KEY.matcher(key).matches()) {
      throw Problem.badRequest("invalid-idempotency-key", "Idempotency-Key 格式不正确", "应为 1–128 个字母、数字或 _ . : -");
    }
    return key;
  }

  /**
   * Makes the thing once per key: {@code make} is given the id to create it under; a repeat reads it back with
   * {@code find} (null: not made yet). Without a key, simply makes it.
   *
   * @param fingerprint what the request asked, as far as a repeat must ask the same (e.g. a hash of the body)
   */
  public <T> Future<T> once(String staffId, String key, String fingerprint, Function<String, Future<T>> make,
                            Function<String, Future<T>> find) {
    String id = Ids.newId();
    if (key == null) {
      return make.apply(id);
    }
    String redisKey = Redis.PREFIX + scope + ":idempotency:" + staffId + ":" + key;
    String value = id + " " + fingerprint;
    return Redis.await(redis.commands().set(redisKey, value, SetArgs.Builder.nx().ex(TTL.toSeconds())))
      .compose(set -> "OK".equals(set)
        ? make.apply(id).recover(failure -> Redis.await(redis.commands().del(redisKey))
          .transform(v -> Future.failedFuture(failure)))
        : Redis.await(redis.commands().get(redisKey)).compose(earlier -> earlier == null
          ? once(staffId, key, fingerprint, make, find)
          : repeat(earlier, fingerprint, find)));
  }

  private <T> Future<T> repeat(String earlier, String fingerprint, Function<String, Future<T>> find) {
    int space = earlier.indexOf(' ');
    String id = space < 0 ? earlier : earlier.substring(0, space);
    if (space < 0 || !earlier.substring(space + 1).equals(fingerprint)) {
      return Future.failedFuture(new Problem(422, "idempotency-key-reused", "Idempotency-Key 已用于另一个" + what + "请求",
        "同一个 Idempotency-Key 只能用于同样的请求；新的请求请换一个键。"));
    }
    return find.apply(id).compose(found -> found != null ? Future.succeededFuture(found)
      : Future.failedFuture(Problem.conflict("request-in-progress", "相同的请求正在处理中", "请稍后刷新查看结果。")));
  }

  /** A fingerprint of the parts of a request: SHA-256 over them, each length-prefixed so that no two lists collide. */
  public static String fingerprint(Object... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Object part : parts) {
        byte[] bytes = String.valueOf(part).getBytes(StandardCharsets.UTF_8);
        digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        digest.update(bytes);
        digest.update(part == null ? (byte) 0 : (byte) 1);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
