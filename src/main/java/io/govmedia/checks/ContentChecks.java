package io.govmedia.checks;

import io.govmedia.platform.Redis;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.IDN;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The content checks run when an item is submitted for review, each hit a {@link Finding} with its position:
 * <ul>
 *   <li>"sensitive-word": a word of the administrators' list, at the level the list gives it;</li>
 *   <li>"wording": a wrong form of a name or title from the wording rules, blocking, the right form as hint;</li>
 *   <li>"id-number", "mobile": citizens' personal data not masked, blocking ({@link PersonalData});</li>
 *   <li>"external-link": an http(s) link to a domain outside the allow-list (gov.cn and its subdomains, always,
 *   plus the administrators' list), a warning. Relative links, our own {@code /media/} URLs and mailto are
 *   never external.</li>
 * </ul>
 * Words are found in the {@link CheckText} form of title and body text (case and full-/half-width ignored), every
 * occurrence, overlapping ones included; positions are into the title as given and into
 * {@code HtmlBodies.text(bodyHtml)}. For "external-link" the finding's {@code text} is the URL; its position is
 * the link's visible text (an {@code <a>}'s text, or a URL written out in the text), or -1/-1 when it has none
 * (an image or video source, an empty anchor). At most {@link #MAX_PER_RULE} findings per field, rule and level
 * are kept, the first ones in the text.
 *
 * <p>The lists are compiled into an immutable {@link Snapshot} swapped atomically. A change through this
 * instance rebuilds it before the change is answered, and bumps a version counter in Redis; every instance polls
 * that counter every {@link #POLL} and rebuilds when it moved, so other instances follow within about 2 s. A
 * lost bump (Redis away at that moment) is caught up by a full reload every {@link #FULL_RELOAD}. Polling rather
 * than pub/sub: a notice sent while an instance is disconnected would be lost for good, a counter is not.
 *
 * <p>Compiling 10,000 words takes 10 to 30 ms, so it always runs on the {@value #EXECUTOR} worker pool (two
 * threads). A check runs inline when title and body together are at most {@value #INLINE_LIMIT} chars (about
 * 0.1 ms, less than the hop to a worker and back costs) and on the pool when longer (a 20,000-char body takes
 * about 1 ms, too long for an event loop). Figures: {@code ContentChecksBench}.
 */
public final class ContentChecks implements AutoCloseable {

  public static final String EXECUTOR = "govmedia-content-checks";
  public static final int INLINE_LIMIT = 2_000;
  static final int MAX_PER_RULE = 100;
  static final Duration POLL = Duration.ofSeconds(2);
  static final Duration FULL_RELOAD = Duration.ofMinutes(5);
  static final String VERSION_KEY = Redis.PREFIX + "content:check-lists:version";
  /** Always allowed, with their subdomains: the State Council's and every government's own sites. */
  public static final List<String> BUILT_IN_DOMAINS = List.of("gov.cn");

  private static final Logger log = LoggerFactory.getLogger(ContentChecks.class);

  private final Vertx vertx;
  private final CheckListStore store;
  private final Redis redis;
  private final WorkerExecutor executor;
  private final AtomicReference<Snapshot> current = new AtomicReference<>();
  private final Promise<Snapshot> first = Promise.promise();
  private final AtomicBoolean polling = new AtomicBoolean();
  private final Object reloads = new Object();
  private boolean loading;
  private Promise<Snapshot> queued;
  private volatile String seenVersion;
  private volatile long loadedAt;
  private volatile long timer = -1;

  public ContentChecks(Vertx vertx, CheckListStore store, Redis redis) {
    this.vertx = vertx;
    this.store = store;
    this.redis = redis;
    this.executor = vertx.createSharedWorkerExecutor(EXECUTOR, 2);
  }

  /** Loads the lists, then keeps following changes made on other instances. */
  public Future<Void> start() {
    return version()
      .compose(version -> {
        seenVersion = version;
        return reload();
      })
      .onSuccess(loaded -> timer = vertx.setPeriodic(POLL.toMillis(), id -> poll()))
      .mapEmpty();
  }

  /**
   * The findings for a title (plain text) and a body (HTML, sanitized by the caller: positions are into
   * {@code HtmlBodies.text(bodyHtml)}). Either may be null. Never sanitizes anything itself.
   */
  public Future<List<Finding>> check(String title, String bodyHtml) {
    return check(title, bodyHtml, Map.of());
  }

  /**
   * As {@link #check(String, String)}, and also over other short plain-text fields (an issuer, a document number,
   * an interpreter's title: a wrong institution name or title blocks there too); their findings name the field.
   */
  public Future<List<Finding>> check(String title, String bodyHtml, Map<String, String> others) {
    int length = (title == null ? 0 : title.length()) + (bodyHtml == null ? 0 : bodyHtml.length());
    return snapshot().compose(snapshot -> length <= INLINE_LIMIT
      ? Future.succeededFuture(snapshot.check(title, bodyHtml, others))
      : executor.executeBlocking(() -> snapshot.check(title, bodyHtml, others), false));
  }

  /**
   * Sanitizes a body as written and renders its text, on the worker pool: jsoup takes milliseconds on a large
   * body, too long for an event loop. Fails with 422 {@code body-too-complex} past {@link HtmlBodies}' limits.
   */
  public Future<HtmlBodies.Body> prepare(String rawHtml) {
    return executor.executeBlocking(() -> HtmlBodies.prepare(rawHtml), false);
  }

  /** What the checks find in a draft not saved yet: its body sanitized as on save, then checked, on the worker pool. */
  public Future<Draft> checkDraft(String title, String rawHtml) {
    return snapshot().compose(snapshot -> executor.executeBlocking(() -> {
      HtmlBodies.Body body = HtmlBodies.prepare(rawHtml);
      return new Draft(body, snapshot.check(title, body.html()));
    }, false));
  }

  /** A draft's body as it would be stored, and the findings in it; positions point into {@code body.text()}. */
  public record Draft(HtmlBodies.Body body, List<Finding> findings) {}

  /** The lists as this instance checks with them now. */
  Future<Snapshot> snapshot() {
    Snapshot loaded = current.get();
    return loaded != null ? Future.succeededFuture(loaded) : first.future();
  }

  /**
   * After a change through this instance: tells the others and rebuilds here. Never fails; a rebuild that fails
   * is logged and retried by the next poll, since the version it saw has moved.
   */
  Future<Void> changed() {
    Future<Void> told = Redis.await(redis.commands().incr(VERSION_KEY)).<Void>mapEmpty().recover(failure -> {
      // The change is stored; other instances pick it up at their next full reload instead.
      log.warn("could not announce a content-check list change in Redis", failure);
      return Future.succeededFuture();
    });
    Future<Void> rebuilt = reload().<Void>mapEmpty().recover(failure -> {
      log.warn("could not rebuild the content-check lists; the next poll retries", failure);
      seenVersion = null;
      return Future.succeededFuture();
    });
    return Future.all(told, rebuilt).mapEmpty();
  }

  /** One reload at a time; calls during one share a single next reload, which starts after it. */
  private Future<Snapshot> reload() {
    synchronized (reloads) {
      if (loading) {
        if (queued == null) {
          queued = Promise.promise();
        }
        return queued.future();
      }
      loading = true;
    }
    return load();
  }

  private Future<Snapshot> load() {
    long started = System.nanoTime();
    return Future.<Snapshot>future(loaded -> store.all()
        .compose(lists -> executor.executeBlocking(() -> compile(lists), false))
        .onComplete(loaded))
      .andThen(result -> {
        if (result.succeeded()) {
          current.set(result.result());
          loadedAt = started;
          first.tryComplete(result.result());
        }
        Promise<Snapshot> next;
        synchronized (reloads) {
          next = queued;
          queued = null;
          loading = next != null;
        }
        if (next != null) {
          load().onComplete(next);
        }
      });
  }

  private void poll() {
    if (!polling.compareAndSet(false, true)) {
      return;
    }
    version()
      .compose(version -> {
        boolean moved = !Objects.equals(version, seenVersion);
        if (!moved && System.nanoTime() - loadedAt < FULL_RELOAD.toNanos()) {
          return Future.succeededFuture();
        }
        seenVersion = version;
        return reload().mapEmpty();
      })
      .onFailure(failure -> log.warn("content-check lists not refreshed", failure))
      .onComplete(done -> polling.set(false));
  }

  /** The change counter, or null when Redis has none or cannot be reached (then polls compare null). */
  private Future<String> version() {
    return Redis.await(redis.commands().get(VERSION_KEY)).recover(failure -> Future.succeededFuture(null));
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    executor.close();
  }

  /** Compiles the lists: the words and wrong forms into one automaton, the domains into a set. */
  public static Snapshot compile(CheckListStore.Lists lists) {
    // Loads CheckText's normalization table (tens of ms, once) here, on a worker, not on the first event loop
    // that checks a text, even when the lists are empty.
    CheckText.key("");
    List<CheckAutomaton.Word<Rule>> words = new ArrayList<>();
    for (CheckListStore.SensitiveWord word : lists.words()) {
      words.add(new CheckAutomaton.Word<>(CheckText.key(word.word()), new Rule("sensitive-word", word.level(), null)));
    }
    for (CheckListStore.WordingRule rule : lists.wordings()) {
      words.add(new CheckAutomaton.Word<>(CheckText.key(rule.wrong()), new Rule("wording", Finding.Level.BLOCK,
        rule.right())));
    }
    Set<String> domains = new HashSet<>(BUILT_IN_DOMAINS);
    lists.domains().forEach(domain -> domains.add(domain.domain()));
    return new Snapshot(CheckAutomaton.build(words), Set.copyOf(domains));
  }

  /** What a word of the automaton stands for. */
  private record Rule(String rule, Finding.Level level, String hint) {}

  /** The compiled lists at one moment. Immutable: any number of threads may check with it at once. */
  public static final class Snapshot {

    private static final Pattern WRITTEN_URL = Pattern.compile("(?i)\\bhttps?://[^\\s<>\"'，。；：！？、（）【】《》「」]+");
    private static final Comparator<Finding> ORDER = Comparator
      .comparingInt((Finding f) -> f.field().equals("title") ? 0 : 1)
      .thenComparingInt(f -> f.start() < 0 ? Integer.MAX_VALUE : f.start())
      .thenComparing(Comparator.comparingInt(Finding::end).reversed())
      .thenComparing(Finding::rule);

    private final CheckAutomaton<Rule> automaton;
    private final Set<String> domains;

    private Snapshot(CheckAutomaton<Rule> automaton, Set<String> domains) {
      this.automaton = automaton;
      this.domains = domains;
    }

    /** The findings for a title (plain text) and a sanitized HTML body; see {@link ContentChecks}. */
    public List<Finding> check(String title, String bodyHtml) {
      return check(title, bodyHtml, Map.of());
    }

    public List<Finding> check(String title, String bodyHtml, Map<String, String> others) {
      List<Finding> findings = new ArrayList<>();
      others.forEach((field, value) -> {
        if (value != null && !value.isEmpty()) {
          scan(field, CheckText.of(value), findings);
        }
      });
      if (title != null && !title.isEmpty()) {
        scan("title", CheckText.of(title), findings);
        writtenLinks("title", title, findings);
      }
      HtmlBodies.Rendered body = HtmlBodies.render(bodyHtml);
      if (!body.text().isEmpty()) {
        scan("body", CheckText.of(body.text()), findings);
      }
      bodyLinks(body, findings);
      writtenLinks("body", body.text(), findings);
      return capped(findings);
    }

    /** Words in the automaton: sensitive words and wrong forms. */
    public int words() {
      return automaton.size();
    }

    /** Whether a link to {@code url} needs no warning. */
    boolean allowedLink(String url) {
      String host = webHost(url);
      if (host == null) {
        return true;
      }
      for (String suffix = host; !suffix.isEmpty(); ) {
        if (domains.contains(suffix)) {
          return true;
        }
        int dot = suffix.indexOf('.');
        suffix = dot < 0 ? "" : suffix.substring(dot + 1);
      }
      return false;
    }

    private void scan(String field, CheckText text, List<Finding> findings) {
      for (CheckAutomaton.Hit<Rule> hit : automaton.find(text.normalized())) {
        Rule rule = hit.payload();
        findings.add(new Finding(rule.rule(), rule.level(), field, text.start(hit.from()), text.end(hit.to()),
          text.originalOf(hit.from(), hit.to()), rule.hint()));
      }
      findings.addAll(PersonalData.find(field, text));
    }

    private void bodyLinks(HtmlBodies.Rendered body, List<Finding> findings) {
      Set<String> unplaced = new LinkedHashSet<>();
      for (HtmlBodies.Link link : body.links()) {
        if (allowedLink(link.url())) {
          continue;
        }
        if (link.start() >= 0) {
          findings.add(externalLink("body", link.start(), link.end(), link.url()));
        } else {
          unplaced.add(link.url());
        }
      }
      unplaced.forEach(url -> findings.add(externalLink("body", -1, -1, url)));
    }

    /** URLs written out as text, which a reader may copy even where no link was made. */
    private void writtenLinks(String field, String text, List<Finding> findings) {
      if (!text.contains("://")) {
        return;
      }
      Matcher m = WRITTEN_URL.matcher(text);
      while (m.find()) {
        String url = m.group().replaceAll("[.,;:!?)]+$", "");
        if (!allowedLink(url)) {
          findings.add(externalLink(field, m.start(), m.start() + url.length(), url));
        }
      }
    }

    private static Finding externalLink(String field, int start, int end, String url) {
      return new Finding("external-link", Finding.Level.WARN, field, start, end, url,
        "链接指向允许列表以外的网站，请确认不是广告或非权威来源");
    }

    /** Sorted, the same hit found twice (a link written out as its own text) kept once, each rule capped. */
    private static List<Finding> capped(List<Finding> findings) {
      findings.sort(ORDER);
      Set<String> seen = new HashSet<>();
      Map<String, Integer> counts = new HashMap<>();
      List<Finding> kept = new ArrayList<>();
      for (Finding f : findings) {
        String group = f.field() + '/' + f.rule() + '/' + f.level();
        if (seen.add(group + '/' + f.start() + '/' + f.end() + '/' + f.text())
          && counts.merge(group, 1, Integer::sum) <= MAX_PER_RULE) {
          kept.add(f);
        }
      }
      return kept;
    }

    /**
     * The lower-case ASCII host of an absolute or protocol-relative http(s) URL, or null for anything else
     * (relative, mailto, our own media). The host is what a browser would visit: after any user info, before
     * any port, with backslashes ending the authority as browsers treat them.
     */
    static String webHost(String url) {
      String lower = url.strip().toLowerCase(Locale.ROOT);
      String rest;
      if (lower.startsWith("http://") || lower.startsWith("https://")) {
        rest = lower.substring(lower.indexOf("//") + 2);
      } else if (lower.startsWith("//")) {
        rest = lower.substring(2);
      } else {
        return null;
      }
      int end = 0;
      while (end < rest.length() && "/?#\\".indexOf(rest.charAt(end)) < 0) {
        end++;
      }
      String authority = rest.substring(0, end);
      authority = authority.substring(authority.lastIndexOf('@') + 1);
      String host = authority.startsWith("[") ? authority.substring(0, authority.indexOf(']') + 1)
        : authority.contains(":") ? authority.substring(0, authority.indexOf(':')) : authority;
      while (host.endsWith(".")) {
        host = host.substring(0, host.length() - 1);
      }
      try {
        return IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
      } catch (IllegalArgumentException e) {
        return host;
      }
    }
  }
}
