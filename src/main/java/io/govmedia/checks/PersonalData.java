package io.govmedia.checks;

import io.govmedia.platform.Times;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Citizens' ID numbers and mobile numbers in a text (DOMAIN.md §4): found for the content checks, where each is
 * a blocking finding, and masked by the one rule used everywhere else (logs, public replies, disclosure).
 *
 * <p>Both are looked for in the {@link CheckText} form of the text, so full-width digits count as digits.
 * Detection blocks publication, so an ID number counts only with a right check digit and a real birth date (an
 * 18-digit order number is not one); masking costs nothing when wrong, so {@link #mask} hides every 18-character
 * candidate, valid or not. Mobile numbers are DOMAIN.md's pattern, also written in groups ("138 1234 5678",
 * "138-1234-5678"), as people often do. Masked forms ({@code 110105********002X}, {@code 138****1234}) match
 * neither pattern, so a masked number never blocks.
 */
public final class PersonalData {

  static final Pattern ID_NUMBER = Pattern.compile("(?<![0-9A-Za-z])\\d{17}[\\dXx](?![0-9A-Za-z])");
  static final Pattern MOBILE = Pattern.compile("(?<!\\d)(?:\\+?86[- ]?)?1[3-9]\\d(?:[- ]?\\d{4}){2}(?!\\d)");
  private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final String CHECK_CHARS = "10X98765432";
  private static final Set<String> COMPOUND_SURNAMES = Set.of("欧阳", "上官", "司马", "诸葛", "东方", "皇甫", "尉迟",
    "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延",
    "澹台", "万俟", "闻人", "申屠", "赫连", "钟离", "太史", "公冶", "濮阳", "淳于", "单于", "拓跋", "左丘", "东郭");

  private PersonalData() {
  }

  /** Blocking findings for each valid ID number and each mobile number in {@code text}, masked in {@code text}. */
  public static List<Finding> find(String field, String text) {
    return find(field, CheckText.of(text));
  }

  static List<Finding> find(String field, CheckText text) {
    List<Finding> findings = new ArrayList<>();
    for (MatchResult id : matches(ID_NUMBER, text.normalized())) {
      if (validIdNumber(id.group())) {
        findings.add(finding("id-number", field, text, id, maskIdNumber(id.group())));
      }
    }
    for (MatchResult mobile : matches(MOBILE, text.normalized())) {
      findings.add(finding("mobile", field, text, mobile, maskMobile(mobile.group())));
    }
    return findings;
  }

