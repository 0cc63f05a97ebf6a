package io.govmedia.auth;

import io.govmedia.platform.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A staff member. {@code departmentIds} scope what a replier, dispatcher or supervisor sees;
 * {@code accountIds} are the channel accounts an editor may publish to. {@code headOf} names the departments (among
 * {@code departmentIds}) the member heads: a head approves extensions and sets colleagues' availability.
 * {@code available}: on duty, so automatic assignment may give them cases; away otherwise.
 */
public record Staff(String id, String username, String displayName, String passwordHash, Set<Role> roles,
                    List<String> departmentIds, List<String> accountIds, List<String> headOf, boolean disabled,
                    boolean available, Instant createdAt, Instant updatedAt, long version) {

  static Staff from(Document d) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    d.getList("roles", String.class, List.of()).forEach(r -> Role.parse(r).ifPresent(roles::add));
    return new Staff(d.getString("_id"), d.getString("username"), d.getString("displayName"),
      d.getString("passwordHash"), Set.copyOf(roles), List.copyOf(d.getList("departmentIds", String.class, List.of())),
      List.copyOf(d.getList("accountIds", String.class, List.of())),
      List.copyOf(d.getList("headOf", String.class, List.of())), d.getBoolean("disabled", false),
      d.getBoolean("available", true), Times.instant(d.getDate("createdAt")), Times.instant(d.getDate("updatedAt")), d.get("version", 0L));
  }

  Document toDocument() {
    return new Document("_id", id).append("username", username).append("displayName", displayName)
      .append("passwordHash", passwordHash).append("roles", roleNames())
      .append("departmentIds", departmentIds).append("accountIds", accountIds).append("headOf", headOf)
      .append("disabled", disabled).append("available", available)
      .append("createdAt", Times.date(createdAt)).append("updatedAt", Times.date(updatedAt)).append("version", version);
  }

  List<String> roleNames() {
    return roles.stream().sorted().map(Role::wire).toList();
  }

  Principal principal(String sessionId) {
    return new Principal(id, username, sessionId, roles, Set.copyOf(departmentIds), Set.copyOf(accountIds),
      Set.copyOf(headOf));
  }

  Staff withPassword(String hash, Instant now) {
    return new Staff(id, username, displayName, hash, roles, departmentIds, accountIds, headOf, disabled, available,
      createdAt, now, version + 1);
  }

  Staff withVersion(long newVersion) {
    return new Staff(id, username, displayName, passwordHash, roles, departmentIds, accountIds, headOf, disabled,
      available, createdAt, updatedAt, newVersion);
  }

  /** A replier on duty in the department, whom automatic assignment may choose. */
  boolean assignableIn(String departmentId) {
    return available && !disabled && roles.contains(Role.REPLIER) && departmentIds.contains(departmentId);
  }

  public JsonObject toJson() {
    return auditSummary().put("id", id).put("version", version)
      .put("createdAt", Times.show(createdAt)).put("updatedAt", Times.show(updatedAt));
  }

  /** Everything but the password hash. */
  JsonObject auditSummary() {
    return new JsonObject().put("username", username).put("displayName", displayName)
      .put("roles", new JsonArray(roleNames())).put("departmentIds", new JsonArray(departmentIds))
      .put("accountIds", new JsonArray(accountIds)).put("headOf", new JsonArray(headOf)).put("disabled", disabled)
      .put("available", available);
  }
}
