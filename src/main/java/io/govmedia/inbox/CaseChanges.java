package io.govmedia.inbox;

import io.govmedia.auth.Role;
import io.govmedia.events.Event;
import io.govmedia.events.Events;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * What follows every write of a case, whoever made it (intake, staff, a claim rolled forward): the Redis lists, the
 * assignees' open-case counts, and the live inbox. None of it fails the write: MongoDB has the case, and the lists
 * and counts are repaired from it.
 */
final class CaseChanges {

  private static final Logger log = LoggerFactory.getLogger(CaseChanges.class);

  /** Who works cases: editors of the same department do not get them. */
  private static final Set<Role> CASE_ROLES = Set.of(Role.REPLIER, Role.DISPATCHER, Role.SUPERVISOR);

  private final CaseIndex index;
  private final Assignment assignment;
  private final Events events;
  private final List<BiFunction<Case, Case, Future<Void>>> followers = new CopyOnWriteArrayList<>();

  CaseChanges(CaseIndex index, Assignment assignment, Events events) {
    this.index = index;
    this.assignment = assignment;
    this.events = events;
  }

  /**
   * Follows a write from {@code before} (null for a new case) to {@code after}. {@code picked}: the staff member
   * whose place {@link Assignment#pick} already took for this case, so it is not counted twice.
   */
  Future<Case> followed(Case before, Case after, String picked) {
    List<Future<?>> all = new ArrayList<>(List.of(index.update(before, after), counts(before, after, picked),
      announce(before, after)));
    followers.forEach(follower -> all.add(follower.apply(before, after)));
    return Future.all(all)
      .map(after).recover(failure -> {
        log.warn("follow-up of case {} incomplete", after.id(), failure);
        return Future.succeededFuture(after);
      });
  }

  /** Adds what else follows every write (deadline alarms, statistics…); like the rest, it must not fail the write. */
  void also(BiFunction<Case, Case, Future<Void>> follower) {
    followers.add(follower);
  }

  private Future<Void> counts(Case before, Case after, String picked) {
    boolean had = before != null && before.status().open() && before.assigneeId() != null;
    boolean has = after.status().open() && after.assigneeId() != null;
    boolean same = had && has && before.assigneeId().equals(after.assigneeId())
      && Objects.equals(before.departmentId(), after.departmentId());
    if (same) {
      return Future.succeededFuture();
    }
    List<Future<Void>> changes = new ArrayList<>();
    if (had) {
      changes.add(assignment.released(before.assigneeId(), before.departmentId()));
    }
    if (has && !after.assigneeId().equals(picked)) {
      changes.add(assignment.opened(after.assigneeId(), after.departmentId()));
    }
    return Future.all(changes).mapEmpty();
  }

  /** case.new, case.assigned, case.returned, case.status, case.message: to its department, assignee and the queue's dispatchers. */
  private Future<Void> announce(Case before, Case after) {
    String type = type(before, after);
    if (type == null) {
      return Future.succeededFuture();
    }
    JsonObject data = new JsonObject().put("caseId", after.id()).put("number", after.number())
      .put("status", after.status().wire()).put("departmentId", after.departmentId())
      .put("assigneeId", after.assigneeId()).put("category", after.category().wire())
      .put("urgency", after.urgency().wire())
      .put("dueAt", after.deadline() == null ? null : Times.show(after.deadline().dueAt()));
    List<Future<Void>> sent = new ArrayList<>();
    if (after.departmentId() != null || after.assigneeId() != null) {
      sent.add(events.publish(new Event(type, data, new Event.Audience(CASE_ROLES,
        after.departmentId() == null ? Set.of() : Set.of(after.departmentId()), Set.of(),
        after.assigneeId() == null ? Set.of() : Set.of(after.assigneeId())))));
    }
    boolean queue = after.status() == CaseStatus.DISPATCHING
      || before != null && before.status() == CaseStatus.DISPATCHING;
    if (queue) {
      sent.add(events.publish(new Event(type, data, new Event.Audience(Set.of(Role.DISPATCHER, Role.SUPERVISOR),
        Set.of(), Set.of(), Set.of()))));
    }
    if (before != null && before.departmentId() != null && !before.departmentId().equals(after.departmentId())) {
      // the department that had it learns it left (returned, transferred)
      sent.add(events.publish(new Event(type, data, new Event.Audience(CASE_ROLES, Set.of(before.departmentId()),
        Set.of(), Set.of()))));
    }
    return Future.all(sent).mapEmpty();
  }

  static String type(Case before, Case after) {
    if (before == null) {
      return "case.new";
    }
    if (before.status() != CaseStatus.DISPATCHING && after.status() == CaseStatus.DISPATCHING) {
      return "case.returned";
    }
    if (!Objects.equals(before.departmentId(), after.departmentId())
      || !Objects.equals(before.assigneeId(), after.assigneeId())) {
      return "case.assigned";
    }
    if (before.status() != after.status()) {
      return "case.status";
    }
    if (after.messages().size() > before.messages().size()) {
      return "case.message";
    }
    return null;
  }
}
