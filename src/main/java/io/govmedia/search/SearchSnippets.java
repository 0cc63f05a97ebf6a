package io.govmedia.search;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Highlighted, HTML-escaped text for a hit: the matched terms wrapped in {@code <em>…</em>}, everything else
 * escaped, so a console can show it as HTML as it is. A snippet is the window of the text that holds the most
 * distinct query terms (then the most matches), with an ellipsis where the text goes on.
 */
final class SearchSnippets {

  static final int WIDTH = 120;
  private static final int LEAD = 20;
  private static final int MAX_SPANS = 2000;

  private record Span(int start, int end, String term) {}

  private SearchSnippets() {
  }

  static String snippet(String text, Set<String> queryTerms) {
    List<Span> spans = spans(text, queryTerms);
    int start = bestStart(text, spans);
    int end = Math.min(text.length(), start + WIDTH);
    if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    StringBuilder out = new StringBuilder(WIDTH * 2);
    if (start > 0) {
      out.append('…');
    }
    mark(text, start, end, spans, out);
    if (end < text.length()) {
      out.append('…');
    }
    return out.toString();
  }

  /** The whole title, highlighted. */
  static String highlight(String title, Set<String> queryTerms) {
    StringBuilder out = new StringBuilder(title.length() + 32);
    mark(title, 0, title.length(), spans(title, queryTerms), out);
    return out.toString();
  }

  private static List<Span> spans(String text, Set<String> queryTerms) {
    List<Span> spans = new ArrayList<>();
    SearchTerms.scan(text, (term, start, end, kind) -> {
      if (spans.size() < MAX_SPANS && queryTerms.contains(term)) {
        spans.add(new Span(start, end, term));
      }
    });
    spans.sort((a, b) -> a.start != b.start ? Integer.compare(a.start, b.start) : Integer.compare(a.end, b.end));
    return spans;
  }

  private static int bestStart(String text, List<Span> spans) {
    int best = 0;
    long bestScore = -1;
    Set<String> distinct = new HashSet<>();
    for (int i = 0; i < spans.size(); i++) {
      int start = Math.max(0, spans.get(i).start - LEAD);
      distinct.clear();
      int count = 0;
      for (int j = i; j < spans.size() && spans.get(j).end <= start + WIDTH; j++) {
        distinct.add(spans.get(j).term);
        count++;
      }
      long score = distinct.size() * 100_000L + count;
      if (score > bestScore) {
        bestScore = score;
        best = start;
      }
    }
    best = Math.max(0, Math.min(best, text.length() - WIDTH));
    return best > 0 && Character.isLowSurrogate(text.charAt(best)) ? best - 1 : best;
  }

  /** Appends {@code text[from, to)} escaped, with the (merged) spans inside it wrapped in em. */
  private static void mark(String text, int from, int to, List<Span> spans, StringBuilder out) {
    int at = from;
    int i = 0;
    while (i < spans.size()) {
      int start = spans.get(i).start;
      int end = spans.get(i).end;
      while (++i < spans.size() && spans.get(i).start <= end) {
        end = Math.max(end, spans.get(i).end);
      }
      start = Math.max(start, at);
      end = Math.min(end, to);
      if (start >= end) {
        continue;
      }
      escape(text, at, start, out);
      out.append("<em>");
      escape(text, start, end, out);
      out.append("</em>");
      at = end;
    }
    escape(text, at, to, out);
  }

  private static void escape(String text, int from, int to, StringBuilder out) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        case '\n', '\r', '\t' -> {
          if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
            out.append(' ');
          }
        }
        default -> out.append(c);
      }
    }
  }
}
