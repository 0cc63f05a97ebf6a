package io.govmedia.search;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortedNumericSelector;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.BytesRef;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One instance's Lucene index on disk, and everything that blocks: writes, searches, commits. The caller
 * ({@link SearchIndex}) runs writes and commits on one writer thread and searches on a worker pool.
 *
 * <p>Folder: {@code <root>/<n>}, the first {@code n} whose write lock this process can take. An instance that stops
 * releases its folder, and the next one started on the data directory reopens it (a fast restart); two instances
 * running at once on one data directory (in one JVM too) never share a folder. The last commit's user data says
 * which database epoch the index was built from and up to when it holds every change ({@link #caughtUp()}).
 *
 * <p>Documents: one per entry, keyed by {@code kind:id}; a removal leaves a tombstone document (no text, found by
 * nothing) that keeps its revision, so that a late, older change does not bring the entry back.
 */
final class LuceneIndex implements Closeable {

  static final String TITLE = "title";
  static final String TEXT = "text";
  private static final String KEY = "key";
  private static final String KIND = "kind";
  private static final String ID = "id";
  private static final String REV = "rev";
  private static final String PUBLISHED = "published";
  private static final String CITIZENS = "citizens";
  private static final String DEPARTMENT = "department";
  private static final String TIME = "time";
  private static final String YES = "1";
  private static final String EPOCH = "epoch";
  private static final String CAUGHT_UP = "caughtUp";

  /** A title term counts this many times a body term. */
  private static final float TITLE_BOOST = 3f;
  /** Recency adds up to this much to a score (BM25 scores of a query are a few units): half of it at {@link #PIVOT}. */
  private static final float RECENCY_WEIGHT = 1f;
  private static final long PIVOT = 90L * 24 * 3600 * 1000;

  private static final FieldType ANALYZED = analyzed();
  /** Equal scores (copies, or the same words in the same lengths) in a fixed order, so that pages never overlap. */
  private static final Sort ORDER = new Sort(SortField.FIELD_SCORE, LongField.newSortField(TIME, true, SortedNumericSelector.Type.MAX),
    new SortField(KEY, SortField.Type.STRING));

  /** Who may find an unpublished entry: null for everybody (admins), else these departments; citizens: published, shown. */
  record Scope(Set<String> departmentIds, boolean citizens) {}

  record Found(String kind, String id, String title, String titleHighlighted, double score, String snippet,
               Instant updatedAt) {}

  record Ranked(List<Found> items, long total) {}

  private final Path folder;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final String epoch;
  private volatile Instant caughtUp;
  private boolean dirty;

  private LuceneIndex(Path folder, Directory directory, IndexWriter writer, String epoch) throws IOException {
    this.folder = folder;
    this.directory = directory;
    this.writer = writer;
    this.epoch = epoch;
    Map<String, String> committed = new HashMap<>();
    Iterable<Map.Entry<String, String>> data = writer.getLiveCommitData();
    if (data != null) {
      data.forEach(e -> committed.put(e.getKey(), e.getValue()));
    }
    if (epoch.equals(committed.get(EPOCH)) && committed.containsKey(CAUGHT_UP)) {
      caughtUp = Instant.ofEpochMilli(Long.parseLong(committed.get(CAUGHT_UP)));
    } else {
      writer.deleteAll();
      caughtUp = null;
    }
    this.searchers = new SearcherManager(writer, null);
  }

  /**
   * Opens (or creates) the first folder under {@code root} no other running instance holds. A folder it holds but
   * cannot read (damaged, another Lucene's format) is emptied and built again from MongoDB: the index is only a copy.
   */
  static LuceneIndex open(Path root, String epoch) throws IOException {
    for (int n = 0; ; n++) {
      Path folder = root.resolve(String.valueOf(n));
      Files.createDirectories(folder);
      Directory directory = FSDirectory.open(folder);
      IndexWriter writer = null;
      try {
        writer = new IndexWriter(directory, config(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
        return new LuceneIndex(folder, directory, writer, epoch);
      } catch (LockObtainFailedException held) {
        directory.close();
      } catch (IOException unreadable) {
        LoggerFactory.getLogger(LuceneIndex.class).warn("search index {} unreadable ({}); it is built again from MongoDB",
          folder, unreadable.toString());
        if (writer != null) {
          writer.rollback();  // gives back the folder's lock
        }
        for (String file : directory.listAll()) {
          if (!IndexWriter.WRITE_LOCK_NAME.equals(file)) {
            directory.deleteFile(file);  // even a new index reads what it finds there
          }
        }
        return new LuceneIndex(folder, directory, new IndexWriter(directory, config(IndexWriterConfig.OpenMode.CREATE)),
          epoch);
      }
    }
  }

  private static IndexWriterConfig config(IndexWriterConfig.OpenMode mode) {
    return new IndexWriterConfig(SearchAnalysis.INDEX).setOpenMode(mode).setRAMBufferSizeMB(8).setCommitOnClose(false);
  }

  Path folder() {
    return folder;
  }

  /** Every change made before this time is in the index; null for an index not yet built. */
  Instant caughtUp() {
    return caughtUp;
  }

  // Writing (one thread).

  /**
   * Applies the changes newer than what the index holds of each (of several changes of one entry, the newest), then
   * makes them searchable; answers how many were applied.
   */
  int apply(List<SearchStore.Stored> changes) throws IOException {
    refreshIfDirty();
    Map<String, SearchStore.Stored> newest = new LinkedHashMap<>();
    changes.forEach(change -> newest.merge(change.key(), change, (a, b) -> b.rev() > a.rev() ? b : a));
    int applied = 0;
    IndexSearcher searcher = searchers.acquire();
    try {
      for (SearchStore.Stored change : newest.values()) {
        if (change.kind() == null || change.rev() <= rev(searcher, change.key())) {
          continue;
        }
        writer.updateDocument(new Term(KEY, change.key()), document(change));
        applied++;
      }
    } finally {
      searchers.release(searcher);
    }
    dirty |= applied > 0;
    refreshIfDirty();
    return applied;
  }

  /** Makes the index durable, noting up to when it holds every change. */
  void commit(Instant upTo) throws IOException {
    Instant marker = caughtUp == null || upTo.isAfter(caughtUp) ? upTo : caughtUp;
    writer.setLiveCommitData(Map.of(EPOCH, epoch, CAUGHT_UP, String.valueOf(marker.toEpochMilli())).entrySet());
    writer.commit();
    caughtUp = marker;
  }

  @Override
  public void close() throws IOException {
    try {
      searchers.close();
      writer.close();
    } finally {
      directory.close();
    }
  }

  private void refreshIfDirty() throws IOException {
    if (dirty) {
      searchers.maybeRefreshBlocking();
      dirty = false;
    }
  }

  private static int rev(IndexSearcher searcher, String key) throws IOException {
    TopDocs found = searcher.search(new TermQuery(new Term(KEY, key)), 1);
    if (found.scoreDocs.length == 0) {
      return 0;
    }
    return searcher.storedFields().document(found.scoreDocs[0].doc, Set.of(REV)).getField(REV).numericValue().intValue();
  }

  private static Document document(SearchStore.Stored change) {
    Document doc = new Document();
    doc.add(new StringField(KEY, change.key(), Field.Store.NO));
    doc.add(new SortedDocValuesField(KEY, new BytesRef(change.key())));
    doc.add(new StoredField(REV, change.rev()));
    if (change.removed()) {
      return doc;
    }
    boolean published = SearchIndex.PUBLISHED.equals(change.status());
    doc.add(new StringField(KIND, change.kind(), Field.Store.YES));
    doc.add(new StoredField(ID, change.id()));
    doc.add(new Field(TITLE, change.title() == null ? "" : change.title(), ANALYZED));
    doc.add(new Field(TEXT, change.text() == null ? "" : change.text(), ANALYZED));
    doc.add(new StringField(PUBLISHED, published ? YES : "0", Field.Store.NO));
    // Citizens find published documents and interpretations, and posts only while shown on the mini-program.
    boolean citizens = published && (!"post".equals(change.kind()) || change.citizens());
    doc.add(new StringField(CITIZENS, citizens ? YES : "0", Field.Store.NO));
    if (change.departmentId() != null) {
      doc.add(new StringField(DEPARTMENT, change.departmentId(), Field.Store.NO));
    }
    long time = change.updatedAt() == null ? 0 : change.updatedAt().toEpochMilli();
    doc.add(new LongField(TIME, time, Field.Store.YES));
    return doc;
  }

  // Searching (any thread).

  /**
   * The hits from {@code offset} to {@code offset + limit} of the ranking, highlighted, and how many there are
   * (a lower bound beyond a thousand). Ranking: BM25 over title (boosted) and text, plus recency.
   */
  Ranked search(List<String> terms, Set<String> kinds, Scope scope, int offset, int limit, Instant now)
    throws IOException {
    Query matching = matching(terms);
    BooleanQuery.Builder query = new BooleanQuery.Builder()
      .add(matching, BooleanClause.Occur.MUST)
      .add(LongField.newDistanceFeatureQuery(TIME, RECENCY_WEIGHT, hour(now), PIVOT), BooleanClause.Occur.SHOULD)
      .add(new TermInSetQuery(KIND, kinds.stream().map(BytesRef::new).toList()), BooleanClause.Occur.FILTER);
    Query visible = visible(scope);
    if (visible != null) {
      query.add(visible, BooleanClause.Occur.FILTER);
    }
    IndexSearcher searcher = searchers.acquire();
    try {
      TopDocs top = searcher.search(query.build(), offset + limit, ORDER, true);
      ScoreDoc[] page = java.util.Arrays.copyOfRange(top.scoreDocs, Math.min(offset, top.scoreDocs.length),
        top.scoreDocs.length);
      int[] docIds = java.util.Arrays.stream(page).mapToInt(hit -> hit.doc).toArray();
      Map<String, String[]> highlights = SearchHighlights.of(searcher, matching, docIds);
      List<Found> items = new ArrayList<>(page.length);
      for (int i = 0; i < page.length; i++) {
        Document doc = searcher.storedFields().document(page[i].doc, Set.of(KIND, ID, TITLE, TIME));
        items.add(new Found(doc.get(KIND), doc.get(ID), doc.get(TITLE), highlights.get(TITLE)[i], page[i].score,
          highlights.get(TEXT)[i], Instant.ofEpochMilli(doc.getField(TIME).numericValue().longValue())));
      }
      return new Ranked(items, top.totalHits.value);
    } finally {
      searchers.release(searcher);
    }
  }

  /** Recency counts from the hour, so that the pages of one search (seconds apart) rank alike. */
  private static long hour(Instant now) {
    return now.truncatedTo(java.time.temporal.ChronoUnit.HOURS).toEpochMilli() + 3_600_000;
  }

  /**
   * Each query term in title (boosted) or text; an entry must have most of the terms: all of one or two, two of
   * three, three of four…
   */
  private static Query matching(List<String> terms) {
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    for (String term : terms) {
      all.add(new BooleanQuery.Builder()
        .add(new BoostQuery(new TermQuery(new Term(TITLE, term)), TITLE_BOOST), BooleanClause.Occur.SHOULD)
        .add(new TermQuery(new Term(TEXT, term)), BooleanClause.Occur.SHOULD)
        .build(), BooleanClause.Occur.SHOULD);
    }
    int n = terms.size();
    return all.setMinimumNumberShouldMatch(n <= 2 ? n : (2 * n + 2) / 3).build();
  }

  private static Query visible(Scope scope) {
    if (scope.citizens()) {
      return new TermQuery(new Term(CITIZENS, YES));
    }
    if (scope.departmentIds() == null) {
      return null;
    }
    return new BooleanQuery.Builder()
      .add(new TermQuery(new Term(PUBLISHED, YES)), BooleanClause.Occur.SHOULD)
      .add(new TermInSetQuery(DEPARTMENT, scope.departmentIds().stream().map(BytesRef::new).toList()),
        BooleanClause.Occur.SHOULD)
      .setMinimumNumberShouldMatch(1).build();
  }

  private static FieldType analyzed() {
    FieldType type = new FieldType();
    type.setTokenized(true);
    type.setStored(true);
    // offsets in the postings: highlighting reads them instead of analysing every hit's text again
    type.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS);
    type.freeze();
    return type;
  }
}
