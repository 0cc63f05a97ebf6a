package io.govmedia.search;

import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The terms of our own search index. Text is normalized one character at a time (NFKC, lower case), so that every
 * term keeps the span of the original text it came from, for highlighting. Chinese characters (script Han) give
 * every single character and every pair of neighbours (bigrams); everything else that is a letter or a digit
 * forms words, with a dot between digits kept ({@code PM2.5}, {@code 3.14}). A document is indexed under all of
 * these; a query asks for the bigrams of its Chinese runs, the character of a one-character run, and its words.
 */
final class SearchTerms {

  /** Longer words are cut to this many characters, on both sides alike. */
  static final int MAX_WORD = 32;

  /** What a scan yields: a term and the span {@code [start, end)} of the original text it came from. */
  interface Sink {
    void term(String term, int start, int end, Kind kind);
  }

  enum Kind { CHARACTER, BIGRAM, WORD }

  private SearchTerms() {
  }

  /** Every term of a document's text, each time it occurs. */
  static void scan(String text, Sink sink) {
    new Scanner(text, sink, false).run();
  }

  /** The distinct terms a query asks for, in query order. */
  static List<String> query(String q) {
    Set<String> terms = new LinkedHashSet<>();
    new Scanner(q, (term, start, end, kind) -> terms.add(term), true).run();
    return List.copyOf(terms);
  }

  /** True for the characters that form bigrams. */
  static boolean isHan(int codePoint) {
    return codePoint >= 0x4E00 && codePoint <= 0x9FFF
      || codePoint >= 0x3400 && Character.UnicodeScript.of(codePoint) == Character.UnicodeScript.HAN;
  }

  /** True for a term that is one Chinese character. */
  static boolean isCharacter(String term) {
    return term.codePointCount(0, term.length()) == 1 && isHan(term.codePointAt(0));
  }

  private static final class Scanner {
    private final String text;
    private final Sink sink;
    private final boolean query;
    private final StringBuilder word = new StringBuilder();
    private int wordStart;
    private int wordEnd;
    private boolean wordEndsInDigit;
    private int dotStart = -1;
    private int dotEnd;
    // The current run of Chinese characters: its last character, and (for queries) its first, held back.
    private int previousHan = -1;
    private int previousStart;
    private int runLength;
    private int firstHan;
    private int firstStart;
    private int firstEnd;

    Scanner(String text, Sink sink, boolean query) {
      this.text = text;
      this.sink = sink;
      this.query = query;
    }

    void run() {
      int i = 0;
      while (i < text.length()) {
        int cp = text.codePointAt(i);
        int end = i + Character.charCount(cp);
        if (cp < 0x80) {
          accept(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp, i, end);
        } else if (cp >= 0x4E00 && cp <= 0x9FFF) {
          accept(cp, i, end);
        } else {
          String normalized = Normalizer.normalize(text.substring(i, end), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
          for (int j = 0; j < normalized.length(); j += Character.charCount(normalized.codePointAt(j))) {
            accept(normalized.codePointAt(j), i, end);
          }
        }
        i = end;
      }
      endWord();
      endRun();
    }

    private void accept(int cp, int start, int end) {
      if (isHan(cp)) {
        endWord();
        han(cp, start, end);
      } else if (Character.isLetterOrDigit(cp) || Character.getType(cp) == Character.NON_SPACING_MARK && word.length() > 0) {
        endRun();
        if (dotStart >= 0) {
          if (Character.isDigit(cp)) {
            word.append('.');
          } else {
            endWord();
          }
          dotStart = -1;
        }
        if (word.length() == 0) {
          wordStart = start;
        }
        word.appendCodePoint(cp);
        wordEnd = end;
        wordEndsInDigit = Character.isDigit(cp);
      } else if (cp == '.' && wordEndsInDigit && dotStart < 0 && word.length() > 0) {
        dotStart = start;
        dotEnd = end;
      } else {
        endWord();
        endRun();
      }
    }

    private void han(int cp, int start, int end) {
      runLength++;
      if (!query) {
        sink.term(new String(Character.toChars(cp)), start, end, Kind.CHARACTER);
      } else if (runLength == 1) {
        firstHan = cp;
        firstStart = start;
        firstEnd = end;
      }
      if (previousHan >= 0) {
        sink.term(new StringBuilder(4).appendCodePoint(previousHan).appendCodePoint(cp).toString(), previousStart, end,
          Kind.BIGRAM);
      }
      previousHan = cp;
      previousStart = start;
    }

    private void endRun() {
      if (query && runLength == 1) {
        sink.term(new String(Character.toChars(firstHan)), firstStart, firstEnd, Kind.CHARACTER);
      }
      previousHan = -1;
      runLength = 0;
    }

    private void endWord() {
      dotStart = -1;
      if (word.length() == 0) {
        return;
      }
      String term = word.length() > MAX_WORD ? word.substring(0, MAX_WORD) : word.toString();
      sink.term(term, wordStart, wordEnd, Kind.WORD);
      word.setLength(0);
      wordEndsInDigit = false;
    }
  }
}
