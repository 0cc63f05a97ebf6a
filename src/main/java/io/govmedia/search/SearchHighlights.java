package io.govmedia.search;

import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.uhighlight.LengthGoalBreakIterator;
import org.apache.lucene.search.uhighlight.Passage;
import org.apache.lucene.search.uhighlight.PassageFormatter;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.search.uhighlight.WholeBreakIterator;

import java.io.IOException;
import java.text.BreakIterator;
import java.util.Map;

/**
 * Highlighted, HTML-escaped text for hits, from Lucene's {@link UnifiedHighlighter} over the offsets kept in the
 * postings: the matched terms wrapped in {@code <em>…</em>} (overlapping bigrams merged into one), everything else
 * escaped, so that a console or the mini-program shows it as HTML as it is. The title comes whole; the snippet is
 * the passage of about {@value #WIDTH} characters of the text that scores best, with an ellipsis where the text
 * goes on, or the text's beginning when only the title matched.
 */
final class SearchHighlights {

  static final int WIDTH = 120;
  /** Texts are highlighted up to here; a match further on yields the beginning instead. */
  private static final int MAX_LENGTH = 100_000;

  private SearchHighlights() {
  }

  /** {@code highlights.get(field)[i]} belongs to {@code docIds[i]}. */
  static Map<String, String[]> of(IndexSearcher searcher, Query terms, int[] docIds) throws IOException {
    UnifiedHighlighter highlighter = new UnifiedHighlighter(UnifiedHighlighter.builder(searcher, SearchAnalysis.INDEX)
      .withFormatter(new Formatter()).withMaxNoHighlightPassages(1).withMaxLength(MAX_LENGTH)) {
      @Override
      protected BreakIterator getBreakIterator(String field) {
        return LuceneIndex.TITLE.equals(field) ? new WholeBreakIterator()
          : LengthGoalBreakIterator.createClosestToLength(BreakIterator.getCharacterInstance(), WIDTH, 0.2f);
      }
    };
    int[] passages = {1, 1};
    return highlighter.highlightFields(new String[] {LuceneIndex.TITLE, LuceneIndex.TEXT}, terms, docIds.clone(), passages);
  }

  private static final class Formatter extends PassageFormatter {

    @Override
    public String format(Passage[] passages, String content) {
      StringBuilder out = new StringBuilder(WIDTH * 2);
      for (Passage passage : passages) {
        // widened to WIDTH where the text allows: a short text shows whole, a match near the end shows what leads to it
        int from = Math.max(0, Math.min(passage.getStartOffset(), content.length() - WIDTH));
        int to = Math.min(content.length(), Math.max(passage.getEndOffset(), from + WIDTH));
        from = from > 0 && Character.isLowSurrogate(content.charAt(from)) ? from - 1 : from;
        to = to < content.length() && Character.isLowSurrogate(content.charAt(to)) ? to + 1 : to;
        if (from > 0) {
          out.append('…');
        }
        int at = from;
        for (int i = 0; i < passage.getNumMatches(); i++) {
          int start = Math.max(at, passage.getMatchStarts()[i]);
          int end = passage.getMatchEnds()[i];
          while (i + 1 < passage.getNumMatches() && passage.getMatchStarts()[i + 1] <= end) {
            end = Math.max(end, passage.getMatchEnds()[++i]);
          }
          end = Math.min(end, to);
          if (start >= end) {
            continue;
          }
          escape(content, at, start, out);
          out.append("<em>");
          escape(content, start, end, out);
          out.append("</em>");
          at = end;
        }
        escape(content, at, to, out);
        if (to < content.length()) {
          out.append('…');
        }
      }
      return out.toString();
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
}
