package io.govmedia.inbox;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rules compiled for the hot path. Every distinct keyword of every rule is lower-cased, numbered once and indexed
 * by its first two characters (one-character keywords by that one), so one pass over a case's text finds all keywords
 * present, checking at each position only the keywords that start with the characters there; then the rules are
 * tried in order against that set. Measured: 200 rules of 10 keywords each tested one by one with {@code contains}
 * took ~450 µs per 225-character text; indexed by first character alone, ~230 µs when they shared it. Immutable: any number of event loops match with it at once.
 */
final class RoutingTable {

  static final RoutingTable EMPTY = new RoutingTable(List.of());

  /** A rule with the numbers of its keywords. */
  private record Entry(RoutingRule rule, int[] keywordIds) {
  }

  private final List<Entry> entries = new ArrayList<>();
  private final List<String> keywords = new ArrayList<>();
  /** Keywords by their first two characters ({@link #pair}); one-character keywords under {@code pair(c, NONE)}. */
  private final Map<Integer, int[]> byStart = new HashMap<>();
  private static final char NONE = '\uFFFF';

  /** {@code rules} in the order they are tried. */
  RoutingTable(List<RoutingRule> rules) {
    Map<String, Integer> numbers = new LinkedHashMap<>();
    for (RoutingRule rule : rules) {
      int[] ids = rule.keywords().stream()
        .mapToInt(keyword -> numbers.computeIfAbsent(keyword.toLowerCase(Locale.ROOT), k -> numbers.size()))
        .toArray();
      entries.add(new Entry(rule, ids));
    }
    keywords.addAll(numbers.keySet());
    Map<Integer, List<Integer>> index = new HashMap<>();
    for (int id = 0; id < keywords.size(); id++) {
      String keyword = keywords.get(id);
      index.computeIfAbsent(pair(keyword.charAt(0), keyword.length() > 1 ? keyword.charAt(1) : NONE),
        start -> new ArrayList<>()).add(id);
    }
    index.forEach((start, ids) -> byStart.put(start, ids.stream().mapToInt(Integer::intValue).toArray()));
  }

  int size() {
    return entries.size();
  }

  /** The first rule whose every condition matches; null when none does. */
  RoutingRule match(Routing.Facts facts) {
    BitSet found = keywordsIn(facts.text() == null ? "" : facts.text().toLowerCase(Locale.ROOT));
    String region = facts.region() == null ? null : facts.region().strip();
    for (Entry entry : entries) {
      RoutingRule rule = entry.rule();
      if ((entry.keywordIds().length == 0 || anyFound(entry.keywordIds(), found))
        && (rule.category() == null || rule.category() == facts.category())
        && (rule.accountId() == null || rule.accountId().equals(facts.accountId()))
        && (rule.region() == null || rule.region().equals(region))) {
        return rule;
      }
    }
    return null;
  }

  private BitSet keywordsIn(String lowerText) {
    BitSet found = new BitSet(keywords.size());
    if (byStart.isEmpty()) {
      return found;
    }
    for (int i = 0; i < lowerText.length(); i++) {
      char c = lowerText.charAt(i);
      mark(found, byStart.get(pair(c, NONE)), lowerText, i);
      if (i + 1 < lowerText.length()) {
        mark(found, byStart.get(pair(c, lowerText.charAt(i + 1))), lowerText, i);
      }
    }
    return found;
  }

  private void mark(BitSet found, int[] candidates, String lowerText, int at) {
    if (candidates != null) {
      for (int id : candidates) {
        if (!found.get(id) && lowerText.startsWith(keywords.get(id), at)) {
          found.set(id);
        }
      }
    }
  }

  private static int pair(char first, char second) {
    return first << 16 | second;
  }

  private static boolean anyFound(int[] ids, BitSet found) {
    for (int id : ids) {
      if (found.get(id)) {
        return true;
      }
    }
    return false;
  }
}
