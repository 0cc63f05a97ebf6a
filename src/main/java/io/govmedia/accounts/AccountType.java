package io.govmedia.accounts;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The platforms the office publishes on, each with the secrets its account holds. */
public enum AccountType {
  WECHAT_MP("wechat_mp", "微信公众号", List.of("appSecret", "token", "aesKey")),
  /** token and aesKey: its message push (消息推送), which carries the verdicts of asynchronous content checks. */
  WECHAT_MINIAPP("wechat_miniapp", "微信小程序", List.of("appSecret", "token", "aesKey")),
  WEIBO("weibo", "微博", List.of("appSecret", "accessToken"));

  public static final Set<String> NAMES = Arrays.stream(values()).map(t -> t.wire).collect(Collectors.toUnmodifiableSet());

  private final String wire;
  private final String label;
  private final List<String> secretNames;

  AccountType(String wire, String label, List<String> secretNames) {
    this.wire = wire;
    this.label = label;
    this.secretNames = secretNames;
  }

  public String wire() {
    return wire;
  }

  public String label() {
    return label;
  }

  public List<String> secretNames() {
    return secretNames;
  }

  public static Optional<AccountType> parse(String wire) {
    return Arrays.stream(values()).filter(t -> t.wire.equals(wire)).findFirst();
  }
}
