package io.govmedia.inbox;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a citizen asks for, with the default answer limit in working days (DOMAIN.md §2; configurable per category
 * and urgency). An information request (依申请公开) runs on its statutory clock: 20 working days, one extension of 20.
 */
public enum Category {
  CONSULTATION("咨询", 5), COMPLAINT("投诉", 7), SUGGESTION("建议", 10), HELP("求助", 5), REPORT("举报", 7),
  DISCLOSURE_REQUEST("依申请公开", 20);

  private final String label;
  private final int workingDays;

  Category(String label, int workingDays) {
    this.label = label;
    this.workingDays = workingDays;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String label() {
    return label;
  }

  /** The default limit for a normal case; an urgent one has 1 working day (not a disclosure request). */
  public int workingDays() {
    return workingDays;
  }

  public static Optional<Category> parse(String wire) {
    return Arrays.stream(values()).filter(c -> c.wire().equals(wire)).findFirst();
  }
}
