package io.govmedia.inbox;

import io.govmedia.content.WeiboLength;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the citizen reads: every text with its case number, cut to the channel with the link to the rest. */
@DisplayName("The texts sent to citizens")
class DeliveryTextsTest {

  static final String NUMBER = "2026-000123";
  static final String LINK = "https://media.example.gov.cn/c/abc";

  @Test
  @DisplayName("the acknowledgement and the new-date notice name the case number and the date")
  void acknowledgementAndNotice() {
    assertEquals("您的留言已受理，编号2026-000123，我们将于3月9日前答复。请留意本渠道的回复，也可凭编号查询办理进度。",
      CaseTexts.acknowledgement(NUMBER, LocalDate.of(2026, 3, 9)));
    assertEquals("您的留言（编号2026-000123）办理时限已延长至4月1日，我们会尽快办理并答复您。",
      CaseTexts.newAnswerBy(NUMBER, LocalDate.of(2026, 4, 1)));
  }

  @Test
  @DisplayName("a reply that fits is sent whole; a longer one is cut at the limit and ends with the link to the full answer")
  void replyCutToTheChannel() {
    String shortReply = CaseTexts.forPrivate(Deliveries.Purpose.REPLY, NUMBER, "已办结。", LINK, CaseTexts.KF_LIMIT);
    String longReply = CaseTexts.forPrivate(Deliveries.Purpose.REPLY, NUMBER, "答".repeat(1000), LINK, CaseTexts.KF_LIMIT);

    assertEquals("【答复】编号2026-000123：已办结。", shortReply);
    assertEquals(CaseTexts.KF_LIMIT, longReply.codePointCount(0, longReply.length()));
    assertTrue(longReply.startsWith("【答复】编号2026-000123：答答"));
    assertTrue(longReply.endsWith("…全文：" + LINK));
  }

  @Test
  @DisplayName("a notice without the number gets it in front")
  void numberAlwaysThere() {
    assertEquals("编号2026-000123：您的留言已转交区住建局办理。",
      CaseTexts.framed(Deliveries.Purpose.NOTICE, NUMBER, "您的留言已转交区住建局办理。"));
  }

  @Test
  @DisplayName("a Weibo text counts 140 at most with ASCII as half, keeps number and link, and masks mobiles and ID numbers")
  void weiboText() {
    String text = CaseTexts.forWeibo(Deliveries.Purpose.REPLY, NUMBER,
      "请拨打13812345678联系李科长。abc def ".repeat(20), LINK);

    assertTrue(WeiboLength.count(text) <= 140, text);
    assertTrue(WeiboLength.count(text) >= 139, "cut at the limit, not well before: " + text);
    assertTrue(text.startsWith("【答复】编号2026-000123："));
    assertTrue(text.endsWith("… 详见" + LINK));
    assertFalse(text.contains("13812345678"));
    assertTrue(text.contains("138****5678"), text);
  }
}
