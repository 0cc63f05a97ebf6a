package io.govmedia.events;

import io.govmedia.auth.Role;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Something staff should see at once (a slot's status, an inspection warning, later a new case), and who may see
 * it. Admins see every event; anyone else sees it when they hold one of {@code roles} (any role if empty) and
 * it concerns them: a department in their reach, an account in their {@code accountIds}, or them by id. An
 * audience naming nothing (all three sets empty) reaches everyone with the roles.
 *
 * @param type a stable dotted name, e.g. {@code slot.status}, {@code account.inspection}
 */
public record Event(String type, JsonObject data, Audience audience) {

  public record Audience(Set<Role> roles, Set<String> departmentIds, Set<String> accountIds, Set<String> staffIds) {

    /** A null set is an empty one. */
    public Audience {
      roles = roles == null ? Set.of() : Set.copyOf(roles);
      departmentIds = departmentIds == null ? Set.of() : Set.copyOf(departmentIds);
      accountIds = accountIds == null ? Set.of() : Set.copyOf(accountIds);
      staffIds = staffIds == null ? Set.of() : Set.copyOf(staffIds);
    }

    public static Audience admins() {
      return new Audience(Set.of(Role.ADMIN), Set.of(), Set.of(), Set.of());
    }

    public static Audience department(String departmentId) {
      return new Audience(Set.of(), Set.of(departmentId), Set.of(), Set.of());
    }

    /** Whoever may work with the account (its editors), and admins. */
    public static Audience account(String accountId) {
      return new Audience(Set.of(), Set.of(), Set.of(accountId), Set.of());
    }

    /** One staff member (e.g. the editor who scheduled a post), and admins. */
    public static Audience staff(String staffId) {
      return new Audience(Set.of(), Set.of(), Set.of(), Set.of(staffId));
    }
  }
}
