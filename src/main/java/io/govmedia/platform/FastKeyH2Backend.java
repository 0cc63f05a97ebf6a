package io.govmedia.platform;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ObjectDataType;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * mongo-java-server's H2 backend with one cost removed. H2 orders the keys of a unique index (mongo-java-server's
 * {@link KeyValue}, which is not {@link Comparable}) by comparing their Java serializations, and serializes both
 * keys afresh on every comparison of every B-tree search: profiling the callback benchmark showed this taking
 * two thirds of the embedded store's time. Here each key's serialization is remembered, so the order, and with
 * it the file format, stays exactly H2's; a data file written by either backend opens in the other.
 */
final class FastKeyH2Backend extends H2Backend {

  FastKeyH2Backend(String fileName) {
    super(MVStore.open(fileName));
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