  /**
   * The text with every ID number kept to its first 6 and last 4 characters ({@code 110105********002X}) and every
   * mobile number to its first 3 and last 4 digits ({@code 138****1234}, a {@code +86} prefix kept).
   */
  public static String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    CheckText checked = CheckText.of(text);
    List<int[]> ranges = new ArrayList<>();
    List<String> replacements = new ArrayList<>();
    for (MatchResult id : matches(ID_NUMBER, checked.normalized())) {
      ranges.add(new int[] {checked.start(id.start()), checked.end(id.end())});
      replacements.add(maskIdNumber(id.group()));
    }
    for (MatchResult mobile : matches(MOBILE, checked.normalized())) {
      ranges.add(new int[] {checked.start(mobile.start()), checked.end(mobile.end())});
      replacements.add(maskMobile(mobile.group()));
    }
    return replace(text, ranges, replacements);
  }

  /** A name given after these words is taken for a person's name (我叫张三, 姓名：张三, 联系人：张三). */
  private static final Pattern NAMED = Pattern.compile("(?:我叫|姓名[:：]?|联系人[:：]?)\\s*(\\p{IsHan}{2,3})");

  /**
   * The text with each of the {@code known} names (a case's contact name, the citizen's nickname: each of at least
   * two characters) and each name introduced as one (我叫…, 姓名：…, 联系人：…) masked to its surname ({@link #maskName}).
   * Names met without such a cue are not recognised: there is no reliable way to tell a Chinese name from other
   * words, so texts to be published are also read by a reviewer.
   */
  public static String maskNames(String text, Collection<String> known) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String masked = text;
    List<String> names = known.stream().filter(n -> n != null && n.strip().codePointCount(0, n.strip().length()) >= 2)
      .map(String::strip).distinct().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    for (String name : names) {
      masked = masked.replace(name, maskName(name));
    }
    Matcher m = NAMED.matcher(masked);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(masked.substring(m.start(), m.start(1)) + maskName(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A person's name with the surname kept: 张三 → 张*, 欧阳娜娜 → 欧阳**. */
  public static String maskName(String name) {
    if (name == null || name.isBlank()) {
      return name;
    }
    String trimmed = name.strip();
    int kept = trimmed.length() > 2 && COMPOUND_SURNAMES.contains(trimmed.substring(0, 2)) ? 2
      : trimmed.offsetByCodePoints(0, 1);
    return trimmed.substring(0, kept) + "*".repeat(trimmed.codePointCount(kept, trimmed.length()));
  }

  /** GB 11643-1999: 17 digits and a check character, the birth date (characters 7 to 14) a real past date. */
  public static boolean validIdNumber(String id) {
    if (id == null || id.length() != 18) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      sum += (c - '0') * WEIGHTS[i];
    }
    char check = Character.toUpperCase(id.charAt(17));
    return check == CHECK_CHARS.charAt(sum % 11) && realBirthDate(id.substring(6, 14));
  }

  private static boolean realBirthDate(String yyyymmdd) {
    try {
      LocalDate date = LocalDate.of(Integer.parseInt(yyyymmdd.substring(0, 4)),
        Integer.parseInt(yyyymmdd.substring(4, 6)), Integer.parseInt(yyyymmdd.substring(6, 8)));
      return date.getYear() >= 1900 && !date.isAfter(LocalDate.now(Times.ZONE));
    } catch (DateTimeException e) {
      return false;
    }
  }

  private static String maskIdNumber(String id) {
    return id.substring(0, 6) + "********" + id.substring(14).toUpperCase(java.util.Locale.ROOT);
  }

  /** Masks the 4th to 7th digit of the 11-digit number, leaving a +86 prefix and any separators as they are. */
  private static String maskMobile(String mobile) {
    StringBuilder out = new StringBuilder(mobile);
    int digits = 0;
    for (int i = out.length() - 1; i >= 0; i--) {
      if (Character.isDigit(out.charAt(i))) {
        digits++;
        if (digits >= 5 && digits <= 8) {
          out.setCharAt(i, '*');
        }
        if (digits == 11) {
          break;
        }
      }
    }
    return out.toString();
  }

  /**
   * The pattern's matches, looked for only in stretches of digits, separators and x with at least 11 digits (no
   * ID or mobile number is shorter): a Chinese text has few of them, and running the patterns over every position
   * of a long text would cost more than all the other checks together. Bounds are transparent, so the
   * look-behinds and look-aheads still see the characters around a stretch.
   */
  private static List<MatchResult> matches(Pattern pattern, String text) {
    List<MatchResult> found = new ArrayList<>();
    Matcher matcher = pattern.matcher(text).useTransparentBounds(true);
    int length = text.length();
    for (int i = 0; i < length; i++) {
      if (!isDigit(text.charAt(i))) {
        continue;
      }
      int start = i > 0 && text.charAt(i - 1) == '+' ? i - 1 : i;
      int digits = 0;
      for (; i < length && partOfNumber(text.charAt(i)); i++) {
        digits += isDigit(text.charAt(i)) ? 1 : 0;
      }
      if (digits >= 11) {
        matcher.region(start, i);
        while (matcher.find()) {
          found.add(matcher.toMatchResult());
        }
      }
    }
    return found;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean partOfNumber(char c) {
    return isDigit(c) || c == ' ' || c == '-' || c == 'x' || c == 'X';
  }

  private static Finding finding(String rule, String field, CheckText text, MatchResult m, String masked) {
    return new Finding(rule, Finding.Level.BLOCK, field, text.start(m.start()), text.end(m.end()), masked,
      "请删除，或按规定遮盖为 " + masked);
  }

  /** Replaces non-overlapping ranges (an overlap keeps the earlier one) in one pass. */
  private static String replace(String text, List<int[]> ranges, List<String> replacements) {
    if (ranges.isEmpty()) {
      return text;
    }
    Integer[] order = new Integer[ranges.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Integer.compare(ranges.get(a)[0], ranges.get(b)[0]));
    StringBuilder out = new StringBuilder(text.length());
    int at = 0;
    for (int i : order) {
      int[] range = ranges.get(i);
      if (range[0] < at) {
        continue;
      }
      out.append(text, at, range[0]).append(replacements.get(i));
      at = range[1];
    }
    return out.append(text, at, text.length()).toString();
  }
}
