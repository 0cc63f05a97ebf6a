package io.govmedia.media;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of a file a {@code Range} header asks for (RFC 9110 §14): {@code bytes=a-b}, {@code bytes=a-} or the
 * suffix {@code bytes=-n}. A header that does not parse, names another unit, or asks for several ranges is ignored
 * and the whole file is sent (200): players ask for one range at a time, and a multipart/byteranges answer would
 * buy nothing. A range starting at or beyond the end cannot be satisfied (416).
 *
 * @param end inclusive
 */
record AssetRange(Kind kind, long start, long end) {

  enum Kind { WHOLE, PARTIAL, UNSATISFIABLE }

  private static final Pattern SINGLE = Pattern.compile("bytes=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*");

  static AssetRange parse(String header, long size) {
    AssetRange whole = new AssetRange(Kind.WHOLE, 0, size - 1);
    if (header == null) {
      return whole;
    }
    Matcher m = SINGLE.matcher(header.toLowerCase(Locale.ROOT));
    if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
      return whole;
    }
    if (m.group(1).isEmpty()) {
      long suffix = number(m.group(2));
      return suffix == 0 ? unsatisfiable() : new AssetRange(Kind.PARTIAL, Math.max(0, size - suffix), size - 1);
    }
    long start = number(m.group(1));
    if (m.group(2).isEmpty()) {
      return start >= size ? unsatisfiable() : new AssetRange(Kind.PARTIAL, start, size - 1);
    }
    long end = number(m.group(2));
    if (end < start) {
      return whole;  // not a valid range: ignored, as RFC 9110 says
    }
    return start >= size ? unsatisfiable() : new AssetRange(Kind.PARTIAL, start, Math.min(end, size - 1));
  }

  long length() {
    return end - start + 1;
  }

  private static AssetRange unsatisfiable() {
    return new AssetRange(Kind.UNSATISFIABLE, 0, -1);
  }

  /** Digits beyond a long mean "more than any file". */
  private static long number(String digits) {
    return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
  }
}
