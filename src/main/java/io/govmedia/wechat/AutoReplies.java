package io.govmedia.wechat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Picks the passive reply for a message inside the callback, with no outbound call. Each account's rules and
 * acknowledgement setting are compiled once and kept in process for {@link #TTL}: the first message after that
 * reads MongoDB again. A write through this instance's routes drops the account's entry at once; other instances
 * see the change within the TTL. Safe to call from any number of event loops at once.
 *
 * <p>Regex rules are matched with {@code Matcher.find()} against a text that counts its reads and gives up after
 * {@link #REGEX_STEP_BUDGET} for all regex rules of a message together, so rules that backtrack badly cost about a
 * millisecond in all and count as no match; so
 * does one whose recursion would overflow the stack on a long message.
 */
final class AutoReplies {

  public static final Duration TTL = Duration.ofSeconds(5);
  static final int REGEX_MAX_LENGTH = 200;
  static final int REGEX_STEP_BUDGET = 200_000;
  private static final Logger log = LoggerFactory.getLogger(AutoReplies.class);

  /**
   * What to answer a message with. {@code reply} is null when the callback should answer "success". A keyword hit
   * has been answered by its rule and is not a citizen message for the inbox; anything else a citizen sent still
   * goes to the inbox, even when it got the acknowledgement or the default reply.
   *
   * @param ruleId the rule that answered, or null (no rule, or the acknowledgement text)
   */
  public record Match(PassiveReply reply, boolean keywordHit, String ruleId) {

    public static final Match NONE = new Match(null, false, null);

    public boolean hasReply() {
      return reply != null;
    }
  }

  private final AutoReplyStore store;
  private final Clock clock;
  private final long ttlMillis;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  public AutoReplies(AutoReplyStore store, Clock clock) {
    this(store, clock, TTL);
  }

  AutoReplies(AutoReplyStore store, Clock clock, Duration ttl) {
    this.store = store;
    this.clock = clock;
    this.ttlMillis = ttl.toMillis();
  }

  /**
   * The reply to {@code message} on the account. Never fails: if the rules cannot be read, the answer is
   * {@link Match#NONE}, so the message is still stored and handed to the inbox.
   */
  public Future<Match> match(String accountId, InboundMessage message) {
    return rules(accountId)
      .map(rules -> rules.answer(message))
      .recover(failure -> {
        log.warn("auto-replies of account {} unavailable, answering without one", accountId, failure);
        return Future.succeededFuture(Match.NONE);
      });
  }

  /** Forgets the account's compiled rules, so the next message reads them afresh. */
  public void invalidate(String accountId) {
    cache.remove(accountId);
  }

  private Future<Rules> rules(String accountId) {
    long now = clock.millis();
    Cached cached = cache.compute(accountId, (id, old) -> old != null && old.usableAt(now, ttlMillis) ? old
      : new Cached(load(id), now));
    return onCallersContext(cached.rules());
  }

  private Future<Rules> load(String accountId) {
    // Future.future turns a driver that throws (e.g. a closed client) into a failed load, retried next time.
    return Future.<Rules>future(loaded -> Future.all(store.rules(accountId), store.settings(accountId))
      .map(both -> Rules.compile(both.resultAt(0), both.resultAt(1)))
      .onComplete(loaded));
  }

  /** A load shared by callers on other event loops completes on the loader's; hand each caller its own. */
  private static <T> Future<T> onCallersContext(Future<T> shared) {
    Context context = Vertx.currentContext();
    if (shared.isComplete() || context == null) {
      return shared;
    }
    Promise<T> own = Promise.promise();
    shared.onComplete(result -> context.runOnContext(v -> own.handle(result)));
    return own.future();
  }

  private record Cached(Future<Rules> rules, long loadedAt) {

    boolean usableAt(long now, long ttlMillis) {
      return !rules.failed() && now - loadedAt < ttlMillis;
    }
  }

  /** An account's enabled rules, compiled, in matching order. */
  private record Rules(List<Keyword> keywords, AutoReplyRule subscribe, AutoReplyRule fallback,
                       AutoReplyStore.Settings settings) {

    static Rules compile(List<AutoReplyRule> all, AutoReplyStore.Settings settings) {
      List<Keyword> keywords = new ArrayList<>();
      AutoReplyRule subscribe = null;
      AutoReplyRule fallback = null;
      for (AutoReplyRule rule : all) {
        if (!rule.enabled()) {
          continue;
        }
        switch (rule.match()) {
          case SUBSCRIBE -> subscribe = subscribe == null ? rule : subscribe;
          case DEFAULT -> fallback = fallback == null ? rule : fallback;
          default -> Keyword.of(rule).ifPresent(keywords::add);
        }
      }
      return new Rules(List.copyOf(keywords), subscribe, fallback, settings);
    }

    Match answer(InboundMessage message) {
      if (message.isEvent()) {
        return "subscribe".equals(message.event()) ? replyOf(subscribe) : Match.NONE;
      }
      if ("text".equals(message.msgType())) {
        // One step budget for all regex rules of the message: 200 rules must not cost 200 budgets.
        BudgetedText text = new BudgetedText(message.content() == null ? "" : message.content());
        for (Keyword keyword : keywords) {
          if (keyword.matches(text)) {
            return new Match(keyword.rule().reply(), true, keyword.rule().id());
          }
        }
        if (settings.ackEnabled()) {
          return new Match(new PassiveReplies.Text(settings.ackText()), false, null);
        }
      }
      return replyOf(fallback);
    }

    private static Match replyOf(AutoReplyRule rule) {
      return rule == null ? Match.NONE : new Match(rule.reply(), false, rule.id());
    }
  }

  /** A keyword rule with its test compiled. */
  private record Keyword(AutoReplyRule rule, Predicate<BudgetedText> test) {

    static Optional<Keyword> of(AutoReplyRule rule) {
      String keyword = asciiLowerCase(rule.keyword());
      return switch (rule.match()) {
        case EXACT -> Optional.of(new Keyword(rule, text -> asciiLowerCase(text.toString().strip()).equals(keyword)));
        case CONTAINS -> Optional.of(new Keyword(rule, text -> asciiLowerCase(text.toString()).contains(keyword)));
        case REGEX -> compiled(rule.keyword()).map(pattern -> new Keyword(rule, budgeted(rule, pattern)));
        default -> Optional.empty();
      };
    }

    boolean matches(BudgetedText text) {
      return test.test(text);
    }

    private static Predicate<BudgetedText> budgeted(AutoReplyRule rule, Pattern pattern) {
      AtomicBoolean warned = new AtomicBoolean();
      return text -> {
        try {
          return pattern.matcher(text).find();
        } catch (BudgetedText.Exhausted | StackOverflowError e) {
          // java.util.regex recurses once per repetition of a group: a long message can exhaust the stack.
          if (warned.compareAndSet(false, true)) {
            log.warn("regex auto-reply {} of account {} gave up ({}); treated as no match", rule.id(), rule.accountId(),
              e instanceof StackOverflowError ? "stack exhausted" : REGEX_STEP_BUDGET + " steps");
          }
          return false;
        }
      };
    }

    private static Optional<Pattern> compiled(String regex) {
      try {
        return Optional.of(Pattern.compile(regex));
      } catch (PatternSyntaxException e) {
        return Optional.empty(); // checked when saved; skipped rather than failing every message
      }
    }
  }

  /** Keywords match Latin letters in any case ("WiFi" = "wifi"), and leave every other character as it is. */
  static String asciiLowerCase(String text) {
    StringBuilder lower = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        if (lower == null) {
          lower = new StringBuilder(text);
        }
        lower.setCharAt(i, (char) (c + ('a' - 'A')));
      }
    }
    return lower == null ? text : lower.toString();
  }

  /** The text regexes run over, counting every character the engine reads, across all rules of one message. */
  private static final class BudgetedText implements CharSequence {

    static final class Exhausted extends RuntimeException {
      Exhausted() {
        super(null, null, false, false);
      }
    }

    private final String text;
    private int steps;

    BudgetedText(String text) {
      this.text = text;
    }

    @Override
    public char charAt(int index) {
      if (++steps > REGEX_STEP_BUDGET) {
        throw new Exhausted();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /**
   * Why a keyword regex is refused, in Chinese for the editor, or null when it is accepted: it must compile, be
   * at most {@link #REGEX_MAX_LENGTH} characters, have no back-references, and repeat no group that itself holds
   * an unbounded repetition, such as {@code (a+)+} — the shape behind most catastrophic backtracking. What this
   * heuristic misses, the step budget stops at match time.
   */
  static String regexProblem(String regex) {
    if (regex.length() > REGEX_MAX_LENGTH) {
      return "正则表达式不能超过 " + REGEX_MAX_LENGTH + " 个字符";
    }
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      return "正则表达式语法错误：" + e.getDescription() + "（位置 " + e.getIndex() + "）";
    }
    return new RegexShape(regex).problem();
  }

  /** One pass over a pattern that compiled, tracking for each open group whether it repeats without bound. */
  private static final class RegexShape {

    private static final int NONE = 0;
    private static final int BOUNDED = 1;
    private static final int UNBOUNDED = 2;
    /** A bounded repetition above this many is as bad as an unbounded one. */
    private static final int SMALL = 10;

    private final String regex;
    private final Deque<boolean[]> groups = new ArrayDeque<>();
    private int i;

    RegexShape(String regex) {
      this.regex = regex;
      groups.push(new boolean[1]);
    }

    String problem() {
      try {
        return walk();
      } catch (RuntimeException e) {
        return "正则表达式过于复杂，请改写";
      }
    }

    private String walk() {
      while (i < regex.length()) {
        char c = regex.charAt(i);
        if (c == '\\' && isBackReference()) {
          return "正则表达式不支持反向引用（如 \\1）";
        }
        if (c == '(') {
          groups.push(new boolean[1]);
          i++;
          continue;
        }
        if (c == ')' && groups.size() > 1) {
          i++;
          boolean innerUnbounded = groups.pop()[0];
          int repeat = quantifier();
          if (innerUnbounded && repeat != NONE) {
            return "正则表达式含有嵌套的重复（如 (a+)+），可能导致匹配极慢，请改写";
          }
          groups.peek()[0] |= innerUnbounded || repeat == UNBOUNDED;
          continue;
        }
        skipAtom(c);
        groups.peek()[0] |= quantifier() == UNBOUNDED;
      }
      return null;
    }

    private void skipAtom(char c) {
      if (c == '\\' && regex.startsWith("\\Q", i)) {
        int end = regex.indexOf("\\E", i + 2);
        i = end < 0 ? regex.length() : end + 2;
      } else if (c == '\\') {
        i += 2;
      } else if (c == '[') {
        skipClass();
      } else {
        i++;
      }
    }

    /** Reads the quantifier at the cursor, if any, with its lazy or possessive mark, and tells how far it repeats. */
    private int quantifier() {
      if (i >= regex.length()) {
        return NONE;
      }
      char c = regex.charAt(i);
      int reach;
      if (c == '*' || c == '+') {
        reach = UNBOUNDED;
        i++;
      } else if (c == '?') {
        reach = NONE;
        i++;
      } else if (c == '{') {
        int close = regex.indexOf('}', i);
        String[] bounds = regex.substring(i + 1, close).split(",", -1);
        String upper = bounds[bounds.length - 1].strip();
        long max = upper.isEmpty() ? Long.MAX_VALUE : Long.parseLong(upper);
        reach = max < 2 ? NONE : max <= SMALL ? BOUNDED : UNBOUNDED;
        i = close + 1;
      } else {
        return NONE;
      }
      if (i < regex.length() && (regex.charAt(i) == '?' || regex.charAt(i) == '+')) {
        i++;
      }
      return reach;
    }

    private boolean isBackReference() {
      char next = i + 1 < regex.length() ? regex.charAt(i + 1) : ' ';
      return next >= '1' && next <= '9' || next == 'k';
    }

    /** Skips a character class, nested ones included; a ']' right after '[' or '[^' is a literal. */
    private void skipClass() {
      int depth = 0;
      do {
        char c = regex.charAt(i);
        if (c == '\\') {
          i++;
        } else if (c == '[') {
          depth++;
        } else if (c == ']' && regex.charAt(i - 1) != '[' && !regex.startsWith("[^]", i - 2)) {
          depth--;
        }
        i++;
      } while (depth > 0);
    }
  }
}
