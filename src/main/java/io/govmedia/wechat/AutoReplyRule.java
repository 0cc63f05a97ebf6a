package io.govmedia.wechat;

import io.govmedia.platform.Times;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One auto-reply rule of an official account: a keyword rule (exact, contains, regex), the subscribe greeting, or
 * the default reply. Lower {@code priority} is tried first; ties go to the older rule.
 */
record AutoReplyRule(String id, String accountId, MatchType match, String keyword, int priority,
                            boolean enabled, PassiveReplies.Stored reply, Instant createdAt, Instant updatedAt,
                            long version) {

  public static final int DEFAULT_PRIORITY = 100;
  public static final int MAX_PRIORITY = 1000;

  public enum MatchType {
    EXACT, CONTAINS, REGEX, SUBSCRIBE, DEFAULT;

    public static final Set<String> NAMES = Arrays.stream(values()).map(MatchType::wire)
      .collect(Collectors.toUnmodifiableSet());

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<MatchType> parse(String wire) {
      return wire != null && NAMES.contains(wire) ? Optional.of(valueOf(wire.toUpperCase(Locale.ROOT))) : Optional.empty();
    }

    /** Keyword rules answer text messages; the others have no keyword. */
    public boolean hasKeyword() {
      return this == EXACT || this == CONTAINS || this == REGEX;
    }

    /** An account has at most one enabled rule of this type. */
    public boolean isSingleton() {
      return !hasKeyword();
    }
  }

  /**
   * Set only on an enabled subscribe or default rule: a unique sparse index on it keeps each account to one of
   * each, across instances.
   */
  String singleton() {
    return enabled && match.isSingleton() ? accountId + "/" + match.wire() : null;
  }

  static AutoReplyRule from(Document d) {
    return new AutoReplyRule(d.getString("_id"), d.getString("accountId"), MatchType.valueOf(d.getString("match")
      .toUpperCase(Locale.ROOT)), d.getString("keyword"), d.getInteger("priority", DEFAULT_PRIORITY),
      d.getBoolean("enabled", true), PassiveReplies.from(d.get("reply", Document.class)),
      Times.instant(d.getDate("createdAt")), Times.instant(d.getDate("updatedAt")), d.get("version", 0L));
  }

  Document toDocument() {
    Document d = new Document("_id", id).append("accountId", accountId).append("match", match.wire())
      .append("keyword", keyword).append("priority", priority).append("enabled", enabled)
      .append("reply", reply.toDocument()).append("createdAt", Times.date(createdAt))
      .append("updatedAt", Times.date(updatedAt)).append("version", version);
    String singleton = singleton();
    return singleton == null ? d : d.append("singleton", singleton);
  }

  public JsonObject toJson() {
    return auditSummary().put("id", id).put("createdAt", Times.show(createdAt)).put("updatedAt", Times.show(updatedAt));
  }

  JsonObject auditSummary() {
    return new JsonObject().put("accountId", accountId).put("match", match.wire()).put("keyword", keyword)
      .put("priority", priority).put("enabled", enabled).put("reply", reply.toJson());
  }
}
