package io.govmedia.search;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The search index's terms of a text as other features compare texts with them (the inbox's similar cases): the
 * bigrams of its Chinese runs (the character of a one-character run) and its words, normalized as the index does.
 */
public final class Bigrams {

  private Bigrams() {
  }

  public static Set<String> of(String text) {
    return text == null ? Set.of() : new LinkedHashSet<>(SearchAnalysis.queryTerms("text", text));
  }
}
