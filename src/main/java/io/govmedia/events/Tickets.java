package io.govmedia.events;

import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Redis;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Single-use tickets to open the event stream: a browser's EventSource cannot send the bearer header, and a bearer
 * token in a URL would end up in access logs for its whole lifetime. A ticket is 256 random bits kept in Redis for a
 * minute with the principal it stands for; opening the stream takes it out (GETDEL), so it works once.
 */
final class Tickets {

  static final Duration LIFETIME = Duration.ofSeconds(60);
  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final String PREFIX = Redis.PREFIX + "events:ticket:";
  private static final SecureRandom RANDOM = new SecureRandom();

  record Issued(String ticket, Instant expiresAt) {}

  private final Redis redis;
  private final Clock clock;

  Tickets(Redis redis, Clock clock) {
    this.redis = redis;
    this.clock = clock;
  }

  Future<Issued> issue(Principal principal) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant expiresAt = clock.instant().plus(LIFETIME);
    String value = encode(principal).put("expiresAt", expiresAt.toEpochMilli()).encode();
    return Redis.await(redis.commands().set(PREFIX + ticket, value, SetArgs.Builder.px(LIFETIME.toMillis())))
      .map(ok -> new Issued(ticket, expiresAt));
  }

  /** The principal the ticket was issued to; a 401 problem for a ticket missing, malformed, used or expired. */
  Future<Principal> redeem(String ticket) {
    if (ticket == null || !FORMAT.matcher(ticket).matches()) {
      return Future.failedFuture(invalid());
    }
    return Redis.await(redis.commands().getdel(PREFIX + ticket)).compose(value -> {
      // Redis expires it after a minute of its own time; the check against our clock is the rule itself.
      if (value == null || new JsonObject(value).getLong("expiresAt") <= clock.instant().toEpochMilli()) {
        return Future.failedFuture(invalid());
      }
      return Future.succeededFuture(decode(new JsonObject(value)));
    });
  }

  static Problem invalid() {
    return Problem.unauthorized("invalid-ticket", "实时通知票据无效或已过期，请重新获取");
  }

  private static JsonObject encode(Principal principal) {
    return new JsonObject().put("staffId", principal.staffId()).put("username", principal.username())
      .put("sessionId", principal.sessionId())
      .put("roles", new JsonArray(principal.roles().stream().map(Role::wire).toList()))
      .put("departmentIds", new JsonArray(principal.departmentIds().stream().toList()))
      .put("accountIds", new JsonArray(principal.accountIds().stream().toList()))
      .put("headOf", new JsonArray(principal.headOf().stream().toList()));
  }

  private static Principal decode(JsonObject json) {
    return new Principal(json.getString("staffId"), json.getString("username"), json.getString("sessionId"),
      strings(json, "roles").stream().map(Role::parse).flatMap(Optional::stream).collect(Collectors.toUnmodifiableSet()),
      strings(json, "departmentIds"), strings(json, "accountIds"), strings(json, "headOf"));
  }

  private static Set<String> strings(JsonObject json, String name) {
    return json.getJsonArray(name, new JsonArray()).stream().map(String::valueOf).collect(Collectors.toUnmodifiableSet());
  }
}
