package io.govmedia.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The inverted index one instance keeps in memory: term → postings, each a byte array of varint pairs (gap to the
 * previous entry number, then {@code bodyFrequency << 1 | inTitle}), appended in entry-number order. An update
 * gives the entry a new number and leaves its old postings dead until {@link #compacted()} drops them.
 *
 * <p>One writer (the index's single writer thread) and many readers: readers take the read lock, the writer the
 * write lock for the moment of appending (terms are counted before, outside the lock).
 *
 * <p>Ranking is BM25 over body term frequencies plus a fixed bonus per query term found in the title (larger
 * than any body score of that term can reach, so a title hit ranks above body hits), times the square of the
 * share of query terms the entry has: an entry must have most of them (all of one or two, two of three, ...).
 */
final class SearchMemoryIndex {

  static final byte DOCUMENT = 1;
  static final byte INTERPRETATION = 2;
  static final byte POST = 4;

  private static final double K1 = 1.2;
  private static final double B = 0.75;
  private static final double TITLE_BONUS = 2.5;

  /** An entry's terms counted, ready to append (done before taking the lock); a removal has no terms. */
  record Prepared(String key, byte kind, String id, String title, String text, long updatedAt, Owner owner, int rev,
                  String[] terms, int[] values, int length) {

    static Prepared removal(String key, int rev) {
      return new Prepared(key, (byte) 0, null, null, null, 0, null, rev, null, null, 0);
    }

    boolean removed() {
      return terms == null;
    }

    Prepared withRev(int newRev) {
      return new Prepared(key, kind, id, title, text, updatedAt, owner, newRev, terms, values, length);
    }

    /** The terms MongoDB keeps: all but single characters. */
    List<String> storedTerms() {
      List<String> stored = new ArrayList<>(terms.length);
      for (String term : terms) {
        if (!SearchTerms.isCharacter(term)) {
          stored.add(term);
        }
      }
      return stored;
    }

    static Prepared of(String key, byte kind, String id, String title, String text, long updatedAt, Owner owner,
                       int rev) {
      Map<String, int[]> counts = new HashMap<>();
      SearchTerms.scan(title, (term, start, end, k) -> counts.computeIfAbsent(term, t -> new int[1])[0] |= 1);
      int[] length = {0};
      SearchTerms.scan(text, (term, start, end, k) -> {
        counts.computeIfAbsent(term, t -> new int[1])[0] += 2;
        if (k != SearchTerms.Kind.CHARACTER) {
          length[0]++;
        }
      });
      String[] terms = new String[counts.size()];
      int[] values = new int[counts.size()];
      int i = 0;
      for (Map.Entry<String, int[]> e : counts.entrySet()) {
        terms[i] = e.getKey();
        values[i++] = e.getValue()[0];
      }
      return new Prepared(key, kind, id, title, text, updatedAt, owner, rev, terms, values, length[0]);
    }
  }

  /**
   * Who may find an entry: every staff member once it is published, before that only staff whose department scope
   * holds its department (an entry without one: admins only).
   */
  record Owner(String departmentId, boolean published) {
    Owner {
      departmentId = departmentId == null ? null : departmentId.intern();
    }
  }

  /** One ranked entry, copied out so that snippets are made outside the lock. */
  record Scored(byte kind, String id, String title, String text, long updatedAt, double score) {}

  record Ranked(List<Scored> top, int total) {}

  private static final class Postings {
    byte[] bytes = new byte[4];
    int size;
    int last = -1;
    int count;

    void add(int entry, int value) {
      if (size + 10 > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 3 / 2, size + 10));
      }
      size = varint(bytes, size, entry - last);
      size = varint(bytes, size, value);
      last = entry;
      count++;
    }

    void trim() {
      if (bytes.length > size) {
        bytes = Arrays.copyOf(bytes, size);
      }
    }

    private static int varint(byte[] into, int at, int value) {
      while ((value & ~0x7F) != 0) {
        into[at++] = (byte) ((value & 0x7F) | 0x80);
        value >>>= 7;
      }
      into[at++] = (byte) value;
      return at;
    }
  }

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, Postings> dictionary;
  private final Map<String, Integer> entryOf;
  private final Map<String, Integer> revs;
  private String[] ids;
  private String[] titles;
  private String[] texts;
  private long[] updatedAt;
  private Owner[] owners;
  private int[] lengths;
  private byte[] kinds;
  private boolean[] live;
  private int entries;
  private int liveEntries;
  private long liveLength;

  SearchMemoryIndex() {
    this(1024, new HashMap<>(), new ConcurrentHashMap<>());
  }

  private SearchMemoryIndex(int capacity, Map<String, Postings> dictionary, Map<String, Integer> revs) {
    this.dictionary = dictionary;
    this.entryOf = new HashMap<>(capacity * 2);
    this.revs = revs;
    ids = new String[capacity];
    titles = new String[capacity];
    texts = new String[capacity];
    updatedAt = new long[capacity];
    owners = new Owner[capacity];
    lengths = new int[capacity];
    kinds = new byte[capacity];
    live = new boolean[capacity];
  }

  /** The revision last applied for the key (live or removed), or -1; any thread. */
  int rev(String key) {
    Integer rev = revs.get(key);
    return rev == null ? -1 : rev;
  }

  // Writing: the writer thread only.

  /** Applies the entry or removal unless a newer revision was applied already. */
  boolean apply(Prepared entry) {
    if (entry.removed()) {
      return remove(entry.key(), entry.rev());
    }
    if (entry.rev() <= rev(entry.key())) {
      return false;
    }
    lock.writeLock().lock();
    try {
      drop(entry.key());
      int n = append(entry.kind(), entry.id(), entry.title(), entry.text(), entry.updatedAt(), entry.owner(),
        entry.length());
      for (int i = 0; i < entry.terms().length; i++) {
        dictionary.computeIfAbsent(entry.terms()[i], t -> new Postings()).add(n, entry.values()[i]);
      }
      entryOf.put(entry.key(), n);
      revs.put(entry.key(), entry.rev());
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes the entry unless a newer revision was applied already; the revision is remembered either way. */
  boolean remove(String key, int rev) {
    if (rev <= rev(key)) {
      return false;
    }
    lock.writeLock().lock();
    try {
      drop(key);
      revs.put(key, rev);
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void drop(String key) {
    Integer old = entryOf.remove(key);
    if (old != null) {
      live[old] = false;
      liveEntries--;
      liveLength -= lengths[old];
      texts[old] = null;
      titles[old] = null;
    }
  }

  private int append(byte kind, String id, String title, String text, long updated, Owner owner, int length) {
    if (entries == ids.length) {
      int capacity = entries * 2;
      ids = Arrays.copyOf(ids, capacity);
      titles = Arrays.copyOf(titles, capacity);
      texts = Arrays.copyOf(texts, capacity);
      updatedAt = Arrays.copyOf(updatedAt, capacity);
      owners = Arrays.copyOf(owners, capacity);
      lengths = Arrays.copyOf(lengths, capacity);
      kinds = Arrays.copyOf(kinds, capacity);
      live = Arrays.copyOf(live, capacity);
    }
    int n = entries++;
    ids[n] = id;
    titles[n] = title;
    texts[n] = text;
    updatedAt[n] = updated;
    owners[n] = owner;
    lengths[n] = length;
    kinds[n] = kind;
    live[n] = true;
    liveEntries++;
    liveLength += length;
    return n;
  }

  /** Worth compacting once a quarter of the entry numbers (and at least a thousand) are dead. */
  boolean needsCompaction() {
    int dead = entries - liveEntries;
    return dead >= 1000 && dead * 4 >= entries;
  }

  /** A copy without dead entries and their postings; the writer swaps it in for this one. */
  SearchMemoryIndex compacted() {
    SearchMemoryIndex fresh = new SearchMemoryIndex(Math.max(1024, liveEntries + liveEntries / 4),
      new HashMap<>(dictionary.size() * 2), new ConcurrentHashMap<>(revs));
    int[] renumbered = new int[entries];
    for (int n = 0; n < entries; n++) {
      renumbered[n] = live[n] ? fresh.append(kinds[n], ids[n], titles[n], texts[n], updatedAt[n], owners[n], lengths[n]) : -1;
    }
    entryOf.forEach((key, n) -> fresh.entryOf.put(key, renumbered[n]));
    dictionary.forEach((term, postings) -> {
      Postings copy = new Postings();
      forEach(postings, (n, value) -> {
        if (renumbered[n] >= 0) {
          copy.add(renumbered[n], value);
        }
      });
      if (copy.count > 0) {
        copy.trim();
        fresh.dictionary.put(term, copy);
      }
    });
    return fresh;
  }

  /** Gives back the slack of growing arrays, e.g. after loading. */
  void trim() {
    lock.writeLock().lock();
    try {
      dictionary.values().forEach(Postings::trim);
    } finally {
      lock.writeLock().unlock();
    }
  }

  // Reading: any thread.

  private interface PostingVisitor {
    void visit(int entry, int value);
  }

  private static void forEach(Postings postings, PostingVisitor visitor) {
    byte[] bytes = postings.bytes;
    int at = 0;
    int entry = -1;
    while (at < postings.size) {
      int gap = 0;
      for (int shift = 0; ; shift += 7) {
        byte b = bytes[at++];
        gap |= (b & 0x7F) << shift;
        if (b >= 0) {
          break;
        }
      }
      int value = 0;
      for (int shift = 0; ; shift += 7) {
        byte b = bytes[at++];
        value |= (b & 0x7F) << shift;
        if (b >= 0) {
          break;
        }
      }
      entry += gap;
      visitor.visit(entry, value);
    }
  }

  /**
   * The search, for an event loop: null, having waited for nothing, when the writer holds the lock or the query
   * would walk more than {@code maxPostings} postings.
   */
  Ranked searchIfCheap(List<String> terms, int kindMask, SearchIndex.Reader reader, int wanted, long maxPostings) {
    if (!lock.readLock().tryLock()) {
      return null;
    }
    try {
      long cost = 0;
      for (String term : terms) {
        Postings postings = dictionary.get(term);
        cost += postings == null ? 0 : postings.count;
      }
      return cost <= maxPostings ? rank(terms, kindMask, reader, wanted) : null;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Entries the reader finds with at least {@link #minimumMatch} of the terms, best first; {@code wanted} of them,
   * and how many matched. Entries the reader may not find are left out before counting, so pages stay full.
   */
  Ranked search(List<String> terms, int kindMask, SearchIndex.Reader reader, int wanted) {
    lock.readLock().lock();
    try {
      return rank(terms, kindMask, reader, wanted);
    } finally {
      lock.readLock().unlock();
    }
  }

  static int minimumMatch(int terms) {
    return terms <= 2 ? terms : terms - terms / 3;
  }

  static double idf(long entries, long withTerm) {
    return Math.log(1 + (entries - withTerm + 0.5) / (withTerm + 0.5));
  }

  static double termScore(double idf, int value, int length, double averageLength) {
    int frequency = value >>> 1;
    double body = frequency == 0 ? 0
      : frequency * (K1 + 1) / (frequency + K1 * (1 - B + B * length / Math.max(1.0, averageLength)));
    return idf * (body + ((value & 1) == 1 ? TITLE_BONUS : 0));
  }

  static double coverage(int matched, int terms) {
    double share = (double) matched / terms;
    return share * share;
  }

  private Ranked rank(List<String> terms, int kindMask, SearchIndex.Reader reader, int wanted) {
    int needed = minimumMatch(terms.size());
    float[] scores = new float[entries];
    short[] matched = new short[entries];
    double averageLength = liveEntries == 0 ? 1 : (double) liveLength / liveEntries;
    int present = 0;
    for (String term : terms) {
      Postings postings = dictionary.get(term);
      if (postings == null) {
        continue;
      }
      present++;
      double idf = idf(liveEntries, Math.min(postings.count, liveEntries));
      forEach(postings, (n, value) -> {
        if (live[n] && (kinds[n] & kindMask) != 0 && reader.finds(owners[n])) {
          scores[n] += (float) termScore(idf, value, lengths[n], averageLength);
          matched[n]++;
        }
      });
    }
    if (present < needed) {
      return new Ranked(List.of(), 0);
    }
    PriorityQueue<Scored> best = new PriorityQueue<>(Math.max(1, wanted + 1), SearchMemoryIndex::worseFirst);
    int total = 0;
    for (int n = 0; n < entries; n++) {
      if (matched[n] < needed) {
        continue;
      }
      total++;
      double score = scores[n] * coverage(matched[n], terms.size());
      if (best.size() < wanted || score >= best.peek().score()) {
        Scored scored = new Scored(kinds[n], ids[n], titles[n], texts[n], updatedAt[n], score);
        if (best.size() < wanted || worseFirst(scored, best.peek()) > 0) {
          best.add(scored);
          if (best.size() > wanted) {
            best.poll();
          }
        }
      }
    }
    List<Scored> top = new ArrayList<>(best);
    top.sort((a, b) -> worseFirst(b, a));
    return new Ranked(top, total);
  }

  /** Lower score first; on equal scores the older, then the greater id, counts as worse. */
  static int worseFirst(Scored a, Scored b) {
    int byScore = Double.compare(a.score(), b.score());
    if (byScore != 0) {
      return byScore;
    }
    int byTime = Long.compare(a.updatedAt(), b.updatedAt());
    return byTime != 0 ? byTime : b.id().compareTo(a.id());
  }

  int liveEntries() {
    return liveEntries;
  }
}
