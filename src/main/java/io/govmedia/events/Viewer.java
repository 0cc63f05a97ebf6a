package io.govmedia.events;

import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;

import java.util.Collections;
import java.util.Set;

/**
 * Who watches a stream, as far as the audience rule needs: the member's roles, the departments their work reaches
 * (computed when they connect and again at every heartbeat), their accounts and their id.
 */
record Viewer(String staffId, String sessionId, Set<Role> roles, Set<String> reach, Set<String> accountIds) {

  static Viewer of(Principal principal, Set<String> reach) {
    return new Viewer(principal.staffId(), principal.sessionId(), principal.roles(), reach, principal.accountIds());
  }

  /** The rule written on {@link Event}: admins see everything; others need a role and a reason. */
  boolean sees(Event.Audience audience) {
    if (roles.contains(Role.ADMIN)) {
      return true;
    }
    if (!audience.roles().isEmpty() && Collections.disjoint(audience.roles(), roles)) {
      return false;
    }
    boolean everyone = audience.departmentIds().isEmpty() && audience.accountIds().isEmpty()
      && audience.staffIds().isEmpty();
    return everyone || !Collections.disjoint(audience.departmentIds(), reach)
      || !Collections.disjoint(audience.accountIds(), accountIds) || audience.staffIds().contains(staffId);
  }
}
