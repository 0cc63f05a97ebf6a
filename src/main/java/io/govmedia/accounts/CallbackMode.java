package io.govmedia.accounts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The message encryption mode chosen for an account in WeChat's console (消息加解密方式). It decides what the
 * callback accepts: plain mode takes unencrypted deliveries; compatible mode sends the encrypted copy beside the
 * plain one and safe mode only the encrypted one, so both accept nothing unencrypted.
 */
public enum CallbackMode {
  PLAIN, COMPATIBLE, SAFE;

  public static final Set<String> NAMES = Arrays.stream(values()).map(CallbackMode::wire)
    .collect(Collectors.toUnmodifiableSet());

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether WeChat encrypts every delivery in this mode, so an unencrypted one cannot be WeChat's. */
  public boolean encrypts() {
    return this != PLAIN;
  }

  /** The mode for its wire name; null stays null (an account stored before modes existed). */
  public static CallbackMode parse(String wire) {
    return wire == null ? null : valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
