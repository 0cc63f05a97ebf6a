package io.govmedia.publishing;

import io.govmedia.platform.Problem;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where a slot stands, and which moves each state allows — written down once here. Once a send started
 * ({@code publishing} or later) nothing is cancelled or rescheduled: only the channel's answer, a check, or an
 * editor who looked at the channel moves it on.
 */
enum SlotStatus {
  SCHEDULED, PUBLISHING, PUBLISHED, FAILED, NEEDS_CHECK, MISSED, WITHDRAWN, CANCELLED;

  /** Statuses that hold the post's place on an account: a second slot there is refused. */
  static final Set<SlotStatus> LIVE = EnumSet.of(SCHEDULED, PUBLISHING, PUBLISHED, NEEDS_CHECK);

  /** Statuses the scheduler keeps in its Redis sets: rebuilt from MongoDB at start and by the sweep. */
  static final Set<SlotStatus> WATCHED = EnumSet.of(SCHEDULED, PUBLISHING, NEEDS_CHECK);

  Set<SlotStatus> next() {
    return switch (this) {
      // rescheduling keeps it scheduled; failed and missed come from the checks just before the send
      case SCHEDULED -> EnumSet.of(SCHEDULED, PUBLISHING, CANCELLED, MISSED, FAILED);
      // publishing → publishing records ids learned during the send (drafts, publish_id) and pending checks
      case PUBLISHING -> EnumSet.of(PUBLISHING, PUBLISHED, SCHEDULED, FAILED, NEEDS_CHECK);
      // a check answers later (needs_check again), or finds it; retry only after an editor confirmed it did not go out
      case NEEDS_CHECK -> EnumSet.of(NEEDS_CHECK, PUBLISHED, FAILED, SCHEDULED);
      case FAILED -> EnumSet.of(SCHEDULED, PUBLISHED);
      case MISSED -> EnumSet.of(SCHEDULED, CANCELLED);
      case PUBLISHED -> EnumSet.of(WITHDRAWN);
      case WITHDRAWN, CANCELLED -> EnumSet.noneOf(SlotStatus.class);
    };
  }

  boolean canMoveTo(SlotStatus to) {
    return next().contains(to);
  }

  /** Whether a send has started: then the slot can no longer be cancelled or rescheduled. */
  boolean started() {
    return this != SCHEDULED && this != MISSED && this != CANCELLED;
  }

  /**
   * Whether the slot keeps its place in the mass-send quota (sending, or sent). A withdrawn mass send keeps it:
   * deleting a mass message does not give WeChat's quota back.
   */
  boolean holdsQuota() {
    return this == SCHEDULED || this == PUBLISHING || this == PUBLISHED || this == NEEDS_CHECK || this == WITHDRAWN;
  }

  /** Fails with a 409 problem unless this state allows the move. */
  void require(SlotStatus to, String code) {
    if (!canMoveTo(to)) {
      throw Problem.conflict(code, "当前状态（" + label() + "）不能执行此操作", null).with("status", wire());
    }
  }

  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static SlotStatus parse(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }

  String label() {
    return switch (this) {
      case SCHEDULED -> "已排期";
      case PUBLISHING -> "发布中";
      case PUBLISHED -> "已发布";
      case FAILED -> "发布失败";
      case NEEDS_CHECK -> "待核实";
      case MISSED -> "已错过";
      case WITHDRAWN -> "已撤回";
      case CANCELLED -> "已取消";
    };
  }
}
