package io.govmedia.inbox;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

public enum Urgency {
  NORMAL("一般"), URGENT("紧急");

  private final String label;

  Urgency(String label) {
    this.label = label;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String label() {
    return label;
  }

  public static Optional<Urgency> parse(String wire) {
    return Arrays.stream(values()).filter(u -> u.wire().equals(wire)).findFirst();
  }
}
