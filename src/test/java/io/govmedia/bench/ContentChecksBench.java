package io.govmedia.bench;

import io.govmedia.checks.CheckListStore;
import io.govmedia.checks.ContentChecks;
import io.govmedia.checks.Finding;
import io.govmedia.checks.HtmlBodies;
import io.govmedia.platform.Ids;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The content checks without a server: compiles a sensitive-word list of realistic Chinese words (2 to 6 common
 * characters, from a fixed seed) plus wording rules into the automaton, then times {@code check(title, body)} over a
 * Chinese HTML document with some hits, ID numbers, mobiles and links — after a warm-up, as the median, p99 and
 * maximum of many runs — both the check itself (what an event loop would spend) and the way the server runs it,
 * handed to the {@value ContentChecks#EXECUTOR} worker pool and awaited.
 *
 * <p>Usage: ContentChecksBench [words=10000] [bodyChars=20000] [runs=200]
 */
public final class ContentChecksBench {

  /** About 500 of the most frequent characters in Chinese government text. */
  private static final String COMMON = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
    + "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开"
    + "它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结"
    + "解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山"
    + "统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器"
    + "压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报"
    + "斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际"
    + "商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快"
    + "效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞";
  private static final Instant NOW = Instant.parse("2026-01-31T08:00:00Z");
  private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

  public static void main(String[] args) throws Exception {
    int wordCount = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int bodyChars = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    Random random = new Random(20260131L);

    long loadingStarted = System.nanoTime();
    ContentChecks.compile(new CheckListStore.Lists(List.of(), List.of(), List.of()));
    double loadingMillis = millis(System.nanoTime() - loadingStarted);

    List<String> words = words(random, wordCount);
    CheckListStore.Lists lists = lists(words, random);
    double[] builds = new double[6];
    ContentChecks.Snapshot checks = null;
    for (int i = 0; i < builds.length; i++) {
      long started = System.nanoTime();
      checks = ContentChecks.compile(lists);
      builds[i] = millis(System.nanoTime() - started);
    }
    String title = "关于进一步加强政务新媒体管理的通知";
    String body = document(random, words, bodyChars);
    int textLength = HtmlBodies.text(body).length();
    List<Finding> findings = checks.check(title, body);

    ContentChecks.Snapshot compiled = checks;
    String shortBody = document(random, words, ContentChecks.INLINE_LIMIT - title.length() - 300);
    double[] direct = time(runs, () -> compiled.check(title, body));
    double[] inline = time(runs, () -> compiled.check(title, shortBody));
    double[] parseOnly = time(runs, () -> HtmlBodies.text(body));
    Vertx vertx = Vertx.vertx();
    WorkerExecutor executor = vertx.createSharedWorkerExecutor(ContentChecks.EXECUTOR, 2);
    double[] onWorker;
    try {
      onWorker = time(runs, () -> executor.executeBlocking(() -> compiled.check(title, body), false)
        .await(10, TimeUnit.SECONDS));
    } finally {
      executor.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }

    System.out.printf("content checks benchmark (JDK %s, %d processors)%n", Runtime.version(),
      Runtime.getRuntime().availableProcessors());
    System.out.printf("  first use (class loading, logging, normalization table): %.1f ms%n", loadingMillis);
    System.out.printf("  lists: %d sensitive words, %d wording rules, %d domains; automaton of %d words%n",
      lists.words().size(), lists.wordings().size(), lists.domains().size(), checks.words());
    System.out.printf("  compile (normalize + automaton), cold: %8.1f ms; warm median of %d: %.1f ms%n",
      builds[0], builds.length - 1, median(Arrays.copyOfRange(builds, 1, builds.length)));
    System.out.printf("  document: %d chars of HTML, %d chars of text; %d findings %s%n", body.length(), textLength,
      findings.size(), byRule(findings));
    report("check(title, body), calling thread", direct);
    report("  of which HTML parse + text (jsoup)", parseOnly);
    report("check on the worker pool, awaited", onWorker);
    report("check of " + (title.length() + shortBody.length()) + " chars (run inline)", inline);
    System.out.printf("  goal < 5 ms per check: median %s, p99 %s%n", percentile(direct, 50) < 5 ? "met" : "NOT met",
      percentile(direct, 99) < 5 ? "met" : "NOT met");
  }

  private static List<String> words(Random random, int count) {
    Set<String> words = new LinkedHashSet<>();
    while (words.size() < count) {
      int length = 2 + random.nextInt(5);
      StringBuilder word = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        word.append(COMMON.charAt(random.nextInt(COMMON.length())));
      }
      words.add(word.toString());
    }
    return List.copyOf(words);
  }

  private static CheckListStore.Lists lists(List<String> words, Random random) {
    List<CheckListStore.SensitiveWord> sensitive = new ArrayList<>();
    for (String word : words) {
      Finding.Level level = random.nextInt(4) == 0 ? Finding.Level.WARN : Finding.Level.BLOCK;
      sensitive.add(new CheckListStore.SensitiveWord(Ids.newId(), word, level, null, NOW, NOW, 1));
    }
    List<CheckListStore.WordingRule> wordings = new ArrayList<>();
    for (String[] rule : new String[][] {{"中华人民共合国", "中华人民共和国"}, {"国务院总里", "国务院总理"},
      {"国务院办公庁", "国务院办公厅"}, {"全国人大常委员会", "全国人大常委会"}}) {
      wordings.add(new CheckListStore.WordingRule(Ids.newId(), rule[0], rule[1], null, NOW, NOW, 1));
    }
    List<CheckListStore.LinkDomain> domains = List.of(
      new CheckListStore.LinkDomain(Ids.newId(), "people.com.cn", null, NOW),
      new CheckListStore.LinkDomain(Ids.newId(), "xinhuanet.com", null, NOW));
    return new CheckListStore.Lists(sensitive, wordings, domains);
  }

  /** Paragraphs of common characters with list words, wrong wordings, ID numbers, mobiles and links mixed in. */
  private static String document(Random random, List<String> words, int chars) {
    StringBuilder html = new StringBuilder("<h2>一、总体要求</h2>");
    int paragraph = 0;
    while (html.length() < chars) {
      html.append("<p>");
      for (int i = 0; i < 150; i++) {
        html.append(COMMON.charAt(random.nextInt(COMMON.length())));
        if (i % 37 == 36) {
          html.append('，');
        }
      }
      switch (paragraph++ % 8) {
        case 0 -> html.append(words.get(random.nextInt(words.size())));
        case 1 -> html.append("中华人民共合国");
        case 2 -> html.append("身份证号").append(idNumber(random));
        case 3 -> html.append("联系电话13").append(String.format("%09d", random.nextInt(1_000_000_000)));
        case 4 -> html.append("<a href=\"https://www.gov.cn/zhengce/").append(paragraph).append("\">政策原文</a>");
        case 5 -> html.append("<a href=\"https://ad").append(paragraph).append(".example.com/\">点此了解</a>");
        case 6 -> html.append("<img src=\"/media/65b9e0c2a1f4c3d2e1f0a9b8\" alt=\"图解\">");
        default -> html.append("<strong>").append(words.get(random.nextInt(words.size()))).append("</strong>");
      }
      html.append("。</p>");
    }
    return html.toString();
  }

  private static String idNumber(Random random) {
    LocalDate birth = LocalDate.of(1950, 1, 1).plusDays(random.nextInt(25_000));
    String body = "110105" + birth.toString().replace("-", "") + String.format("%03d", random.nextInt(1000));
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (body.charAt(i) - '0') * WEIGHTS[i];
    }
    return body + "10X98765432".charAt(sum % 11);
  }

  private static double[] time(int runs, ThrowingRunnable work) throws Exception {
    for (int i = 0; i < Math.max(500, runs); i++) {
      work.run();
    }
    double[] samples = new double[runs];
    for (int i = 0; i < runs; i++) {
      long started = System.nanoTime();
      work.run();
      samples[i] = millis(System.nanoTime() - started);
    }
    Arrays.sort(samples);
    return samples;
  }

  private static void report(String what, double[] sorted) {
    System.out.printf("  %-38s median %6.3f ms, p99 %6.3f ms, max %6.3f ms (%d runs)%n", what + ":",
      percentile(sorted, 50), percentile(sorted, 99), sorted[sorted.length - 1], sorted.length);
  }

  private static double percentile(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return percentile(sorted, 50);
  }

  private static String byRule(List<Finding> findings) {
    Map<String, Integer> counts = new TreeMap<>();
    findings.forEach(f -> counts.merge(f.rule() + "/" + f.level().wire(), 1, Integer::sum));
    return counts.toString();
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
