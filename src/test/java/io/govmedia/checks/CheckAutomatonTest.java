package io.govmedia.checks;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The word automaton of the content checks")
class CheckAutomatonTest {

  @Test
  @DisplayName("finds every occurrence, overlapping ones included, ordered by end and then longest first")
  void overlappingLatin() {
    CheckAutomaton<String> automaton = automaton("he", "she", "his", "hers");

    assertEquals(List.of("she@1-4", "he@2-4", "hers@2-6"), hits(automaton, "ushers"));
    assertEquals(List.of("his@0-3", "she@2-5", "he@3-5", "hers@3-7"), hits(automaton, "hishers"));
  }

  @Test
  @DisplayName("finds nested and chained Chinese words at exact positions")
  void overlappingChinese() {
    CheckAutomaton<String> automaton = automaton("中华", "中华人民共和国", "人民", "人民共和国", "共和", "国务院", "国国");

    assertEquals(List.of("中华@0-2", "人民@2-4", "共和@4-6", "中华人民共和国@0-7", "人民共和国@2-7", "国国@6-8",
      "国务院@7-10"), hits(automaton, "中华人民共和国国务院办公厅"));
    assertEquals(List.of("人民@1-3", "人民@5-7"), hits(automaton, "为人民服务人民"));
    assertEquals(List.of(), hits(automaton, "中人华民"));
  }

  @Test
  @DisplayName("reports a word given twice (a sensitive word that is also a wrong form) once per entry")
  void repeatedWords() {
    CheckAutomaton<String> automaton = CheckAutomaton.build(List.of(new CheckAutomaton.Word<>("总理", "sensitive"),
      new CheckAutomaton.Word<>("总理", "wording"), new CheckAutomaton.Word<>("", "ignored")));

    assertEquals(2, automaton.size());
    assertEquals(Set.of("sensitive", "wording"),
      Set.copyOf(automaton.find("国务院总理").stream().map(CheckAutomaton.Hit::payload).toList()));
    assertEquals(List.of(), CheckAutomaton.<String>build(List.of()).find("任何文字"));
  }

  @Test
  @DisplayName("ignores case and full-width forms, and maps positions back to the original text")
  void normalizedPositions() {
    CheckAutomaton<String> automaton = automaton(CheckText.key("VPN"), CheckText.key("翻墙"));
    CheckText text = CheckText.of("请勿使用ＶＰＮ或Vpn翻墙");

    List<String> found = new ArrayList<>();
    for (CheckAutomaton.Hit<String> hit : automaton.find(text.normalized())) {
      found.add(text.originalOf(hit.from(), hit.to()) + "@" + text.start(hit.from()) + "-" + text.end(hit.to()));
    }

    assertEquals(List.of("ＶＰＮ@4-7", "Vpn@8-11", "翻墙@11-13"), found);
  }

  @Test
  @DisplayName("sees through zero-width characters, and counts emoji and expanded characters in original units")
  void invisibleAndWideCharacters() {
    CheckAutomaton<String> automaton = automaton("法轮", "株式", "敏感");

    CheckText zeroWidth = CheckText.of("法\u200B轮功");
    CheckText emoji = CheckText.of("😀敏感");
    CheckText squared = CheckText.of("某㍿公司");

    assertEquals("法\u200B轮", original(automaton, zeroWidth, 0));
    assertEquals("敏感", original(automaton, emoji, 0));
    assertEquals(2, emoji.start(automaton.find(emoji.normalized()).get(0).from()));
    assertEquals("㍿", original(automaton, squared, 0), "株式会社 in one character: the hit covers all of it");
    assertEquals("某株式会社公司", squared.normalized());
  }

  @Test
  @DisplayName("agrees with a naive search for 10,000 random words with many overlaps")
  void agreesWithNaiveSearch() {
    Random random = new Random(20260131);
    String alphabet = "中华人民共和国务院办公厅政策文件通知";
    Set<String> words = new HashSet<>();
    while (words.size() < 10_000) {
      words.add(randomText(random, alphabet, 2 + random.nextInt(6)));
    }
    String text = randomText(random, alphabet, 20_000);
    CheckAutomaton<String> automaton = automaton(words.toArray(String[]::new));

    List<String> expected = new ArrayList<>();
    for (String word : words) {
      for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
        expected.add(word + "@" + at + "-" + (at + word.length()));
      }
    }
    List<String> actual = hits(automaton, text);

    assertEquals(10_000, automaton.size());
    assertTrue(expected.size() > 10_000, "the test text should hit often: " + expected.size());
    assertEquals(sorted(expected), sorted(actual));
  }

  @Test
  @DisplayName("builds 10,000 realistic words quickly and finds them in a long text")
  void tenThousandWords() {
    Random random = new Random(7);
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      StringBuilder word = new StringBuilder();
      int length = 2 + random.nextInt(5);
      for (int k = 0; k < length; k++) {
        word.append((char) (0x4E00 + random.nextInt(0x9FA5 - 0x4E00)));
      }
      words.add(word.toString());
    }
    long started = System.nanoTime();
    CheckAutomaton<String> automaton = automaton(words.toArray(String[]::new));
    long buildMillis = (System.nanoTime() - started) / 1_000_000;
    String text = "开头" + words.get(1234) + "中间".repeat(5_000) + words.get(9999) + "结尾";

    List<String> found = hits(automaton, text);

    assertTrue(found.contains(words.get(1234) + "@2-" + (2 + words.get(1234).length())), found::toString);
    assertTrue(found.stream().anyMatch(hit -> hit.startsWith(words.get(9999) + "@")), found::toString);
    assertTrue(buildMillis < 2_000, "building took " + buildMillis + " ms");
  }

  private static CheckAutomaton<String> automaton(String... words) {
    List<CheckAutomaton.Word<String>> list = new ArrayList<>();
    for (String word : words) {
      list.add(new CheckAutomaton.Word<>(word, word));
    }
    return CheckAutomaton.build(list);
  }

  private static List<String> hits(CheckAutomaton<String> automaton, String text) {
    return automaton.find(text).stream().map(h -> h.payload() + "@" + h.from() + "-" + h.to()).toList();
  }

  private static String original(CheckAutomaton<String> automaton, CheckText text, int index) {
    CheckAutomaton.Hit<String> hit = automaton.find(text.normalized()).get(index);
    return text.originalOf(hit.from(), hit.to());
  }

  private static String randomText(Random random, String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  private static List<String> sorted(List<String> hits) {
    List<String> copy = new ArrayList<>(hits);
    copy.sort(Comparator.naturalOrder());
    return copy;
  }
}
