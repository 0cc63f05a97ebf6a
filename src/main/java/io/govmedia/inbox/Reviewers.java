package io.govmedia.inbox;

import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;

/**
 * Who reviews a department's replies and disclosures, and writes its canned replies: its heads ({@code headOf}),
 * and for review also the supervisors whose reach includes it. Nobody reviews their own text.
 */
final class Reviewers {

  private Reviewers() {
  }

  /** Whether the member heads the department. */
  static boolean heads(Principal principal, String departmentId) {
    return departmentId != null && principal.isHeadOf(departmentId);
  }

  /** A head of the department, or a supervisor whose reach includes it. */
  static boolean reviews(CaseScope scope, String departmentId) {
    Principal principal = scope.principal();
    return heads(principal, departmentId) || principal.has(Role.SUPERVISOR)
      && (scope.everything() || departmentId != null && scope.departments().contains(departmentId));
  }
}
