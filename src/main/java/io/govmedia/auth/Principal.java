package io.govmedia.auth;

import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Problem;
import io.vertx.ext.web.RoutingContext;

import java.util.Arrays;
import java.util.Set;

/**
 * The signed-in staff member of a request, as loaded from the store on every request, so that a role
 * removed or an account disabled takes effect at once. {@code headOf}: the departments they head.
 */
public record Principal(String staffId, String username, String sessionId, Set<Role> roles,
                        Set<String> departmentIds, Set<String> accountIds, Set<String> headOf) {

  static final String KEY = "govmedia.principal";

  public static Principal of(RoutingContext ctx) {
    Principal principal = ctx.get(KEY);
    if (principal == null) {
      throw Problem.unauthorized("unauthorized", "未登录或登录已失效");
    }
    return principal;
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  public boolean hasAny(Role... wanted) {
    return Arrays.stream(wanted).anyMatch(roles::contains);
  }

  /** Whether they head the department ("is head of": extensions, availability of its members). */
  public boolean isHeadOf(String departmentId) {
    return headOf.contains(departmentId);
  }

  /** Whether they head any of the departments. */
  public boolean headsAnyOf(java.util.Collection<String> departmentIds) {
    return departmentIds.stream().anyMatch(headOf::contains);
  }

  public boolean isAdmin() {
    return has(Role.ADMIN);
  }

  public AuditLog.Actor actor() {
    return new AuditLog.Actor(staffId, username);
  }

  /** Fails the request with 403 unless the principal holds one of the roles. */
  public void require(Role... wanted) {
    if (!hasAny(wanted)) {
      throw Problem.forbidden("需要以下角色之一：" + String.join("、", Arrays.stream(wanted).map(Role::wire).toList()));
    }
  }
}
