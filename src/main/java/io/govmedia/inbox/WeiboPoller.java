package io.govmedia.inbox;

import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountStore;
import io.govmedia.accounts.AccountType;
import io.govmedia.weibo.WeiboClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Comments to the account's statuses ({@code comments/to_me}) or statuses mentioning it ({@code statuses/mentions}),
 * since the cursor's id, oldest first, each handed to the intake; the account's own comments are skipped. The cursor
 * moves past each message once the intake has it, so a failure part-way loses nothing and repeats nothing (the
 * intake is idempotent on the source id besides). The first poll of an account reads back {@code commentDays}.
 */
final class WeiboPoller implements AccountPoller {

  /** What one poll reads at most: pages of 100, five of them; the rest comes next round. */
  static final int PAGE = 100;
  static final int PAGES = 5;

  enum Feed { COMMENTS, MENTIONS }

  private final Feed feed;
  private final WeiboClient weibo;
  private final AccountStore accounts;
  private final PollerCursors cursors;
  private final CaseIntake intake;
  private final Duration firstLookBack;
  private final Clock clock;

  WeiboPoller(Feed feed, WeiboClient weibo, AccountStore accounts, PollerCursors cursors, CaseIntake intake,
              Duration firstLookBack, Clock clock) {
    this.feed = feed;
    this.weibo = weibo;
    this.accounts = accounts;
    this.cursors = cursors;
    this.intake = intake;
    this.firstLookBack = firstLookBack;
    this.clock = clock;
  }

  @Override
  public String kind() {
    return feed == Feed.COMMENTS ? "weibo_comments" : "weibo_mentions";
  }

  @Override
  public AccountType type() {
    return AccountType.WEIBO;
  }

  @Override
  public Future<Integer> poll(Account account) {
    String token = accounts.secret(account, "accessToken");
    if (token == null) {
      return Future.succeededFuture(0);  // not authorized yet
    }
    String cursorId = PollerCursors.id(account.id(), kind());
    return cursors.read(cursorId).compose(state -> {
      String since = state.getString("sinceId");
      return fetch(token, since, 1, new ArrayList<>()).compose(found -> handOver(account, cursorId, since, found));
    });
  }

  /** Newest first, page after page while pages are full. */
  private Future<List<WeiboClient.Message>> fetch(String token, String since, int page, List<WeiboClient.Message> found) {
    Future<List<WeiboClient.Message>> one = feed == Feed.COMMENTS
      ? weibo.commentsToMe(token, since, PAGE, page) : weibo.mentions(token, since, PAGE, page);
    return one.compose(messages -> {
      found.addAll(messages);
      return messages.size() == PAGE && page < PAGES ? fetch(token, since, page + 1, found)
        : Future.succeededFuture(found);
    });
  }

  private Future<Integer> handOver(Account account, String cursorId, String since, List<WeiboClient.Message> found) {
    Instant lookBack = clock.instant().minus(firstLookBack);
    List<WeiboClient.Message> fresh = found.stream()
      .filter(m -> since == null ? !m.createdAt().isBefore(lookBack) : newer(m.id(), since))
      .sorted(Comparator.comparing((WeiboClient.Message m) -> m.id().length()).thenComparing(WeiboClient.Message::id))
      .distinct().toList();
    AtomicReference<String> reached = new AtomicReference<>(since);
    int[] handed = {0};
    Future<Void> chain = Future.succeededFuture();
    for (WeiboClient.Message message : fresh) {
      chain = chain.compose(v -> {
        if (message.uid().equals(account.uid())) {
          reached.set(message.id());  // our own comment: nothing to take in
          return Future.succeededFuture();
        }
        return intake.accept(incoming(account, message)).map(accepted -> {
          reached.set(message.id());
          handed[0]++;
          return null;
        });
      });
    }
    String newest = found.stream().map(WeiboClient.Message::id).filter(id -> since == null || newer(id, since))
      .max(Comparator.comparing(String::length).thenComparing(Comparator.naturalOrder())).orElse(since);
    return chain.transform(done -> {
      // all handed over: past the newest seen (older ones outside the first look-back included); else past the last good
      String cursor = done.succeeded() ? newest : reached.get();
      Future<Void> saved = cursor == null || cursor.equals(since) ? Future.succeededFuture()
        : cursors.write(cursorId, new JsonObject().put("sinceId", cursor));
      return saved.compose(v -> done.succeeded() ? Future.succeededFuture(handed[0]) : Future.failedFuture(done.cause()));
    });
  }

  private Incoming incoming(Account account, WeiboClient.Message message) {
    boolean comment = feed == Feed.COMMENTS;
    JsonObject target = new JsonObject().put("statusId", message.statusId());
    if (comment) {
      target.put("commentId", message.id());
    }
    return new Incoming(Channel.WEIBO, account.id(), new Citizen(null, null, message.uid(), message.nickname()),
      message.text(), List.of(), message.createdAt(),
      account.id() + (comment ? ":weibo-comment:" : ":weibo-mention:") + message.id(), target);
  }

  /** Weibo ids are decimal numbers of up to 19 digits: longer is newer, then by digits. */
  static boolean newer(String id, String than) {
    return id.length() != than.length() ? id.length() > than.length() : id.compareTo(than) > 0;
  }
}
