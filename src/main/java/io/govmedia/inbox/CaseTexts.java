package io.govmedia.inbox;

import io.govmedia.checks.PersonalData;
import io.govmedia.content.WeiboLength;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.function.ToIntFunction;

/**
 * What citizens read from us about their case, in one place so that the console shows what was sent and the tests
 * check the same wording. Every text carries the case number; a text too long for its channel is cut and ends with
 * the link to the full answer. Public texts (a Weibo comment reply, a reply under an article) are masked (DOMAIN §4).
 */
public final class CaseTexts {

  /** Why a staff-entered case gets nothing from us: staff answer it by phone or in writing. */
  public static final String ANSWER_BY_HAND = "需电话/书面答复";
  /** Weibo's limit for a comment, as it counts characters ({@link WeiboLength}). */
  static final int WEIBO_LIMIT = WeiboLength.LIMIT;
  /** A customer-service text stays well under WeChat's 2,048 bytes. */
  static final int KF_LIMIT = 600;
  /** A reply under an article comment: short, it is read under the article by everyone. */
  static final int ARTICLE_REPLY_LIMIT = 300;
  /** A template message's "thing" field takes 20 characters. */
  static final int TEMPLATE_SUMMARY_LIMIT = 20;
  private static final DateTimeFormatter MONTH_DAY = DateTimeFormatter.ofPattern("M月d日");
  private static final String CUT = "…";

  private CaseTexts() {
  }

  /** The acknowledgement of a new case, with the date it will be answered by. */
  public static String acknowledgement(String number, LocalDate answerBy) {
    return "您的留言已受理，编号" + number + "，我们将于" + MONTH_DAY.format(answerBy)
      + "前答复。请留意本渠道的回复，也可凭编号查询办理进度。";
  }

  /** The notice of a new answer-by date (an approved extension). */
  public static String newAnswerBy(String number, LocalDate answerBy) {
    return "您的留言（编号" + number + "）办理时限已延长至" + MONTH_DAY.format(answerBy) + "，我们会尽快办理并答复您。";
  }

  /** A reply as sent whole (the case page, a long enough channel): the number, then the reply. */
  public static String reply(String number, String text) {
    return "【答复】编号" + number + "：" + text.strip();
  }

  /** Where the citizen reads the whole answer: the case's page on the office's public site. */
  public static String link(String publicBaseUrl, String caseId) {
    return publicBaseUrl + "/c/" + caseId;
  }

  /** The text for a private channel of {@code limit} characters: whole if it fits, else cut, with the link. */
  static String forPrivate(Deliveries.Purpose purpose, String number, String text, String link, int limit) {
    return fit(framed(purpose, number, text), "", CUT + "全文：" + link, CaseTexts::characters, limit);
  }

  /** The text for a public reply under an article: masked, cut to its limit with the link. */
  static String forArticleComment(Deliveries.Purpose purpose, String number, String text, String link) {
    return fit(PersonalData.mask(framed(purpose, number, text)), "", CUT + "全文：" + link, CaseTexts::characters,
      ARTICLE_REPLY_LIMIT);
  }

  /**
   * A Weibo comment reply: public, so masked; at most 140 as Weibo counts; always the number and the link (the
   * link counted as written, longer than Weibo's t.cn form, so the count is never short).
   */
  static String forWeibo(Deliveries.Purpose purpose, String number, String text, String link) {
    String head = purpose == Deliveries.Purpose.REPLY ? "【答复】编号" + number + "：" : "";
    String body = purpose == Deliveries.Purpose.REPLY ? text.strip() : framed(purpose, number, text);
    String tail = " 详见" + link;
    return fit(PersonalData.mask(head + body), tail, CUT + tail, WeiboLength::count, WEIBO_LIMIT);
  }

  /** The summary field of a template message: what happened, or the start of a reply; the link has the rest. */
  static String summary(Deliveries.Purpose purpose, String text) {
    String what = switch (purpose) {
      case ACKNOWLEDGEMENT -> "留言已受理";
      case NOTICE -> "办理进度通知";
      case REPLY -> text.strip();
    };
    return fit(what, "", CUT, CaseTexts::characters, TEMPLATE_SUMMARY_LIMIT);
  }

  /** The text with the case number: a reply framed as one, a notice prefixed with the number unless it names it. */
  static String framed(Deliveries.Purpose purpose, String number, String text) {
    if (purpose == Deliveries.Purpose.REPLY) {
      return reply(number, text);
    }
    return text.contains(number) ? text.strip() : "编号" + number + "：" + text.strip();
  }

  /**
   * {@code text + tail} when it measures at most {@code max}; else the longest start of {@code text} (whole code
   * points) followed by {@code cutTail}.
   */
  static String fit(String text, String tail, String cutTail, ToIntFunction<String> measure, int max) {
    if (measure.applyAsInt(text + tail) <= max) {
      return text + tail;
    }
    int[] points = text.codePoints().toArray();
    int low = 0;
    int high = points.length;
    while (low < high) {  // the longest start that fits
      int mid = (low + high + 1) / 2;
      if (measure.applyAsInt(new String(points, 0, mid) + cutTail) <= max) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return new String(points, 0, low) + cutTail;
  }

  private static int characters(String text) {
    return text.codePointCount(0, text.length());
  }
}
