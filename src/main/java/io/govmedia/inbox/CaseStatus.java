package io.govmedia.inbox;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A case's place in the closed loop (受理 → 分拨 → 办理 → 答复 → 办结). The transitions are the cases part's table;
 * {@code OPEN} statuses count against a department's and a person's load and run on a deadline.
 */
public enum CaseStatus {
  DISPATCHING("待分拨"), ASSIGNED("已分派"), IN_PROGRESS("办理中"), PAUSED("已暂停计时"), ANSWERED("已答复"),
  CLOSED("已办结");

  private final String label;

  CaseStatus(String label) {
    this.label = label;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String label() {
    return label;
  }

  public boolean open() {
    return this != ANSWERED && this != CLOSED;
  }

  public static Optional<CaseStatus> parse(String wire) {
    return Arrays.stream(values()).filter(s -> s.wire().equals(wire)).findFirst();
  }
}
