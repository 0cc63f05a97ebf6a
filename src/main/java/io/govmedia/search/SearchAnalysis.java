package io.govmedia.search;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.cjk.CJKWidthCharFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How text becomes search terms. Full-width Latin letters and digits fold to half width (before tokenizing, so
 * "ＰＭ２．５" is one word "pm2.5" and highlights keep the original characters), words are lower-cased, and runs of
 * Chinese characters become bigrams. A document is indexed under every bigram and every single character too; a
 * query asks for the bigrams of its Chinese runs (a lone character only where it stands alone) and its words, so
 * that a two-character query is one term, and a one-character query still finds every text with that character.
 */
final class SearchAnalysis {

  static final Analyzer INDEX = analyzer(true);
  static final Analyzer QUERY = analyzer(false);

  private SearchAnalysis() {
  }

  /** The distinct terms a query asks for, in query order. */
  static List<String> queryTerms(String field, String q) {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream stream = QUERY.tokenStream(field, q)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        terms.add(term.toString());
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException("analysing an in-memory string", e);
    }
    return List.copyOf(terms);
  }

  private static Analyzer analyzer(boolean unigrams) {
    return new Analyzer() {
      @Override
      protected Reader initReader(String fieldName, Reader reader) {
        return new CJKWidthCharFilter(reader);
      }

      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        StandardTokenizer tokenizer = new StandardTokenizer();
        TokenStream stream = new LowerCaseFilter(tokenizer);
        stream = new CJKBigramFilter(stream, CJKBigramFilter.HAN | CJKBigramFilter.HIRAGANA | CJKBigramFilter.KATAKANA
          | CJKBigramFilter.HANGUL, unigrams);
        return new TokenStreamComponents(tokenizer, stream);
      }

      @Override
      protected TokenStream normalize(String fieldName, TokenStream in) {
        return new LowerCaseFilter(in);
      }
    };
  }
}
