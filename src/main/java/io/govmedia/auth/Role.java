package io.govmedia.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** What a staff member may do. Scopes (accounts, departments) narrow where. */
public enum Role {
  ADMIN, EDITOR, REVIEWER, DISPATCHER, REPLIER, SUPERVISOR;

  public static final Set<String> NAMES = Arrays.stream(values()).map(Role::wire).collect(Collectors.toUnmodifiableSet());

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> parse(String name) {
    return NAMES.contains(name) ? Optional.of(valueOf(name.toUpperCase(Locale.ROOT))) : Optional.empty();
  }
}
