package io.govmedia.inbox;

import io.govmedia.platform.Problem;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static io.govmedia.inbox.CaseStatus.ANSWERED;
import static io.govmedia.inbox.CaseStatus.ASSIGNED;
import static io.govmedia.inbox.CaseStatus.CLOSED;
import static io.govmedia.inbox.CaseStatus.DISPATCHING;
import static io.govmedia.inbox.CaseStatus.IN_PROGRESS;
import static io.govmedia.inbox.CaseStatus.PAUSED;

/**
 * What staff do to a case ({@code POST /api/v1/cases/{id}/{action}}) and from which statuses each is allowed: the
 * state table, written down once. Anything else is 409 {@code action-not-allowed}. (reply, rate, follow-up and
 * publish have routes of their own: {@link #ownRoute()}.)
 */
enum CaseAction {
  /** 签收: a replier of the case's department takes it: in progress, theirs. */
  CLAIM(EnumSet.of(ASSIGNED)),
  /** Dispatchers send a case at dispatch to a department; within a department a dispatcher or head names the person. */
  ASSIGN(EnumSet.of(DISPATCHING, ASSIGNED, IN_PROGRESS)),
  /** 转办: to another department, with a reason. */
  TRANSFER(EnumSet.of(ASSIGNED, IN_PROGRESS)),
  /** 退回: not this department's; back to dispatch with who returned it and why. */
  RETURN(EnumSet.of(ASSIGNED, IN_PROGRESS)),
  /** The clock stops (waiting for a third party or the citizen's missing details). */
  PAUSE(EnumSet.of(ASSIGNED, IN_PROGRESS)),
  RESUME(EnumSet.of(PAUSED)),
  /** 办结: from answered, or staff close an open case with a reason. */
  CLOSE(EnumSet.of(DISPATCHING, ASSIGNED, IN_PROGRESS, PAUSED, ANSWERED)),
  REOPEN(EnumSet.of(ANSWERED, CLOSED)),
  /** 答复: a reply sent (or approved) answers the case; drafts and replies in review wait in the same statuses. */
  REPLY(EnumSet.of(ASSIGNED, IN_PROGRESS)),
  /** 评价: satisfied/basically close it, unsatisfied reopens it (a second time: a supervisor decides). */
  RATE(EnumSet.of(ANSWERED)),
  /** 回访: staff record a follow-up call on an answered or closed case. */
  FOLLOW_UP(EnumSet.of(ANSWERED, CLOSED)),
  /** 申请公开: a reply the citizen agreed to publish goes to review, then out masked. */
  PUBLISH(EnumSet.of(ANSWERED, CLOSED)),
  /**
   * 放行: a case held for content review ({@link Case#HELD}) goes on like any other (one held at dispatch joins the
   * dispatch queue).
   */
  RELEASE(EnumSet.of(DISPATCHING, ASSIGNED, IN_PROGRESS, PAUSED, ANSWERED));

  /** The actions with routes and bodies of their own (replies, ratings, disclosure), not the generic action route. */
  private static final Set<CaseAction> OWN_ROUTES = EnumSet.of(REPLY, RATE, FOLLOW_UP, PUBLISH);

  private final Set<CaseStatus> from;

  CaseAction(Set<CaseStatus> from) {
    this.from = from;
  }

  boolean allowedFrom(CaseStatus status) {
    return from.contains(status);
  }

  /** Fails with 409 {@code action-not-allowed} unless the table allows this action from {@code status}. */
  void require(CaseStatus status) {
    if (!allowedFrom(status)) {
      throw Problem.conflict("action-not-allowed", "工单当前状态（" + status.label() + "）不能" + label(),
        "允许的状态：" + String.join("、", from.stream().map(CaseStatus::label).toList()))
        .with("status", status.wire()).with("action", wire());
    }
  }

  String wire() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  boolean ownRoute() {
    return OWN_ROUTES.contains(this);
  }

  String label() {
    return switch (this) {
      case CLAIM -> "签收";
      case ASSIGN -> "分派";
      case TRANSFER -> "转办";
      case RETURN -> "退回";
      case PAUSE -> "暂停计时";
      case RESUME -> "恢复计时";
      case CLOSE -> "办结";
      case REOPEN -> "重新办理";
      case REPLY -> "答复";
      case RATE -> "评价";
      case FOLLOW_UP -> "回访";
      case PUBLISH -> "申请公开";
      case RELEASE -> "放行";
    };
  }

  static Optional<CaseAction> parse(String wire) {
    return Arrays.stream(values()).filter(a -> a.wire().equals(wire)).findFirst();
  }
}
