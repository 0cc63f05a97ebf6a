package io.govmedia.content;

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
    EDIT, SUBMIT, APPROVE, REJECT, PUBLISH
  }

  public Set<Action> allowed() {
    return switch (this) {
      case DRAFT -> EnumSet.of(Action.EDIT, Action.SUBMIT);
      case IN_REVIEW -> EnumSet.of(Action.EDIT, Action.APPROVE, Action.REJECT);
      case REJECTED -> EnumSet.of(Action.EDIT);  // a rejection is answered with a new version, not a resubmission
      case APPROVED -> EnumSet.of(Action.EDIT, Action.PUBLISH);
      case PUBLISHED -> EnumSet.noneOf(Action.class);
    };
  }

  public boolean allows(Action action) {
    return allowed().contains(action);
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
