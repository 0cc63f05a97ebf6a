package io.govmedia.inbox;

import io.govmedia.auth.Principal;

import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Department heads (staff {@code headOf}): who approves an extension, who is told of a breach. Both questions are
 * answered from memory (the signed-in principal; the staff directory's snapshot), never from a store read.
 *
 * @param heads whether the principal heads the department
 * @param of    the staff ids heading the department
 */
record DepartmentHeads(BiPredicate<Principal, String> heads, Function<String, Set<String>> of) {

  boolean isHead(Principal principal, String departmentId) {
    return departmentId != null && heads.test(principal, departmentId);
  }

  Set<String> of(String departmentId) {
    return departmentId == null ? Set.of() : of.apply(departmentId);
  }
}
