package io.govmedia.inbox;

import io.vertx.core.Future;

import java.util.Map;

/**
 * Fair assignment inside a department: among its available (on duty) repliers under the per-person cap, the one
 * with the fewest open cases, round-robin on ties. Counts live where every instance sees them at once (Redis);
 * the cases part reports every change of a person's open cases and rebuilds the counts from MongoDB, the truth.
 */
public interface Assignment {

  /**
   * The staff id to assign, its place already taken (their count + 1, atomically across instances), or null when
   * nobody is available under the cap (the case waits in the department to be claimed). Call
   * {@link #released} if the case is not assigned to them after all.
   */
  Future<String> pick(String departmentId);

  /** A case of {@code staffId} in {@code departmentId} opened other than by {@link #pick}: claimed, assigned by hand, reopened. */
  Future<Void> opened(String staffId, String departmentId);

  /** A case of {@code staffId} in {@code departmentId} is no longer theirs or no longer open. */
  Future<Void> released(String staffId, String departmentId);

  /** Replaces a department's counts with those counted from the store (start-up, periodic repair). */
  Future<Void> reset(String departmentId, Map<String, Integer> openCases);
}
