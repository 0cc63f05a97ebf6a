package io.govmedia.checks;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;

/**
 * A text as the content checks compare it: each code point NFKC-normalized and lower-cased (so full-width
 * "ＶＰＮ", "Vpn" and "vpn" are one word, and "１３８" are digits), invisible format characters such as zero-width
 * spaces dropped (so "法\u200B轮" cannot slip past), with every normalized char mapped back to the original
 * chars it came from. A hit at {@code [from, to)} of {@link #normalized()} is {@code [start(from), end(to))} of
 * {@link #original()}, in UTF-16 code units, as {@link Finding} wants.
 *
 * <p>Normalizing per code point rather than the whole string keeps the map exact; it differs from whole-string
 * NFKC only in composing a letter with a following combining mark, which Chinese text does not use.
 */
final class CheckText {

  /** Per BMP char: its normalized form when that is not the char itself, else null ("" for dropped chars). */
  private static final String[] MAPPED = new String[Character.MAX_VALUE + 1];

  static {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      if (Character.isSurrogate((char) c)) {
        continue;
      }
      if (Character.getType(c) == Character.FORMAT) {
        MAPPED[c] = "";
        continue;
      }
      String own = String.valueOf((char) c);
      if (Character.toLowerCase(c) == c && Normalizer.isNormalized(own, Normalizer.Form.NFKC)) {
        continue; // the common case, and much cheaper to establish than normalizing
      }
      String mapped = fold(own);
      MAPPED[c] = mapped.equals(own) ? null : mapped;
    }
  }

  private final String original;
  private final String normalized;
  private final int[] starts;
  private final int[] ends;

  private CheckText(String original, String normalized, int[] starts, int[] ends) {
    this.original = original;
    this.normalized = normalized;
    this.starts = starts;
    this.ends = ends;
  }

  static CheckText of(String original) {
    int length = original.length();
    Builder out = new Builder(length + 16);
    for (int i = 0; i < length; i++) {
      char c = original.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(original.charAt(i + 1))) {
        int codePoint = Character.toCodePoint(c, original.charAt(i + 1));
        String own = original.substring(i, i + 2);
        out.append(Character.getType(codePoint) == Character.FORMAT ? "" : fold(own), i, i + 2);
        i++;
        continue;
      }
      String mapped = MAPPED[c];
      if (mapped == null) {
        out.append(c, i, i + 1);
      } else {
        out.append(mapped, i, i + 1);
      }
    }
    return out.build(original);
  }

  /** The normalized form of a list entry, as stored in its unique {@code key}: equal keys are one word. */
  static String key(String word) {
    return of(word).normalized();
  }

  String original() {
    return original;
  }

  String normalized() {
    return normalized;
  }

  /** Where in the original the normalized char at {@code index} starts. */
  int start(int index) {
    return starts[index];
  }

  /** Where in the original the normalized char just before {@code endIndex} ends. */
  int end(int endIndex) {
    return ends[endIndex - 1];
  }

  /** The original text behind the normalized range {@code [from, to)}. */
  String originalOf(int from, int to) {
    return original.substring(start(from), end(to));
  }

  private static String fold(String text) {
    return Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
  }

  private static final class Builder {
    private char[] chars;
    private int[] starts;
    private int[] ends;
    private int size;

    Builder(int capacity) {
      chars = new char[capacity];
      starts = new int[capacity];
      ends = new int[capacity];
    }

    void append(char c, int start, int end) {
      if (size == chars.length) {
        grow();
      }
      chars[size] = c;
      starts[size] = start;
      ends[size] = end;
      size++;
    }

    void append(String mapped, int start, int end) {
      for (int k = 0; k < mapped.length(); k++) {
        append(mapped.charAt(k), start, end);
      }
    }

    private void grow() {
      int capacity = chars.length * 2;
      chars = Arrays.copyOf(chars, capacity);
      starts = Arrays.copyOf(starts, capacity);
      ends = Arrays.copyOf(ends, capacity);
    }

    CheckText build(String original) {
      return new CheckText(original, new String(chars, 0, size), starts, ends);
    }
  }
}
