package io.govmedia.bench;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.search.SearchIndex;
import io.govmedia.platform.EmbeddedMongo;
import io.govmedia.platform.EmbeddedRedis;
import io.govmedia.platform.Redis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Staff search over a generated corpus, on the embedded stores it starts itself (MongoDB on an H2 file, a real
 * redis-server): puts the documents through {@link SearchIndex}, then times queries of 2 to 6 characters (hits and
 * misses, one client, then four at once), a restart (the instance stopped and started again on its index on disk:
 * time to the first answer, the heap the open index holds, the same queries on it), and a cold start (a fresh
 * instance with no index folder building it from MongoDB). Goals over 20,000 documents: p99 under 50 ms, heap under
 * 20 MB, restart to first answer under 1 s.
 *
 * <p>Usage: ContentSearchBench [documents=20000] [queries=1000] [characters per document=1500]
 */
public final class ContentSearchBench {

  private static final long SEED = 20260131L;

  public static void main(String[] args) throws Exception {
    int documents = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int queries = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int characters = args.length > 2 ? Integer.parseInt(args[2]) : 1_500;
    Path dataDir = Files.createTempDirectory("govmedia-search-bench");
    Vertx vertx = Vertx.vertx();
    EmbeddedMongo embeddedMongo = EmbeddedMongo.start(dataDir);
    EmbeddedRedis embeddedRedis = EmbeddedRedis.start();
    MongoClient mongo = MongoClients.create(embeddedMongo.uri());
    Redis redis = Redis.connect(embeddedRedis.uri());
    try {
      MongoDatabase db = mongo.getDatabase("govmedia");
      Corpus corpus = new Corpus(new Random(SEED));
      List<SearchIndex.Entry> entries = new ArrayList<>();
      Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
      long chars = 0;
      for (int i = 0; i < documents; i++) {
        SearchIndex.Entry entry = new SearchIndex.Entry(i % 5 == 4 ? "interpretation" : "document",
          String.format("%024x", i + 1), corpus.title(), corpus.text(characters), i % 3 == 0 ? "draft" : "published",
          null, t0.plusSeconds(i));
        chars += entry.text().length();
        entries.add(entry);
      }
      List<String> workload = corpus.queries(entries, queries);

      Path folders = dataDir.resolve("search");
      SearchIndex index = new SearchIndex(vertx, db, redis, folders);
      index.createIndexes().await(30, TimeUnit.SECONDS);
      index.start().await(30, TimeUnit.SECONDS);
      index.loaded().await(30, TimeUnit.SECONDS);
      long indexing = putAll(index, entries, 16);

      System.out.printf("%ngovmedia search benchmark — %s, %d cores, max heap %d MB, %s%n", java.time.LocalDate.now(),
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
      System.out.printf("corpus: %,d entries, %,d characters of text (%,d per entry on average)%n",
        documents, chars, chars / documents);
      System.out.printf("indexing through SearchIndex.put (16 in flight, MongoDB write included): %,.1f s, %,.0f entries/s%n",
        indexing / 1e9, documents * 1e9 / indexing);

      warmUp(index, workload);
      print("queries, one client", latencies(index, workload, 1), workload);
      print("queries, four clients", latencies(index, workload, 4), workload);
      index.close();

      long before = usedHeap();
      long restarting = System.nanoTime();
      SearchIndex restarted = new SearchIndex(vertx, db, redis, folders);
      restarted.start().await(30, TimeUnit.SECONDS);
      SearchIndex.Hits first = restarted.search(workload.get(0), Set.of(), SearchIndex.Reader.ADMIN, 20, null)
        .await(30, TimeUnit.SECONDS);
      long firstAnswer = System.nanoTime() - restarting;
      restarted.loaded().await(600, TimeUnit.SECONDS);
      long caughtUp = System.nanoTime() - restarting;
      System.out.printf("restart on the index on disk: first answer (%d hits) after %,d ms, caught up with MongoDB after %,d ms%n",
        first.items().size(), firstAnswer / 1_000_000, caughtUp / 1_000_000);
      print("queries after the restart", latencies(restarted, workload, 1), workload);
      long open = usedHeap();
      restarted.close();
      long closed = usedHeap();
      // the catch-up's read fills the embedded store's own caches (in this JVM) too: what closing frees is the index's
      System.out.printf("heap (after GC): %,.1f MB more with the index open than before the restart (embedded store's caches "
        + "included); %,.1f MB freed by closing it (the index's own) for %,d characters of text%n",
        (open - before) / 1048576.0, (open - closed) / 1048576.0, chars);

      long coldStart = System.nanoTime();
      try (SearchIndex cold = new SearchIndex(vertx, db, redis, dataDir.resolve("search-cold"))) {
        cold.start().await(30, TimeUnit.SECONDS);
        cold.loaded().await(600, TimeUnit.SECONDS);
        System.out.printf("cold start (no index on disk: built from MongoDB): %,.1f s%n", (System.nanoTime() - coldStart) / 1e9);
      }
    } finally {
      redis.close();
      mongo.close();
      embeddedRedis.close();
      embeddedMongo.close();
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static long putAll(SearchIndex index, List<SearchIndex.Entry> entries, int inFlight) throws Exception {
    Semaphore slots = new Semaphore(inFlight);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    long started = System.nanoTime();
    for (SearchIndex.Entry entry : entries) {
      slots.acquire();
      index.put(entry).onComplete(done -> {
        if (done.failed()) {
          failed.compareAndSet(null, done.cause());
        }
        slots.release();
      });
    }
    slots.acquire(inFlight);
    if (failed.get() != null) {
      throw new IllegalStateException("a put failed", failed.get());
    }
    return System.nanoTime() - started;
  }

  private static void warmUp(SearchIndex index, List<String> workload) throws Exception {
    for (int round = 0; round < 3; round++) {
      for (String q : workload) {
        index.search(q, Set.of(), SearchIndex.Reader.ADMIN, 20, null).await(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Each query once, spread over {@code clients} threads; answers latencies in nanoseconds and hit counts. */
  private static long[][] latencies(SearchIndex index, List<String> workload, int clients) throws Exception {
    long[] latencies = new long[workload.size()];
    long[] found = new long[workload.size()];
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread thread = new Thread(() -> {
        for (int i = client; i < workload.size(); i += clients) {
          long started = System.nanoTime();
          Future<SearchIndex.Hits> hits = index.search(workload.get(i), Set.of(), SearchIndex.Reader.ADMIN, 20, null);
          try {
            found[i] = hits.await(30, TimeUnit.SECONDS).items().size();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          latencies[i] = System.nanoTime() - started;
        }
      }, "search-client-" + c);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return new long[][] {latencies, found};
  }

  private static void print(String what, long[][] result, List<String> workload) {
    long[] sorted = result[0].clone();
    Arrays.sort(sorted);
    long withHits = Arrays.stream(result[1]).filter(n -> n > 0).count();
    System.out.printf("%-30s %,d queries (%,d with hits): p50 %.2f ms  p99 %.2f ms  max %.2f ms%n", what,
      workload.size(), withHits, percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6,
      sorted[sorted.length - 1] / 1e6);
  }

  private static long percentile(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static long usedHeap() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Policy-document prose from a fixed vocabulary, topics drawn with a skewed (Zipf-like) distribution. */
  static final class Corpus {
    private static final String[] TOPICS = (
      "住房公积金 养老保险 医疗保险 失业保险 工伤保险 最低生活保障 特困人员供养 残疾人两项补贴 退役军人 高校毕业生 农民工 "
        + "小微企业 个体工商户 营商环境 政务服务 一网通办 数字政府 乡村振兴 高标准农田 耕地保护 生态环境 大气污染防治 "
        + "水污染防治 土壤污染 垃圾分类 安全生产 消防安全 食品安全 药品监管 应急管理 防汛抗旱 城市更新 老旧小区改造 "
        + "保障性住房 租赁住房 物业管理 交通运输 公共交通 新能源汽车 充电基础设施 义务教育 学前教育 职业教育 托育服务 "
        + "养老服务 医养结合 家庭医生签约 分级诊疗 公立医院 中医药 文化旅游 全民健身 科技创新 高新技术企业 专精特新 "
        + "知识产权 人才引进 创业担保贷款 就业补贴 稳岗返还 职业技能培训 减税降费 增值税留抵退税 个人所得税 契税 "
        + "财政资金 政府采购 招标投标 国有资产 审计监督 统计调查 社会信用体系 市场监管 价格监督 消费者权益 网络安全 "
        + "数据安全 个人信息保护 政务公开 行政复议 行政许可 行政处罚 法治政府 基层治理 社区服务 网格化管理 信访工作 "
        + "优抚安置 殡葬改革 河长制 林长制 碳达峰碳中和 节能降碳 清洁取暖 农村饮水安全 冬春救助 临时救助 低保边缘家庭 "
        + "异地就医直接结算 长期护理保险 城乡居民医保 灵活就业人员 新就业形态 根治欠薪 劳动争议调解 工程建设项目审批").split(" ");
    private static final String[] ACTIONS = "加强 推进 落实 完善 健全 优化 规范 深化 强化 提升 支持 鼓励 引导 保障 实施 开展 组织 建立 推动 促进".split(" ");
    private static final String[] OBJECTS = ("工作机制 管理制度 服务体系 政策措施 工作方案 实施细则 申请条件 办理流程 审核程序 资金补助 监督检查 "
      + "考核评价 责任落实 信息系统 服务质量 标准规范 风险防控 宣传引导 数据共享 联动机制").split(" ");
    private static final String[] KINDS = "通知 意见 实施办法 若干措施 管理办法 实施方案 指导意见 工作要点 实施细则".split(" ");
    private static final String[] BODIES = "各区县人民政府 市政府各部门 各街道办事处 各有关单位 市人力资源和社会保障局 市住房和城乡建设局 市财政局 市民政局 市卫生健康委".split(" ");
    private static final String[] GROUPS = "参保人员 申请人 困难群众 企业职工 城乡居民 经营主体 老年人 残疾人 未成年人 新市民".split(" ");
    private static final String[] MATERIALS = "身份证明 户口簿 劳动合同 收入证明 营业执照 不动产权证书 银行账户信息 医疗费用票据".split(" ");
    private static final String[] LATIN = "PM2.5 5G GDP APP CPI AI ETC PPP".split(" ");

    private final Random random;

    Corpus(Random random) {
      this.random = random;
    }

    private String pick(String[] words) {
      return words[random.nextInt(words.length)];
    }

    /** Skewed: low indexes far more often, as a few topics dominate an office's documents. */
    private String topic() {
      double u = random.nextDouble();
      return TOPICS[(int) (TOPICS.length * u * u * u)];
    }

    String title() {
      String prefix = random.nextInt(3) == 0 ? "市人民政府办公室" : "";
      return prefix + "关于" + pick(ACTIONS) + topic() + pick(OBJECTS) + "的" + pick(KINDS);
    }

    String text(int characters) {
      StringBuilder text = new StringBuilder(characters + 100);
      String main = topic();
      String second = topic();
      while (text.length() < characters) {
        String t = random.nextInt(3) == 0 ? topic() : random.nextBoolean() ? main : second;
        switch (random.nextInt(9)) {
          case 0 -> text.append(pick(BODIES)).append("要").append(pick(ACTIONS)).append(t).append(pick(OBJECTS))
            .append("，").append(pick(ACTIONS)).append(pick(OBJECTS)).append("。");
          case 1 -> text.append("对符合条件的").append(pick(GROUPS)).append("，按照每人每月").append(100 + random.nextInt(20) * 50)
            .append("元的标准给予").append(t).append("补贴。");
          case 2 -> text.append("申请人应当在").append(5 + random.nextInt(26)).append("个工作日内提交").append(pick(MATERIALS))
            .append("和").append(pick(MATERIALS)).append("，").append(pick(BODIES)).append("负责审核。");
          case 3 -> text.append("到").append(2025 + random.nextInt(3)).append("年底，").append(t).append("覆盖率达到")
            .append(60 + random.nextInt(40)).append("%以上。");
          case 4 -> text.append("本").append(pick(KINDS)).append("自").append(2024 + random.nextInt(4)).append("年")
            .append(1 + random.nextInt(12)).append("月").append(1 + random.nextInt(28)).append("日起施行。");
          case 5 -> text.append(pick(ACTIONS)).append(t).append("与").append(topic()).append("的衔接，").append(pick(ACTIONS))
            .append(pick(OBJECTS)).append("，").append(pick(ACTIONS)).append(pick(GROUPS)).append("的合法权益。");
          case 6 -> text.append("依托").append(pick(LATIN)).append("等技术手段，").append(pick(ACTIONS)).append(t)
            .append(pick(OBJECTS)).append("。");
          case 7 -> text.append("第").append(1 + random.nextInt(40)).append("条　").append(t).append("的")
            .append(pick(OBJECTS)).append("由").append(pick(BODIES)).append("统一制定。");
          default -> text.append(pick(GROUPS)).append("可通过政务服务网、“").append(t).append("”专区或").append(pick(LATIN))
            .append("在线办理，").append(pick(ACTIONS)).append(pick(OBJECTS)).append("。\n");
        }
      }
      return text.toString();
    }

    /** Three in four are pieces of 2 to 6 Chinese characters of the corpus; the rest rare characters found nowhere. */
    List<String> queries(List<SearchIndex.Entry> entries, int count) {
      List<String> queries = new ArrayList<>();
      while (queries.size() < count) {
        int length = 2 + random.nextInt(5);
        if (random.nextInt(4) == 3) {
          StringBuilder miss = new StringBuilder();
          for (int i = 0; i < length; i++) {
            miss.appendCodePoint(0x9F00 + random.nextInt(0x9F90 - 0x9F00));
          }
          queries.add(miss.toString());
          continue;
        }
        String piece;
        do {
          String text = entries.get(random.nextInt(entries.size())).text();
          int at = random.nextInt(text.length() - length);
          piece = text.substring(at, at + length);
        } while (!piece.codePoints().allMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN));
        queries.add(piece);
      }
      return queries;
    }
  }
}
