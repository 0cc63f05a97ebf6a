package io.govmedia.checks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An Aho–Corasick automaton over many words at once: one pass over a text finds every occurrence of every word,
 * in time proportional to the text plus the hits, however long the list. Used for the sensitive words and the
 * wrong forms of the wording rules. Immutable once built, so any number of threads may match with it.
 *
 * <p>Every occurrence is reported, overlapping ones included: with the words "人民" and "中华人民共和国", the
 * text "中华人民共和国" has two hits, so a reviewer sees each rule that applies. Words and texts are compared as
 * given: callers pass {@link CheckText#normalized()} forms on both sides.
 *
 * <p>The trie's edges live in one open-addressing hash table keyed by (state, char), because the alphabet is
 * all of Unicode's Chinese characters: a table per state would not fit, a map per state would be slow to probe.
 *
 * @param <T> what a word stands for (its rule, level and hint)
 */
final class CheckAutomaton<T> {

  /** A word to find and what it stands for. Words that are equal may be given more than once. */
  record Word<T>(String text, T payload) {}

  /** An occurrence at {@code [from, to)} of the matched text. */
  record Hit<T>(int from, int to, T payload) {}

  private static final long EMPTY = -1L;

  private final long[] edgeKeys;
  private final int[] edgeTargets;
  private final int mask;
  private final int[] fail;
  /** The nearest state on the failure chain (excluding this one) that ends a word, or 0. */
  private final int[] dictionary;
  /** The first word ending exactly at each state, or -1; further ones follow {@link #nextWord}. */
  private final int[] firstWord;
  private final int[] nextWord;
  private final int[] wordLength;
  private final List<T> payloads;
  private final int states;

  private CheckAutomaton(long[] edgeKeys, int[] edgeTargets, int[] fail, int[] dictionary, int[] firstWord,
                         int[] nextWord, int[] wordLength, List<T> payloads, int states) {
    this.edgeKeys = edgeKeys;
    this.edgeTargets = edgeTargets;
    this.mask = edgeKeys.length - 1;
    this.fail = fail;
    this.dictionary = dictionary;
    this.firstWord = firstWord;
    this.nextWord = nextWord;
    this.wordLength = wordLength;
    this.payloads = payloads;
    this.states = states;
  }

  /** Builds the automaton; empty words are ignored. */
  static <T> CheckAutomaton<T> build(List<Word<T>> words) {
    Trie trie = new Trie();
    List<T> payloads = new ArrayList<>(words.size());
    int[] nextWord = new int[words.size()];
    int[] wordLength = new int[words.size()];
    for (Word<T> word : words) {
      if (word.text().isEmpty()) {
        continue;
      }
      int id = payloads.size();
      payloads.add(word.payload());
      wordLength[id] = word.text().length();
      int state = trie.insert(word.text());
      nextWord[id] = trie.firstWord[state];
      trie.firstWord[state] = id;
    }
    return trie.compile(payloads, Arrays.copyOf(nextWord, payloads.size()), Arrays.copyOf(wordLength, payloads.size()));
  }

  /** Every occurrence of every word in {@code text}, ordered by where it ends, then longest first. */
  List<Hit<T>> find(String text) {
    List<Hit<T>> hits = new ArrayList<>();
    int state = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int next = edge(state, c);
      while (next < 0 && state != 0) {
        state = fail[state];
        next = edge(state, c);
      }
      state = Math.max(next, 0);
      for (int s = firstWord[state] >= 0 ? state : dictionary[state]; s > 0; s = dictionary[s]) {
        for (int w = firstWord[s]; w >= 0; w = nextWord[w]) {
          hits.add(new Hit<>(i + 1 - wordLength[w], i + 1, payloads.get(w)));
        }
      }
    }
    return hits;
  }

  /** How many words the automaton finds. */
  int size() {
    return payloads.size();
  }

  /** Trie states, for the benchmark's report. */
  int states() {
    return states;
  }

  private int edge(int state, char c) {
    long key = edgeKey(state, c);
    for (int slot = slot(key, mask); ; slot = (slot + 1) & mask) {
      long found = edgeKeys[slot];
      if (found == key) {
        return edgeTargets[slot];
      }
      if (found == EMPTY) {
        return -1;
      }
    }
  }

  private static long edgeKey(int state, char c) {
    return ((long) state << 16) | c;
  }

  private static int slot(long key, int mask) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
  }

  /**
   * The trie while words are added: edges in a map for finding a child (the root has thousands), and as per-state
   * linked lists of children for walking them breadth-first later.
   */
  private static final class Trie {
    private final java.util.HashMap<Long, Integer> edges = new java.util.HashMap<>();
    private int size = 1;
    private int[] firstChild = filled(64);
    private int[] sibling = filled(64);
    private char[] label = new char[64];
    int[] firstWord = filled(64);

    int insert(String word) {
      int state = 0;
      for (int i = 0; i < word.length(); i++) {
        state = childOrNew(state, word.charAt(i));
      }
      return state;
    }

    private int childOrNew(int state, char c) {
      Integer existing = edges.get(edgeKey(state, c));
      if (existing != null) {
        return existing;
      }
      if (size == label.length) {
        int capacity = size * 2;
        firstChild = grow(firstChild, capacity);
        sibling = grow(sibling, capacity);
        firstWord = grow(firstWord, capacity);
        label = Arrays.copyOf(label, capacity);
      }
      int created = size++;
      edges.put(edgeKey(state, c), created);
      label[created] = c;
      sibling[created] = firstChild[state];
      firstChild[state] = created;
      return created;
    }

    <T> CheckAutomaton<T> compile(List<T> payloads, int[] nextWord, int[] wordLength) {
      int capacity = Integer.highestOneBit(Math.max(4, size) * 2) * 2;
      long[] keys = new long[capacity];
      Arrays.fill(keys, EMPTY);
      int[] targets = new int[capacity];
      int mask = capacity - 1;
      for (int state = 0; state < size; state++) {
        for (int child = firstChild[state]; child >= 0; child = sibling[child]) {
          long key = edgeKey(state, label[child]);
          int slot = slot(key, mask);
          while (keys[slot] != EMPTY) {
            slot = (slot + 1) & mask;
          }
          keys[slot] = key;
          targets[slot] = child;
        }
      }
      int[] fail = new int[size];
      int[] dictionary = new int[size];
      int[] words = Arrays.copyOf(firstWord, size);
      CheckAutomaton<T> automaton = new CheckAutomaton<>(keys, targets, fail, dictionary, words, nextWord, wordLength,
        List.copyOf(payloads), size);
      linkFailures(automaton, fail, dictionary, words);
      return automaton;
    }

    /** Breadth-first, so a state's failure target (a shorter suffix) is always linked before the state itself. */
    private void linkFailures(CheckAutomaton<?> automaton, int[] fail, int[] dictionary, int[] words) {
      int[] queue = new int[size];
      int head = 0;
      int tail = 0;
      for (int child = firstChild[0]; child >= 0; child = sibling[child]) {
        queue[tail++] = child;
      }
      while (head < tail) {
        int state = queue[head++];
        for (int child = firstChild[state]; child >= 0; child = sibling[child]) {
          int candidate = fail[state];
          int target = automaton.edge(candidate, label[child]);
          while (target < 0 && candidate != 0) {
            candidate = fail[candidate];
            target = automaton.edge(candidate, label[child]);
          }
          fail[child] = Math.max(target, 0);
          dictionary[child] = words[fail[child]] >= 0 ? fail[child] : dictionary[fail[child]];
          queue[tail++] = child;
        }
      }
    }

    private static int[] filled(int capacity) {
      int[] array = new int[capacity];
      Arrays.fill(array, -1);
      return array;
    }

    private static int[] grow(int[] array, int capacity) {
      int[] grown = Arrays.copyOf(array, capacity);
      Arrays.fill(grown, array.length, capacity, -1);
      return grown;
    }
  }
}
