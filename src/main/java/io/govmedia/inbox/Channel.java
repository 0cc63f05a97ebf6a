package io.govmedia.inbox;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where a case came from; the wire value is the Contract's. */
public enum Channel {
  WECHAT("微信公众号"), WECHAT_COMMENT("公众号文章留言"), MINIAPP("小程序"), WEIBO("微博"), PHONE("电话"),
  LETTER("来信"), VISIT("来访"), MAILBOX("网上信箱");

  private final String label;

  Channel(String label) {
    this.label = label;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String label() {
    return label;
  }

  /** Channels staff enter cases for by hand ({@code POST /api/v1/cases}). */
  public boolean staffEntered() {
    return this == PHONE || this == LETTER || this == VISIT || this == MAILBOX;
  }

  public static Optional<Channel> parse(String wire) {
    return Arrays.stream(values()).filter(c -> c.wire().equals(wire)).findFirst();
  }
}
