package io.govmedia.search;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Search terms and snippets")
class SearchTermsTest {

  static List<String> indexed(String text) {
    List<String> terms = new ArrayList<>();
    SearchTerms.scan(text, (term, start, end, kind) -> terms.add(term + "@" + start + "-" + end));
    return terms;
  }

  @Test
  @DisplayName("a document is indexed under every character and every pair of neighbouring characters")
  void documentTerms() {
    assertEquals(List.of("公@0-1", "积@1-2", "公积@0-2", "金@2-3", "积金@1-3"), indexed("公积金"));
  }

  @Test
  @DisplayName("a query asks for bigrams, a lone character only where it stands alone, and words")
  void queryTerms() {
    assertEquals(List.of("公积", "积金", "金提", "提取"), SearchTerms.query("公积金提取"));
    assertEquals(List.of("税"), SearchTerms.query("税"));
    assertEquals(List.of("2026", "年", "补贴"), SearchTerms.query("2026年 补贴"));
    assertEquals(List.of("5g", "基站"), SearchTerms.query("5G基站"));
    assertEquals(List.of(), SearchTerms.query("，。！ ?"));
  }

  @Test
  @DisplayName("words are lower-cased and NFKC-normalized; a dot between digits stays in the word")
  void words() {
    assertEquals(List.of("pm2.5"), SearchTerms.query("PM2.5"));
    assertEquals(List.of("pm2.5"), SearchTerms.query("ＰＭ２．５"));
    assertEquals(List.of("gdp", "增长", "3.5"), SearchTerms.query("GDP增长3.5%"));
    assertEquals(List.of("v1.2", "x"), SearchTerms.query("v1.2.x"));
    assertEquals(List.of("version", "2"), SearchTerms.query("version. 2"));
    assertEquals(List.of("pm2.5@4-9"), indexed("今日浓度PM2.5").subList(7, 8));
  }

  @Test
  @DisplayName("a full-width word keeps the span of the original characters")
  void spans() {
    assertEquals(List.of("pm2@0-3"), indexed("ｐｍ２"));
    assertEquals("<em>ＰＭ２．５</em>浓度", SearchSnippets.highlight("ＰＭ２．５浓度", Set.of("pm2.5")));
  }

  @Test
  @DisplayName("a snippet highlights the matches, merges overlapping bigrams and escapes everything else")
  void snippet() {
    String text = "第一条 <script>alert('x')</script> 为规范住房公积金提取，制定本办法 & 细则。";
    String snippet = SearchSnippets.snippet(text, Set.copyOf(SearchTerms.query("公积金提取")));
    assertEquals("第一条 &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; 为规范住房<em>公积金提取</em>，制定本办法 &amp; 细则。",
      snippet);
    assertFalse(snippet.contains("<script>"));
  }

  @Test
  @DisplayName("a snippet of a long text is the window with the most distinct matches, with ellipses")
  void window() {
    String filler = "本市持续推进各项工作，".repeat(30);
    String text = filler + "养老服务" + filler + "养老服务补贴标准提高" + filler;
    String snippet = SearchSnippets.snippet(text, Set.copyOf(SearchTerms.query("养老服务补贴")));
    assertTrue(snippet.startsWith("…") && snippet.endsWith("…"), snippet);
    assertTrue(snippet.contains("<em>养老服务补贴</em>标准提高"), snippet);
    assertTrue(snippet.length() < SearchSnippets.WIDTH + 20, snippet);
  }

  @Test
  @DisplayName("a one-character query highlights each occurrence of the character")
  void singleCharacter() {
    assertEquals("个人所得<em>税</em>和增值<em>税</em>", SearchSnippets.highlight("个人所得税和增值税", Set.of("税")));
  }
}
