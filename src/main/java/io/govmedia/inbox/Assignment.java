package io.govmedia.inbox;

import io.vertx.core.Future;

/**
 * Fair assignment inside a department: among its available (on duty) repliers under the per-person cap, the one
 * with the fewest open cases, round-robin on ties. The cases part reports every change of a person's open cases.
 */
public interface Assignment {

  /** The staff id to assign, or null when nobody is available under the cap (the case waits to be claimed). */
  Future<String> pick(String departmentId);

  /** A case of {@code staffId} in {@code departmentId} opened (assigned, claimed, reopened). */
  Future<Void> opened(String staffId, String departmentId);

  /** A case of {@code staffId} in {@code departmentId} is no longer theirs or no longer open. */
  Future<Void> released(String staffId, String departmentId);
}
