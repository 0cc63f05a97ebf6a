package io.govmedia.inbox;

import com.mongodb.client.model.Projections;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountType;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Times;
import io.govmedia.wechat.WeChatGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import me.chanjar.weixin.mp.bean.comment.WxMpCommentListVo;
import org.bson.Document;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;

/**
 * Comments (留言) on the account's articles mass-sent in the last {@code commentDays}: WeChat's comment API names an
 * article by the mass send's {@code msg_data_id} and its index in the message (ours send one article: index 0).
 * Free-published articles (发布) have no msg_data_id and are not read. Each comment newer than the article's cursor
 * and not yet answered (a reply by us or in WeChat's console is attached to it) goes to the intake, oldest first.
 */
final class ArticleCommentPoller implements AccountPoller {

  static final int PAGE = 50;
  /** A comment list with more than this is read from its newest cursor on in later rounds. */
  static final int MOST_PAGES = 10;
  private static final int ALL_COMMENTS = 0;

  private final WeChatGateway wechat;
  private final MongoCollection<Document> slots;
  private final PollerCursors cursors;
  private final CaseIntake intake;
  private final Duration lookBack;
  private final Clock clock;

  ArticleCommentPoller(WeChatGateway wechat, MongoDatabase db, PollerCursors cursors, CaseIntake intake,
                       Duration lookBack, Clock clock) {
    this.wechat = wechat;
    // publishing's slots, read only: their state keeps the msg_data_id of each mass send
    this.slots = db.getCollection("slots");
    this.cursors = cursors;
    this.intake = intake;
    this.lookBack = lookBack;
    this.clock = clock;
  }

  @Override
  public String kind() {
    return "wechat_comments";
  }

  @Override
  public AccountType type() {
    return AccountType.WECHAT_MP;
  }

  @Override
  public Future<Integer> poll(Account account) {
    String cursorId = PollerCursors.id(account.id(), kind());
    return Future.all(massSent(account), cursors.read(cursorId)).compose(both -> {
      List<String> articles = both.resultAt(0);
      JsonObject seen = both.<JsonObject>resultAt(1).getJsonObject("articles", new JsonObject());
      Future<Integer> chain = Future.succeededFuture(0);
      for (String msgDataId : articles) {
        chain = chain.compose(total -> {
          JsonObject before = seen.copy();
          return article(account, msgDataId, seen)
            .eventually(() -> seen.equals(before) ? Future.succeededFuture()
              : cursors.write(cursorId, new JsonObject().put("articles", seen)))
            .map(count -> total + count);
        });
      }
      return chain;
    });
  }

  /** The msg_data_ids of the account's mass sends in the look-back window. */
  private Future<List<String>> massSent(Account account) {
    Instant since = clock.instant().minus(lookBack);
    return Mongo.all(slots.find(and(eq("accountId", account.id()), eq("status", "published"), gte("at", Times.date(since))))
        .projection(Projections.include("state.msgDataId")))
      .map(found -> found.stream().map(d -> d.get("state", new Document()).get("msgDataId"))
        .filter(id -> id != null).map(Object::toString).distinct().toList());
  }

  /** One article's new comments, handed over oldest first; {@code seen} moves past each one handed over. */
  private Future<Integer> article(Account account, String msgDataId, JsonObject seen) {
    String key = msgDataId + "/0";
    long last = seen.getLong(key, 0L);
    return comments(account, msgDataId, 0, new ArrayList<>()).compose(all -> {
      List<WxMpCommentListVo.WxMpComment> fresh = all.stream()
        .filter(c -> c.getUserCommentId() != null && c.getUserCommentId() > last)
        .sorted(Comparator.comparing(WxMpCommentListVo.WxMpComment::getUserCommentId)).toList();
      int[] handed = {0};
      Future<Void> chain = Future.succeededFuture();
      for (WxMpCommentListVo.WxMpComment comment : fresh) {
        chain = chain.compose(v -> takeIn(account, msgDataId, comment, handed)).map(v -> {
          seen.put(key, comment.getUserCommentId().longValue());
          return null;
        });
      }
      return chain.map(v -> handed[0]);
    });
  }

  private Future<List<WxMpCommentListVo.WxMpComment>> comments(Account account, String msgDataId, int page,
                                                                List<WxMpCommentListVo.WxMpComment> found) {
    return wechat.call(account, wx -> wx.getCommentService().list(msgDataId, 0, page * PAGE, PAGE, ALL_COMMENTS))
      .compose(list -> {
        List<WxMpCommentListVo.WxMpComment> some = list.getComment() == null ? List.of() : list.getComment();
        found.addAll(some);
        return some.size() == PAGE && page + 1 < MOST_PAGES ? comments(account, msgDataId, page + 1, found)
          : Future.succeededFuture(found);
      });
  }

  private Future<Void> takeIn(Account account, String msgDataId, WxMpCommentListVo.WxMpComment comment, int[] handed) {
    if (answered(comment)) {
      return Future.succeededFuture();
    }
    return intake.accept(incoming(account, msgDataId, comment)).map(accepted -> {
      handed[0]++;
      return null;
    });
  }

  /** Answered already, by us or by someone in WeChat's console: nothing to take in. */
  private static boolean answered(WxMpCommentListVo.WxMpComment comment) {
    return comment.getReply() != null && comment.getReply().getContent() != null;
  }

  private static Incoming incoming(Account account, String msgDataId, WxMpCommentListVo.WxMpComment comment) {
    Instant at;
    try {
      at = Instant.ofEpochSecond(Long.parseLong(comment.getCreateTime()));
    } catch (NumberFormatException | NullPointerException e) {
      at = null;  // the intake takes its own time of receipt
    }
    return new Incoming(Channel.WECHAT_COMMENT, account.id(), new Citizen(comment.getOpenid(), null, null, null),
      comment.getContent(), List.of(), at,
      account.id() + ":article-comment:" + msgDataId + ":0:" + comment.getUserCommentId(),
      new JsonObject().put("msgDataId", msgDataId).put("index", 0).put("userCommentId", comment.getUserCommentId()));
  }
}
