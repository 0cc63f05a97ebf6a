package io.govmedia.platform;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.EmptyIndex;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import io.netty.channel.Channel;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ObjectDataType;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * mongo-java-server's H2 backend with one cost removed. H2 orders the keys of a unique index (mongo-java-server's
 * {@link KeyValue}, which is not {@link Comparable}) by comparing their Java serializations, and serializes both
 * keys afresh on every comparison of every B-tree search: profiling the callback benchmark showed this taking
 * two thirds of the embedded store's time. Here each key's serialization is remembered, so the order, and with
 * it the file format, stays exactly H2's; a data file written by either backend opens in the other.
 * <p>
 * And one guarantee added: a write command is answered only after the H2 file holds it. H2 commits by itself
 * about once a second, so a killed process lost up to a second of acknowledged writes. Here every write command
 * commits before its reply leaves (group commit: writers that finish while a commit runs are covered by the
 * next one, so under load one commit serves many). {@code sync} adds an fsync to each commit, so that a power
 * loss is covered too, not just a killed process.
 */
final class FastKeyH2Backend extends H2Backend {

  /** The commands that change data (lower case); an aggregate only with an $out or $merge stage. */
  private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findandmodify", "create",
    "createindexes", "drop", "dropindexes", "dropdatabase", "renamecollection");

  private final boolean sync;
  private final ReentrantLock commitLock = new ReentrantLock();
  /** Write commands finished so far, and how many of them the last completed commit covered. */
  private final AtomicLong finishedWrites = new AtomicLong();
  private volatile long durableWrites;

  FastKeyH2Backend(String fileName, boolean sync) {
    super(MVStore.open(fileName));
    this.sync = sync;
  }

  @Override
  public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
    if (!writes(command, query)) {
      return super.handleCommand(channel, databaseName, command, query);
    }
    try {
      return super.handleCommand(channel, databaseName, command, query);
    } finally {
      // Also after a failed command: part of an unordered insert may have been written and acknowledged.
      commitWritesSoFar();
    }
  }

  private static boolean writes(String command, Document query) {
    String name = command.toLowerCase(Locale.ROOT);
    if (name.equals("aggregate")) {
      return query.get("pipeline") instanceof List<?> stages && stages.stream().anyMatch(stage ->
        stage instanceof Document d && (d.containsKey("$out") || d.containsKey("$merge")));
    }
    return WRITES.contains(name);
  }

  /** Returns once a commit that started after this thread's write has completed. */
  private void commitWritesSoFar() {
    long mine = finishedWrites.incrementAndGet();
    commitLock.lock();
    try {
      if (durableWrites >= mine) {
        return;  // a commit that started after this write finished has stored it
      }
      long covered = finishedWrites.get();
      commitAndWait();
      durableWrites = covered;
    } finally {
      commitLock.unlock();
    }
  }

  private void commitAndWait() {
    MVStore store = getMvStore();
    if (store.isClosed()) {
      return;  // shutting down: closing the store has stored everything
    }
    if (store.commit() < 0) {
      // Nothing left to store: H2's background writer took the changes, and may still be writing them.
      store.executeFilestoreOperation(() -> { });
    }
    if (sync) {
      store.sync();
    }
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return new Database(databaseName);
  }

  /** Opens unique indexes with the memoizing key type; everything else as H2Database does. */
  private final class Database extends H2Database {

    Database(String databaseName) {
      super(databaseName, getMvStore(), getCursorRegistry());
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                   boolean sparse) {
      // The map name H2Database uses, so that dropIndex and existing files find the same map.
      String name = getFullCollectionNamespace(collectionName) + "._index_" + indexName;
      MVMap<Object, Object> map = getMvStore().openMap(name, new MVMap.Builder<>().keyType(new MemoizedKeyType()));
      return new UniqueIndex(map, indexName, keys, sparse);
    }

    /**
     * mongo-java-server keeps no non-unique indexes (queries scan) and warns at every start for each one; the
     * server says so once instead ({@link EmbeddedStores}).
     */
    @Override
    protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                      boolean sparse) {
      return new EmptyIndex<>(indexName, keys);
    }
  }

  /** H2's ObjectDataType, comparing two index keys by serialized form computed once per distinct key. */
  static final class MemoizedKeyType extends ObjectDataType {

    private static final int MAX_REMEMBERED = 100_000;
    private static final Map<KeyValue, byte[]> SERIALIZED = new ConcurrentHashMap<>();

    @Override
    public int compare(Object a, Object b) {
      if (a instanceof KeyValue ka && b instanceof KeyValue kb) {
        return a == b ? 0 : compareNotNull(serialized(ka), serialized(kb));
      }
      return super.compare(a, b);
    }

    private static byte[] serialized(KeyValue key) {
      byte[] bytes = SERIALIZED.get(key);
      if (bytes == null) {
        if (SERIALIZED.size() >= MAX_REMEMBERED) {
          SERIALIZED.clear();
        }
        bytes = serialize(key);
        SERIALIZED.put(key, bytes);
      }
      return bytes;
    }
  }

  /** The same unique index as mongo-java-server's H2UniqueIndex, over a map with the memoizing key type. */
  private static final class UniqueIndex extends AbstractUniqueIndex<Object> {

    private final MVMap<Object, Object> map;

    UniqueIndex(MVMap<Object, Object> map, String name, List<IndexKey> keys, boolean sparse) {
      super(name, keys, sparse);
      this.map = map;
    }

    @Override
    protected Object removeDocument(KeyValue keyValue) {
      return map.remove(keyValue);
    }

    @Override
    protected boolean putKeyPosition(KeyValue keyValue, Object position) {
      return map.putIfAbsent(keyValue, Missing.ofNullable(position)) == null;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
      return (Iterable) map.entrySet();
    }

    @Override
    protected Object getPosition(KeyValue keyValue) {
      return map.get(keyValue);
    }

    @Override
    public long getCount() {
      return map.sizeAsLong();
    }

    @Override
    public boolean isEmpty() {
      return map.isEmpty();
    }

    @Override
    public long getDataSize() {
      return getCount();
    }
  }
}
