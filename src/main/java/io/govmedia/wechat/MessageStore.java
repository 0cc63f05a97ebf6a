package io.govmedia.wechat;

import com.mongodb.client.model.Indexes;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.GroupInsert;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Page;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;
import static com.mongodb.client.model.Sorts.descending;

/**
 * Every message and event pushed to an official account, stored as WeChat sent it before it is answered.
 * The document id is the account plus WeChat's dedup identity, so a delivery stored twice is impossible
 * even if Redis forgot the dedup key, and the embedded store keeps one unique index, not two (its index
 * lookups cost more than the insert itself). Citizen messages carry {@code inbox.status = "pending"}: the
 * stored half of the hand-off to the inbox.
 */
final class MessageStore {

  public static final String COLLECTION = "wechat_messages";
  private static final Pattern CURSOR = Pattern.compile("[A-Za-z0-9_-]{4,2000}");

  private final MongoCollection<Document> messages;
  private final GroupInsert inserts;

  public MessageStore(MongoDatabase db) {
    this.messages = db.getCollection(COLLECTION);
    this.inserts = new GroupInsert(messages, 500, 2);
  }

  /**
   * Real MongoDB uses these for the staff list and the inbox's sweep of pending messages (sparse: only citizen
   * messages have {@code inbox}); the embedded store scans (it ignores non-unique indexes).
   */
  public Future<Void> createIndexes() {
    return Future.all(
      Mongo.speedUp("wechat messages", messages.createIndex(Indexes.compoundIndex(Indexes.ascending("accountId"),
        Indexes.descending("receivedAt"), Indexes.descending("_id")))),
      Mongo.speedUp("wechat messages", messages.createIndex(Indexes.ascending("inbox.status"),
        new com.mongodb.client.model.IndexOptions().sparse(true)))).mapEmpty();
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
      // msgId as a string: WeChat's 64-bit ids lose digits as JavaScript numbers.
      return new JsonObject().put("id", id).put("accountId", accountId).put("msgId", msgId == null ? null
          : String.valueOf(msgId)).put("msgType", msgType)
        .put("event", event).put("eventKey", eventKey).put("fromUser", fromUser).put("content", content)
        .put("receivedAt", Times.show(receivedAt)).put("citizenMessage", citizenMessage);
    }

    /** Newest first: the cursor is the last item's time and id. */
    String cursor() {
      return Base64.getUrlEncoder().withoutPadding().encodeToString((receivedAt.toEpochMilli() + "|" + id)
        .getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * The document for one delivery: the fields the staff list and the inbox query, and {@code raw}, the XML as
   * WeChat sent it. PUBLISHJOBFINISH also keeps its {@code PublishEventInfo} as a document for publishing.
   */
  static Document record(String accountId, InboundMessage message, boolean citizenMessage, boolean replied,
                         Instant receivedAt) {
    Document doc = new Document("_id", accountId + ":" + message.dedupKey())
      .append("accountId", accountId)
      .append("msgType", message.msgType())
      .append("fromUser", message.fromUser())
      .append("createTime", message.createTime())
      .append("receivedAt", Times.date(receivedAt))
      .append("citizenMessage", citizenMessage)
      .append("replied", replied)
      .append("raw", message.xml());
    if (message.msgId() != null) {
      doc.append("msgId", message.msgId());
    }
    if (message.content() != null) {
      doc.append("content", message.content());
    }
    if (message.isEvent()) {
      doc.append("event", message.event()).append("eventKey", message.eventKey());
      if (message.fields().get("PublishEventInfo") instanceof Document info) {
        doc.append("publishEventInfo", info);
      }
    }
    if (citizenMessage) {
      doc.append("inbox", new Document("status", "pending"));
    }
    return doc;
  }

  /**
   * Stores the delivery; true when it was stored now, false when it already was. A duplicate key on anything
   * but the id would be a real failure, so a duplicate is confirmed by looking the delivery up.
   */
  Future<Boolean> insert(Document record) {
    return inserts.insert(record).compose(outcome -> outcome == GroupInsert.Outcome.INSERTED
      ? Future.succeededFuture(true)
      : Mongo.first(messages.find(eq("_id", record.getString("_id"))).limit(1)).compose(found -> found != null
        ? Future.succeededFuture(false)
        : Future.failedFuture(new IllegalStateException("duplicate key on an index other than _id"))));
  }

  /** Only cursors this store handed out: {@code base64url(millis + "|" + id)}. */
  static boolean validCursor(String cursor) {
    if (!CURSOR.matcher(cursor).matches()) {
      return false;
    }
    try {
      String[] parts = decode(cursor);
      return parts.length == 2 && parts[0].matches("\\d{1,15}") && !parts[1].isEmpty();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String[] decode(String cursor) {
    return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
  }

  Future<List<Stored>> list(String accountId, Page page) {
    Bson filter = eq("accountId", accountId);
    if (page.cursor() != null) {
      String[] parts = decode(page.cursor());
      Date at = new Date(Long.parseLong(parts[0]));
      filter = and(filter, or(lt("receivedAt", at), and(eq("receivedAt", at), lt("_id", parts[1]))));
    }
    return Mongo.all(messages.find(filter).sort(descending("receivedAt", "_id")).limit(page.limit() + 1))
      .map(docs -> docs.stream().map(Stored::from).toList());
  }
}
