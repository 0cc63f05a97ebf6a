package io.govmedia.wechat;

import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import org.bson.Document;

import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;

/**
 * The inbox's side of the hand-off of citizen messages: the callback publishes each stored message's id on
 * {@link #ADDRESS} (on the receiving instance only), the message keeps {@code inbox.status = "pending"} until the
 * inbox made it a case, and a sweep finds what an instance that died never handed over.
 */
public final class InboxHandOff {

  /** Event-bus address: JSON {@code {channel: "wechat_mp", accountId, messageId}}. */
  public static final String ADDRESS = CallbackIntake.INBOX_ADDRESS;
  private static final Pattern MEDIA_ID = Pattern.compile("<MediaId><!\\[CDATA\\[([^\\]]{1,256})]]></MediaId>");

  /**
   * A citizen's message as stored: {@code mediaId} for images, voice and video (read from the stored XML).
   *
   * @param content what a person would read (text, a voice's recognition, a link's title), or null
   */
  public record Message(String id, String accountId, String openid, String msgType, String content, String mediaId,
                        Instant receivedAt, String status) {

    public boolean pending() {
      return "pending".equals(status);
    }
  }

  private final MongoCollection<Document> messages;

  InboxHandOff(MongoDatabase db) {
    this.messages = db.getCollection(MessageStore.COLLECTION);
  }

  public Future<Message> message(String id) {
    return Mongo.first(messages.find(eq("_id", id))).map(d -> d == null ? null : from(d));
  }

  /**
   * Citizen messages still pending that arrived before {@code before}, at most {@code limit}. The embedded store
   * scans {@code wechat_messages} for this (it ignores non-unique indexes); a real MongoDB uses the sparse index on
   * {@code inbox.status}. It runs once a minute per instance, so the scan is paid once a minute.
   */
  public Future<List<Message>> pendingBefore(Instant before, int limit) {
    return Mongo.all(messages.find(and(eq("inbox.status", "pending"), lt("receivedAt", Times.date(before))))
      .limit(limit)).map(docs -> docs.stream().map(InboxHandOff::from).toList());
  }

  /** Marks the message as made into (or joined to) the case; by {@code _id} alone. */
  public Future<Void> handedOver(String id, String caseId) {
    return Mongo.first(messages.updateOne(eq("_id", id), Updates.combine(Updates.set("inbox.status", "case"),
      Updates.set("inbox.caseId", caseId)))).mapEmpty();
  }

  private static Message from(Document d) {
    Document inbox = d.get("inbox", Document.class);
    String raw = d.getString("raw");
    Matcher media = raw == null ? null : MEDIA_ID.matcher(raw);
    return new Message(d.getString("_id"), d.getString("accountId"), d.getString("fromUser"), d.getString("msgType"),
      d.getString("content"), media != null && media.find() ? media.group(1) : null,
      Times.instant(d.getDate("receivedAt")), inbox == null ? null : inbox.getString("status"));
  }
}
