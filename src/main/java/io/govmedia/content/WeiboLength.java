package io.govmedia.content;

/**
 * How long Weibo says a text is: each non-ASCII character (a code point, so an emoji too) counts one, ASCII
 * characters count half, and the total is rounded up. A status may be {@value #LIMIT} long; the publisher appends
 * a space and the link to the post's public page, which Weibo shortens to a t.cn link of {@value #LINK_CHARS} ASCII
 * characters, so the editor's text has {@link #budget()} left.
 */
public final class WeiboLength {

  public static final int LIMIT = 140;
  /** A t.cn short link, e.g. {@code https://t.cn/A6abcde}, as Weibo counts any link in a status. */
  public static final int LINK_CHARS = 20;

  private WeiboLength() {
  }

  /** Weibo's count of {@code text}. */
  public static int count(String text) {
    return (halves(text) + 1) / 2;
  }

  /** The count of {@code text} once the publisher has appended a space and the link. */
  public static int countWithLink(String text) {
    return (halves(text) + 1 + LINK_CHARS + 1) / 2;
  }

  /** Whether {@code text} with the appended link fits in a status. */
  public static boolean fits(String text) {
    return countWithLink(text) <= LIMIT;
  }

  /** What an editor's text may count: the limit less the space and the link. */
  public static int budget() {
    return LIMIT - (1 + LINK_CHARS + 1) / 2;
  }

  /** The length in half characters: two per non-ASCII code point, one per ASCII character. */
  private static int halves(String text) {
    return text.codePoints().map(c -> c < 0x80 ? 1 : 2).sum();
  }
}
