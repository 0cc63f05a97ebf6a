package io.govmedia.wechat;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.GroupInsert;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Page;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.List;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Sorts.descending;

/**
 * Every message and event pushed to an official account, stored with all its raw fields before it is
 * answered. {@code dedupId} (account + WeChat's dedup identity) is unique, so a delivery stored twice is
 * impossible even if Redis forgot the dedup key. Citizen messages carry {@code inbox.status = "pending"}:
 * the stored half of the hand-off to the inbox.
 */
public final class MessageStore {

  public static final String COLLECTION = "wechat_messages";

  private final MongoCollection<Document> messages;
  private final GroupInsert inserts;

  public MessageStore(MongoDatabase db) {
    this.messages = db.getCollection(COLLECTION);
    this.inserts = new GroupInsert(messages, 500, 2);
  }

  public Future<Void> createIndexes() {
    return Mongo.first(messages.createIndex(Indexes.ascending("dedupId"), new IndexOptions().unique(true))).mapEmpty();
  }

  /** A stored message as the staff API shows it. */
  public record Stored(String id, String accountId, Long msgId, String msgType, String event, String eventKey,
                       String fromUser, String content, Instant receivedAt, boolean citizenMessage) {

    static Stored from(Document d) {
      return new Stored(d.getString("_id"), d.getString("accountId"), d.getLong("msgId"), d.getString("msgType"),
        d.getString("event"), d.getString("eventKey"), d.getString("fromUser"), d.getString("content"),
        Times.instant(d.getDate("receivedAt")), d.getBoolean("citizenMessage", false));
    }

    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("accountId", accountId).put("msgId", msgId).put("msgType", msgType)
        .put("event", event).put("eventKey", eventKey).put("fromUser", fromUser).put("content", content)
        .put("receivedAt", Times.show(receivedAt)).put("citizenMessage", citizenMessage);
    }
  }

  /** The document for one delivery; {@code reply} is the reply XML we answered (null for "success"). */
  static Document record(String accountId, InboundMessage message, boolean citizenMessage, String reply,
                         Instant receivedAt) {
    Document doc = new Document("_id", Ids.newId())
      .append("dedupId", accountId + ":" + message.dedupKey())
      .append("accountId", accountId)
      .append("msgId", message.msgId())
      .append("msgType", message.msgType())
      .append("event", message.event())
      .append("eventKey", message.eventKey())
      .append("fromUser", message.fromUser())
      .append("toUser", message.toUser())
      .append("createTime", message.createTime())
      .append("content", message.content())
      .append("receivedAt", Times.date(receivedAt))
      .append("citizenMessage", citizenMessage)
      .append("reply", reply)
      .append("raw", message.raw());
    if (citizenMessage) {
      doc.append("inbox", new Document("status", "pending"));
    }
    return doc;
  }

  /**
   * Stores the delivery; true when it was stored now, false when it already was. A duplicate key on anything
   * but the dedup identity is a real failure, so a duplicate is confirmed by looking the delivery up.
   */
  Future<Boolean> insert(Document record) {
    return inserts.insert(record).compose(outcome -> outcome == GroupInsert.Outcome.INSERTED
      ? Future.succeededFuture(true)
      : Mongo.first(messages.find(eq("dedupId", record.getString("dedupId"))).limit(1)).compose(found -> found != null
        ? Future.succeededFuture(false)
        : Future.failedFuture(new IllegalStateException("duplicate key on an index other than dedupId"))));
  }

  Future<List<Stored>> list(String accountId, Page page) {
    Bson filter = eq("accountId", accountId);
    if (page.cursor() != null) {
      filter = and(filter, lt("_id", page.cursor()));
    }
    return Mongo.all(messages.find(filter).sort(descending("_id")).limit(page.limit() + 1))
      .map(docs -> docs.stream().map(Stored::from).toList());
  }
}
