package io.govmedia.checks;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Personal data in content")
class PersonalDataTest {

  private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

  /** An ID number with the check character GB 11643 gives its first 17 digits. */
  static String idNumber(String region, String birthDate, String sequence) {
    String body = region + birthDate + sequence;
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (body.charAt(i) - '0') * WEIGHTS[i];
    }
    return body + "10X98765432".charAt(sum % 11);
  }

  @Test
  @DisplayName("flags valid ID numbers, with a digit or an X as check character, at their exact positions")
  void validIdNumbers() {
    String withX = idNumber("110105", "19491231", "002");
    String other = idNumber("440305", "20000229", "123");
    String text = "身份证号：" + withX + "，另一人" + other + "。";

    List<Finding> findings = PersonalData.find("body", text);

    assertEquals("11010519491231002X", withX, "the well-known example has X as its check character");
    assertEquals(2, findings.size(), findings::toString);
    Finding first = findings.get(0);
    assertEquals("id-number", first.rule());
    assertEquals(Finding.Level.BLOCK, first.level());
    assertEquals("body", first.field());
    assertEquals(5, first.start());
    assertEquals(23, first.end());
    assertEquals(withX, text.substring(first.start(), first.end()));
    assertEquals("110105********002X", first.text(), "a finding never repeats the number itself");
    assertEquals(other, text.substring(findings.get(1).start(), findings.get(1).end()));
    assertEquals(1, PersonalData.find("title", withX.toLowerCase()).size(), "a lower-case x is the same check character");
  }

  @Test
  @DisplayName("flags ID numbers generated at random with their right check digit, and none with a wrong one")
  void randomIdNumbers() {
    Random random = new Random(11643);
    for (int i = 0; i < 500; i++) {
      LocalDate birth = LocalDate.of(1930, 1, 1).plusDays(random.nextInt(30_000));
      String id = idNumber(String.valueOf(110000 + random.nextInt(540000)),
        birth.toString().replace("-", ""), String.format("%03d", random.nextInt(1000)));
      char wrong = "0123456789X".replace(String.valueOf(id.charAt(17)), "").charAt(random.nextInt(10));
      String mistyped = id.substring(0, 17) + wrong;

      assertTrue(PersonalData.validIdNumber(id), id);
      assertEquals(1, PersonalData.find("body", "号码" + id + "号码").size(), id);
      assertFalse(PersonalData.validIdNumber(mistyped), mistyped);
      assertEquals(0, PersonalData.find("body", "号码" + mistyped + "号码").stream()
        .filter(f -> f.rule().equals("id-number")).count(), mistyped);
    }
  }

  @Test
  @DisplayName("does not flag numbers that only look like ID numbers")
  void lookAlikes() {
    String valid = idNumber("110105", "19491231", "002");

    assertEquals(List.of(), ids("订单号1" + valid.replace("X", "1")), "19 digits");
    assertEquals(List.of(), ids(valid + "7"), "a digit after it");
    assertEquals(List.of(), ids("A" + valid), "a letter before it");
    assertEquals(List.of(), ids(valid + "b"), "a letter after it");
    assertEquals(List.of(), ids(idNumber("110105", "19900230", "002")), "30 February");
    assertEquals(List.of(), ids(idNumber("110105", "19000229", "002")), "29 February 1900 (not a leap year)");
    assertEquals(List.of(), ids(idNumber("110105", "19901301", "002")), "month 13");
    assertEquals(List.of(), ids(idNumber("110105", "20990101", "002")), "born in the future");
    assertEquals(List.of(), ids(idNumber("110105", "18501231", "002")), "born before 1900");
    assertEquals(List.of(), ids("110105********002X"), "masked");
    assertEquals(List.of(), ids("1101051949****002X"), "partly masked");
  }

  @Test
  @DisplayName("flags mobile numbers plain, with +86 or 86 and a space or dash, and written in groups")
  void mobiles() {
    for (String mobile : List.of("13812345678", "+8613812345678", "+86 13812345678", "86-13812345678",
      "19912345678", "138 1234 5678", "138-1234-5678")) {
      String text = "联系电话" + mobile + "。";

      List<Finding> findings = PersonalData.find("body", text);

      assertEquals(1, findings.size(), mobile + ": " + findings);
      assertEquals("mobile", findings.get(0).rule());
      assertEquals(Finding.Level.BLOCK, findings.get(0).level());
      assertEquals(mobile, text.substring(findings.get(0).start(), findings.get(0).end()));
      assertFalse(findings.get(0).text().contains("1234"), findings.get(0).text());
    }
  }

  @Test
  @DisplayName("does not flag masked mobiles, other digit runs or numbers not starting 13 to 19")
  void notMobiles() {
    for (String text : List.of("138****1234", "138****5678号", "12345678901", "10012345678", "138123456789",
      "013812345678", "电话010-12345678", "1381234567", "2026年13812345678号文件".replace("13812345678", "1381234567"))) {
      assertEquals(List.of(), PersonalData.find("body", text), text);
    }
  }

  @Test
  @DisplayName("reads full-width digits as digits and reports positions in the original text")
  void fullWidthDigits() {
    String text = "电话：１３８１２３４５６７８";

    List<Finding> findings = PersonalData.find("body", text);

    assertEquals(1, findings.size(), findings::toString);
    assertEquals(3, findings.get(0).start());
    assertEquals(14, findings.get(0).end());
    assertEquals("138****5678", findings.get(0).text());
  }

  @Test
  @DisplayName("masks ID numbers to the first 6 and last 4, mobiles to 138****1234, and names to the surname")
  void masking() {
    String id = idNumber("110105", "19491231", "002");
    String mistyped = id.substring(0, 17) + "3";

    assertEquals("身份证110105********002X，手机138****5678。",
      PersonalData.mask("身份证" + id + "，手机13812345678。"));
    assertEquals("110105********0023", PersonalData.mask(mistyped), "masking also hides a mistyped number");
    assertEquals("+86 138****5678", PersonalData.mask("+86 13812345678"));
    assertEquals("138 **** 5678", PersonalData.mask("138 1234 5678"));
    assertEquals("138****5678", PersonalData.mask("１３８１２３４５６７８"));
    assertEquals("138****1234 已遮盖", PersonalData.mask("138****1234 已遮盖"));
    assertEquals("没有个人信息", PersonalData.mask("没有个人信息"));
    assertEquals("", PersonalData.mask(""));
    assertEquals(null, PersonalData.mask(null));
    assertEquals("张*", PersonalData.maskName("张三"));
    assertEquals("王**", PersonalData.maskName("王小明"));
    assertEquals("欧阳**", PersonalData.maskName("欧阳娜娜"));
    assertEquals("欧*", PersonalData.maskName("欧阳"));
  }

  private static List<String> ids(String text) {
    return PersonalData.find("body", text).stream().filter(f -> f.rule().equals("id-number")).map(Finding::text).toList();
  }
}
