package io.govmedia.search;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The in-memory search index")
class SearchMemoryIndexTest {

  static SearchMemoryIndex.Prepared entry(int n, int rev, String text) {
    return SearchMemoryIndex.Prepared.of("document:" + n, SearchMemoryIndex.DOCUMENT, "id" + n, "第" + n + "号文件", text,
      1_000L * n, new SearchMemoryIndex.Owner("department", false), rev);
  }

  static List<String> found(SearchMemoryIndex index, String q) {
    return index.search(SearchTerms.query(q), SearchMemoryIndex.DOCUMENT, SearchIndex.Reader.ADMIN, 100).top().stream()
      .map(SearchMemoryIndex.Scored::id).toList();
  }

  @Test
  @DisplayName("after many updates it compacts to the same hits without the dead entries")
  void compaction() {
    SearchMemoryIndex index = new SearchMemoryIndex();
    for (int rev = 1; rev <= 130; rev++) {
      for (int n = 0; n < 10; n++) {
        index.apply(entry(n, rev, (n % 2 == 0 ? "垃圾分类" : "节水型社会") + "工作第" + rev + "次推进。"));
      }
    }
    assertTrue(index.needsCompaction());
    List<String> before = found(index, "垃圾分类");

    SearchMemoryIndex compacted = index.compacted();
    assertFalse(compacted.needsCompaction());
    assertEquals(before, found(compacted, "垃圾分类"));
    assertEquals(5, before.size());
    assertEquals(10, compacted.liveEntries());
    compacted.apply(entry(1, 131, "垃圾分类"));
    assertEquals(6, found(compacted, "垃圾分类").size());
  }

  @Test
  @DisplayName("an older revision arriving after a newer one, or after a removal, is ignored")
  void revisions() {
    SearchMemoryIndex index = new SearchMemoryIndex();
    assertTrue(index.apply(entry(1, 2, "河长制")));
    assertFalse(index.apply(entry(1, 1, "林长制")));
    assertEquals(1, found(index, "河长制").size());
    assertTrue(index.apply(SearchMemoryIndex.Prepared.removal("document:1", 3)));
    assertFalse(index.apply(entry(1, 2, "河长制")));
    assertEquals(List.of(), found(index, "河长制"));
    assertTrue(index.apply(entry(1, 4, "林长制")));
    assertEquals(1, found(index, "林长制").size());
  }
}
