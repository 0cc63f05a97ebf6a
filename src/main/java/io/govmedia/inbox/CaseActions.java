package io.govmedia.inbox;

import io.govmedia.auth.DepartmentStore;
import io.govmedia.auth.Role;
import io.govmedia.auth.Staff;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.GuardedStore;
import io.govmedia.platform.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Staff actions on a case: who may do what ({@link CaseScope}), from which status ({@link CaseAction}), and what it
 * changes, written as one guarded change that is re-applied on a fresh read when another write came first (so two
 * claims at once: the second sees the first's result and is refused). Every action writes a history step and an
 * audit entry.
 */
final class CaseActions {

  /** An action as requested; the fields it does not use are null. */
  record Request(CaseAction action, String departmentId, String assigneeId, String reason) {
  }

  private final CaseStore store;
  private final CaseChanges changes;
  private final Deadlines deadlines;
  private final Assignment assignment;
  private final DepartmentStore departments;
  private final Function<String, Future<Staff>> staff;
  private final AuditLog audit;
  private final Clock clock;

  CaseActions(CaseStore store, CaseChanges changes, Deadlines deadlines, Assignment assignment,
              DepartmentStore departments, Function<String, Future<Staff>> staff, AuditLog audit, Clock clock) {
    this.store = store;
    this.changes = changes;
    this.deadlines = deadlines;
    this.assignment = assignment;
    this.departments = departments;
    this.staff = staff;
    this.audit = audit;
    this.clock = clock;
  }

  /** The case as the member may see it, or 404 (unknown, malformed id, or outside their scope). */
  Future<Case> visible(CaseScope scope, String id) {
    return io.govmedia.platform.Ids.lookup(id, store::find, "工单")
      .compose(c -> scope.sees(c) ? Future.succeededFuture(c) : Future.failedFuture(Problem.notFound("工单")));
  }

  Future<Case> act(CaseScope scope, String id, Request request, String requestId) {
    return visible(scope, id).compose(c -> {
      allowed(scope, c, request);
      return prepare(c, request).compose(picked -> store.update(id, current -> apply(scope, current, request, picked),
          scope.principal().staffId())
        .recover(failure -> release(picked, request, failure))
        .compose(moved -> moved == null ? Future.failedFuture(Problem.notFound("工单"))
          : changes.followed(moved.before(), moved.after(), picked)
            .compose(after -> audit.append(scope.principal().actor(), "case." + request.action().wire(), "case",
              id, summary(moved.before()), summary(after), requestId).map(after))));
    });
  }

  /** Who may: 403 when the member's role does not allow the action on this case (the case is visible to them). */
  private static void allowed(CaseScope scope, Case c, Request request) {
    boolean member = c.departmentId() != null && scope.memberOf(c.departmentId());
    boolean ok = switch (request.action()) {
      case CLAIM -> member;
      case ASSIGN -> request.departmentId() != null
        ? scope.principal().isAdmin() || scope.principal().has(Role.DISPATCHER)
        : scope.steers();
      case REOPEN, RELEASE -> scope.steers();
      default -> member || scope.steers();
    };
    if (ok && c.flags().contains(Ratings.SUPERVISOR_DECISION)
      && (request.action() == CaseAction.CLOSE || request.action() == CaseAction.REOPEN)) {
      Ratings.requireSupervisor(scope, request.reason());
    }
    if (!ok) {
      throw Problem.forbidden(switch (request.action()) {
        case CLAIM -> "只有本部门的办理人员可以签收";
        case ASSIGN -> request.departmentId() != null ? "只有分拨人员可以分派到部门" : "只有分拨人员或督办人员可以指定办理人";
        case REOPEN -> "只有分拨人员或督办人员可以重新办理";
        case RELEASE -> "只有分拨人员或督办人员可以放行待复核的留言";
        default -> "只有本部门的办理人员或分拨、督办人员可以执行此操作";
      });
    }
  }

  /**
   * Checks what the request names (the department exists, the person is a replier of the case's department) and,
   * when the case goes to a department, takes a place for its assignee ({@link Assignment#pick}): answers that
   * person, or null.
   */
  private Future<String> prepare(Case c, Request request) {
    CaseAction action = request.action();
    if (action == CaseAction.TRANSFER || action == CaseAction.ASSIGN && request.departmentId() != null) {
      action.require(c.status());
      if (action == CaseAction.ASSIGN && c.status() != CaseStatus.DISPATCHING) {
        throw notAtDispatch(c);
      }
      if (c.flags().contains(Case.HELD)) {
        throw held(c);
      }
      if (request.departmentId().equals(c.departmentId())) {
        throw Problem.conflict("same-department", "工单已在该部门", "转办请选择其他部门。");
      }
      return departments.requireExisting(request.departmentId(), "departmentId", "部门不存在")
        .compose(ok -> assignment.pick(request.departmentId()).recover(failure -> Future.succeededFuture(null)));
    }
    if (action == CaseAction.ASSIGN) {
      action.require(c.status());
      if (c.status() == CaseStatus.DISPATCHING) {
        throw personAtDispatch(c);
      }
      return staff.apply(request.assigneeId()).compose(member -> {
        if (member == null || member.disabled() || !member.roles().contains(Role.REPLIER)
          || c.departmentId() == null || !member.departmentIds().contains(c.departmentId())) {
          return Future.failedFuture(Problem.badRequest("invalid-assignee", "办理人不是本部门的在岗办理人员",
            "assigneeId 应为工单所在部门的办理人员（replier）。"));
        }
        return Future.succeededFuture((String) null);
      });
    }
    return Future.succeededFuture(null);
  }

  private <T> Future<T> release(String picked, Request request, Throwable failure) {
    Future<Void> giveBack = picked == null ? Future.succeededFuture()
      : assignment.released(picked, request.departmentId()).recover(f -> Future.succeededFuture());
    Throwable reported = GuardedStore.isChanged(failure)
      ? Problem.conflict("case-changed", "工单已被他人更改", "请刷新后重试。") : failure;
    return giveBack.transform(v -> Future.failedFuture(reported));
  }

  /** The change on the case as it stands now; throws a problem when the table or the case's state refuses it. */
  private Case apply(CaseScope scope, Case c, Request request, String picked) {
    CaseAction action = request.action();
    action.require(c.status());
    Instant now = clock.instant();
    String by = scope.principal().staffId();
    String name = scope.principal().username();
    return switch (action) {
      case CLAIM -> step(c, by, name, now, action, CaseStatus.IN_PROGRESS, null, e -> e.assigneeId = by);
      case ASSIGN -> request.departmentId() != null ? toDepartment(c, by, name, now, request, picked)
        : c.status() == CaseStatus.DISPATCHING ? throwing(personAtDispatch(c)) : step(c, by, name, now, action, CaseStatus.ASSIGNED, null, e -> e.assigneeId = request.assigneeId());
      case TRANSFER -> step(c, by, name, now, action, CaseStatus.ASSIGNED, request.reason(), e -> {
        e.moveTo(request.departmentId(), now);
        e.assigneeId = picked;
        e.transfers++;
      });
      case RETURN -> step(c, by, name, now, action, CaseStatus.DISPATCHING, request.reason(), e -> {
        e.moveTo(null, now);
        e.assigneeId = null;
        e.returns++;
      });
      case PAUSE -> step(c, by, name, now, action, CaseStatus.PAUSED, request.reason(), e -> {
        e.pausedFrom = c.status();
        e.deadline = deadlines.pause(c.deadline(), now);
      });
      case RESUME -> step(c, by, name, now, action, c.pausedFrom() == null ? CaseStatus.ASSIGNED : c.pausedFrom(),
        request.reason(), e -> {
          e.pausedFrom = null;
          e.deadline = deadlines.resume(c.deadline(), now);
        });
      case CLOSE -> {
        if (c.status() != CaseStatus.ANSWERED && request.reason() == null) {
          throw Problem.badRequest("reason-required", "未答复的工单办结须说明理由", "请填写 reason。");
        }
        yield step(c, by, name, now, action, CaseStatus.CLOSED, request.reason(), e -> {
          if (c.status() == CaseStatus.PAUSED) {
            e.pausedFrom = null;
          }
          e.flags.remove(Ratings.SUPERVISOR_DECISION);
        });
      }
      case REOPEN -> step(c, by, name, now, action,
        c.departmentId() == null ? CaseStatus.DISPATCHING : CaseStatus.ASSIGNED, request.reason(), e -> {
          e.deadline = deadlines.restart(c.deadline(), now);
          e.flags.remove(Ratings.SUPERVISOR_DECISION);
        });
      case RELEASE -> {
        if (!c.flags().contains(Case.HELD)) {
          throw Problem.conflict("not-held", "该工单不在待复核状态", null);
        }
        yield step(c, by, name, now, action, c.status(), request.reason(), e -> e.flags.remove(Case.HELD));
      }
      case REPLY, RATE, FOLLOW_UP, PUBLISH -> throw new IllegalStateException(action + " has a route of its own");
    };
  }

  private Case toDepartment(Case c, String by, String name, Instant now, Request request, String picked) {
    if (c.status() != CaseStatus.DISPATCHING) {
      throw notAtDispatch(c);
    }
    return step(c, by, name, now, CaseAction.ASSIGN, CaseStatus.ASSIGNED, null, e -> {
      e.moveTo(request.departmentId(), now);
      e.assigneeId = picked;
    });
  }

  private static Case step(Case c, String by, String name, Instant now, CaseAction action, CaseStatus to,
                           String reason, Consumer<Case.Edit> edit) {
    return c.change(null, e -> {
      edit.accept(e);
      e.status = to;
      e.history.add(new Case.Step(by, name, now, action.wire(), c.status(), to,
        e.departmentId != null ? e.departmentId : c.departmentId(), reason, null));
      e.updatedAt = now;
    });
  }

  private static Problem personAtDispatch(Case c) {
    return Problem.conflict("action-not-allowed", "待分拨的工单须先分派到部门，再指定办理人", null)
      .with("status", c.status().wire()).with("action", "assign");
  }

  /** A case held for content review goes nowhere before staff release it. */
  private static Problem held(Case c) {
    return Problem.conflict("held-for-review", "留言内容待人工复核，请先放行再分派", "复核无误后 POST /api/v1/cases/{id}/release。")
      .with("status", c.status().wire()).with("action", "assign");
  }

  private static Case throwing(Problem problem) {
    throw problem;
  }

  private static Problem notAtDispatch(Case c) {
    return Problem.conflict("action-not-allowed", "只有待分拨的工单可以分派到部门；部门间请用转办", null)
      .with("status", c.status().wire()).with("action", "assign");
  }

  /** What the audit log keeps of a case: no content, no contact. */
  static JsonObject summary(Case c) {
    return new JsonObject().put("number", c.number()).put("status", c.status().wire())
      .put("departmentId", c.departmentId()).put("assigneeId", c.assigneeId())
      .put("dueDate", c.deadline() == null ? null : c.deadline().dueDate().toString());
  }
}
