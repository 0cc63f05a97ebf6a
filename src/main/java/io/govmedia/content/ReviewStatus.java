package io.govmedia.content;

import io.govmedia.platform.Problem;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where an item stands in 先审后发, and which actions each state allows — written down once here. Any edit
 * makes a new version and sends the item back to draft: approvals bind to the version they saw.
 */
public enum ReviewStatus {
  DRAFT, IN_REVIEW, APPROVED, REJECTED, PUBLISHED;

  /** What staff do to an item. */
  public enum Action {
    EDIT, SUBMIT, APPROVE, REJECT, PUBLISH, EXEMPT, MARK_VALIDITY
  }

  public Set<Action> allowed() {
    return switch (this) {
      case DRAFT -> EnumSet.of(Action.EDIT, Action.SUBMIT, Action.EXEMPT, Action.MARK_VALIDITY);
      case IN_REVIEW -> EnumSet.of(Action.EDIT, Action.APPROVE, Action.REJECT, Action.MARK_VALIDITY);
      // a rejection is answered with a new version, not a resubmission
      case REJECTED -> EnumSet.of(Action.EDIT, Action.EXEMPT, Action.MARK_VALIDITY);
      case APPROVED -> EnumSet.of(Action.EDIT, Action.PUBLISH, Action.MARK_VALIDITY);
      // a published item is final; only its validity changes, and that as a new version through review
      case PUBLISHED -> EnumSet.of(Action.MARK_VALIDITY);
    };
  }

  public boolean allows(Action action) {
    return allowed().contains(action);
  }

  /** Fails with a 409 problem unless this state allows the action. */
  void require(Action action) {
    if (allows(action)) {
      return;
    }
    if (action == Action.APPROVE || action == Action.REJECT) {
      throw Problem.conflict("not-in-review", "该内容不在审核中", "当前状态：" + label());
    }
    throw Problem.conflict(this == PUBLISHED ? "not-editable" : "wrong-status", "当前状态（" + label() + "）不能执行此操作",
      null);
  }

  /**
   * Whether reviewers have seen (or are seeing) the current version: then a change, even of validity alone, makes
   * a new version that goes back to draft and through review again.
   */
  boolean reviewed() {
    return this == IN_REVIEW || this == APPROVED || this == PUBLISHED;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ReviewStatus parse(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }

  /** The Chinese name shown in problems. */
  String label() {
    return switch (this) {
      case DRAFT -> "草稿";
      case IN_REVIEW -> "审核中";
      case APPROVED -> "已通过审核";
      case REJECTED -> "已退回";
      case PUBLISHED -> "已发布";
    };
  }
}
