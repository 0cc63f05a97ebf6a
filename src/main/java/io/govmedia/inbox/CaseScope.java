package io.govmedia.inbox;

import io.govmedia.auth.DepartmentStore;
import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.vertx.core.Future;

import java.util.HashSet;
import java.util.Set;

/**
 * Which cases a staff member sees: repliers their own departments' cases; dispatchers and supervisors their
 * departments and every one below (one on the root department sees all), plus the dispatchers' queue; admins
 * everything. A case outside someone's scope does not exist for them (404), and lists leave it out.
 */
record CaseScope(Principal principal, boolean everything, Set<String> departments, boolean queue) {

  static Future<CaseScope> of(Principal principal, DepartmentStore store) {
    if (principal.isAdmin()) {
      return Future.succeededFuture(new CaseScope(principal, true, Set.of(), true));
    }
    boolean overseer = principal.hasAny(Role.DISPATCHER, Role.SUPERVISOR);
    Set<String> own = principal.has(Role.REPLIER) ? principal.departmentIds() : Set.of();
    if (!overseer) {
      return Future.succeededFuture(new CaseScope(principal, false, Set.copyOf(own), false));
    }
    return store.reach(principal).map(reach -> {
      Set<String> all = new HashSet<>(reach);
      all.addAll(own);
      return new CaseScope(principal, false, Set.copyOf(all), true);
    });
  }

  /** The case as this member may see it, or 404 (unknown, malformed id, or outside their scope). */
  Future<Case> visible(CaseStore store, String id) {
    return io.govmedia.platform.Ids.lookup(id, store::find, "工单")
      .compose(c -> sees(c) ? Future.succeededFuture(c) : Future.failedFuture(io.govmedia.platform.Problem.notFound("工单")));
  }

  /** 403 unless the member works the case: a replier of its department, or a dispatcher, supervisor or admin. */
  void requireWorker(Case c) {
    if (!(c.departmentId() != null && memberOf(c.departmentId()) || steers())) {
      throw io.govmedia.platform.Problem.forbidden("只有本部门的办理人员或分拨、督办人员可以执行此操作");
    }
  }

  boolean sees(String departmentId, CaseStatus status) {
    if (everything) {
      return true;
    }
    return departmentId == null ? queue && status == CaseStatus.DISPATCHING : departments.contains(departmentId);
  }

  boolean sees(Case c) {
    return sees(c.departmentId(), c.status());
  }

  boolean sees(CaseIndex.Entry e) {
    return sees(e.departmentId(), e.status());
  }

  /** A replier who belongs to the department itself (not only above it): who may claim its cases. */
  boolean memberOf(String departmentId) {
    return principal.has(Role.REPLIER) && principal.departmentIds().contains(departmentId);
  }

  /** Dispatchers, supervisors and admins steer cases between departments and people. */
  boolean steers() {
    return principal.isAdmin() || principal.hasAny(Role.DISPATCHER, Role.SUPERVISOR);
  }
}
