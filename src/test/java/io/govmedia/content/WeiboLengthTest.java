package io.govmedia.content;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Weibo counts a text as Weibo does: a Chinese character one, two ASCII characters one, rounded up")
class WeiboLengthTest {

  @Test
  @DisplayName("Chinese characters count one each, ASCII half, the total rounded up, an emoji one")
  void counting() {
    assertEquals(0, WeiboLength.count(""));
    assertEquals(4, WeiboLength.count("政务公开"));
    assertEquals(1, WeiboLength.count("a"));
    assertEquals(1, WeiboLength.count("ab"));
    assertEquals(2, WeiboLength.count("abc"));
    assertEquals(3, WeiboLength.count("政务a"));
    assertEquals(1, WeiboLength.count("😀"));
  }

  @Test
  @DisplayName("the appended link costs a space and a t.cn link of 20 ASCII characters, leaving 129 for the text")
  void budget() {
    assertEquals(129, WeiboLength.budget());
    assertTrue(WeiboLength.fits("字".repeat(129)));
    assertEquals(140, WeiboLength.countWithLink("字".repeat(129)));
    assertFalse(WeiboLength.fits("字".repeat(130)));
    assertEquals(141, WeiboLength.countWithLink("字".repeat(130)));
    assertTrue(WeiboLength.fits("a".repeat(259)), "259 + 21 halves are 140");
    assertFalse(WeiboLength.fits("a".repeat(260)));
  }
}
