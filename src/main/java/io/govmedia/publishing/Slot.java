package io.govmedia.publishing;

import io.govmedia.platform.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One post on one channel account at one time. {@code at} is the editor's time; {@code dueAt} when the scheduler
 * takes it next (later than {@code at} after a retryable failure's backoff). {@code seq} counts writes: every write
 * is guarded by a claim named {@code id:seq} ({@link SlotStore}). {@code state} holds the channel's ids; its
 * {@code sending: true} says the call that publishes may have gone out.
 */
record Slot(String id, String postId, long postVersion, String postTitle, String departmentId, String channel,
            String accountId, String mode, Instant at, Instant dueAt, SlotStatus status, long seq, int attempt,
            Instant startedAt, String clientMsgId, String rip, String createdBy, String idempotencyKey,
            JsonObject state, JsonObject result, JsonObject error, Instant nextCheckAt, String quotaPeriod,
            List<History> history, Instant createdAt) {

  /** One move, for the editor: who (a staff username or {@code system}), from what to what, and why. */
  record History(Instant at, String actor, String from, String to, String note) {

    Document toDocument() {
      return new Document("at", Times.date(at)).append("actor", actor).append("from", from).append("to", to)
        .append("note", note);
    }

    static History from(Document d) {
      return new History(Times.instant(d.getDate("at")), d.getString("actor"), d.getString("from"), d.getString("to"),
        d.getString("note"));
    }

    JsonObject toJson() {
      return new JsonObject().put("at", Times.show(at)).put("actor", actor).put("from", from).put("to", to)
        .put("note", note);
    }
  }

  /** When it went out: as the publisher recorded it, else its move to published, else the editor's time. */
  Instant publishedAt() {
    String recorded = result == null ? null : result.getString("publishedAt");
    if (recorded != null) {
      return java.time.OffsetDateTime.parse(recorded).toInstant();
    }
    return history.stream().filter(h -> "published".equals(h.to())).map(History::at).reduce((a, b) -> b).orElse(at);
  }

  boolean sending() {
    return state.getBoolean("sending", false);
  }

  /** The slot moved to {@code to} by {@code actor}, with the move in its history. */
  Slot moved(SlotStatus to, String actor, String note, Instant now) {
    List<History> more = new ArrayList<>(history);
    more.add(new History(now, actor, status.wire(), to.wire(), note));
    return new Slot(id, postId, postVersion, postTitle, departmentId, channel, accountId, mode, at, dueAt, to, seq,
      attempt, startedAt, clientMsgId, rip, createdBy, idempotencyKey, state, result, error, nextCheckAt, quotaPeriod,
      List.copyOf(more), createdAt);
  }

  Slot withAt(Instant newAt) {
    return new Slot(id, postId, postVersion, postTitle, departmentId, channel, accountId, mode, newAt, newAt, status,
      seq, attempt, startedAt, clientMsgId, rip, createdBy, idempotencyKey, state, result, error, nextCheckAt,
      quotaPeriod, history, createdAt);
  }

  Slot withDueAt(Instant newDueAt) {
    return new Slot(id, postId, postVersion, postTitle, departmentId, channel, accountId, mode, at, newDueAt, status,
      seq, attempt, startedAt, clientMsgId, rip, createdBy, idempotencyKey, state, result, error, nextCheckAt,
      quotaPeriod, history, createdAt);
  }

  /** A new attempt starts: nothing of it has gone out yet. */
  Slot started(Instant now) {
    JsonObject fresh = state.copy();
    fresh.remove("sending");
    return new Slot(id, postId, postVersion, postTitle, departmentId, channel, accountId, mode, at, dueAt, status, seq,
      attempt + 1, now, clientMsgId, rip, createdBy, idempotencyKey, fresh, result, null, null, quotaPeriod, history,
      createdAt);
  }

  Slot withState(JsonObject more) {
    return new Slot(id, postId, postVersion, postTitle, departmentId, channel, accountId, mode, at, dueAt, status, seq,
      attempt, startedAt, clientMsgId, rip, createdBy, idempotencyKey, more == null ? state : state.copy().mergeIn(more),
      result, error, nextCheckAt, quotaPeriod, history, createdAt);
  }

  /** Told by an editor that nothing went out: the next attempt starts clean. */
  Slot withoutSending() {
    JsonObject fresh = state.copy();
    fresh.remove("sending");
    return new Slot(id, postId, postVersion, postTitle, departmentId, channel, accountId, mode, at, dueAt, status, seq,
      attempt, startedAt, clientMsgId, rip, createdBy, idempotencyKey, fresh, result, error, nextCheckAt, quotaPeriod,
      history, createdAt);
  }

  Slot withResult(JsonObject newResult) {
    return new Slot(id, postId, postVersion, postTitle, departmentId, channel, accountId, mode, at, dueAt, status, seq,
      attempt, startedAt, clientMsgId, rip, createdBy, idempotencyKey, state, newResult, null, null, quotaPeriod,
      history, createdAt);
  }

  Slot withError(JsonObject newError) {
    return new Slot(id, postId, postVersion, postTitle, departmentId, channel, accountId, mode, at, dueAt, status, seq,
      attempt, startedAt, clientMsgId, rip, createdBy, idempotencyKey, state, result, newError, nextCheckAt,
      quotaPeriod, history, createdAt);
  }

  Slot withNextCheckAt(Instant when) {
    return new Slot(id, postId, postVersion, postTitle, departmentId, channel, accountId, mode, at, dueAt, status, seq,
      attempt, startedAt, clientMsgId, rip, createdBy, idempotencyKey, state, result, error, when, quotaPeriod,
      history, createdAt);
  }

  Slot withQuotaPeriod(String period) {
    return new Slot(id, postId, postVersion, postTitle, departmentId, channel, accountId, mode, at, dueAt, status, seq,
      attempt, startedAt, clientMsgId, rip, createdBy, idempotencyKey, state, result, error, nextCheckAt, period,
      history, createdAt);
  }

  Slot withSeq(long newSeq) {
    return new Slot(id, postId, postVersion, postTitle, departmentId, channel, accountId, mode, at, dueAt, status,
      newSeq, attempt, startedAt, clientMsgId, rip, createdBy, idempotencyKey, state, result, error, nextCheckAt,
      quotaPeriod, history, createdAt);
  }

  static JsonObject error(String code, String message) {
    return new JsonObject().put("code", code).put("message", message);
  }

  Document toDocument() {
    return new Document("_id", id).append("postId", postId).append("postVersion", postVersion)
      .append("postTitle", postTitle).append("departmentId", departmentId).append("channel", channel)
      .append("accountId", accountId).append("mode", mode).append("at", Times.date(at))
      .append("dueAt", Times.date(dueAt)).append("status", status.wire()).append("seq", seq)
      .append("attempt", attempt).append("startedAt", Times.date(startedAt)).append("clientMsgId", clientMsgId)
      .append("rip", rip).append("createdBy", createdBy).append("idempotencyKey", idempotencyKey)
      .append("state", Document.parse(state.encode()))
      .append("result", result == null ? null : Document.parse(result.encode()))
      .append("error", error == null ? null : Document.parse(error.encode()))
      .append("nextCheckAt", Times.date(nextCheckAt)).append("quotaPeriod", quotaPeriod)
      .append("history", history.stream().map(History::toDocument).toList())
      .append("createdAt", Times.date(createdAt));
  }

  static Slot from(Document d) {
    return new Slot(d.getString("_id"), d.getString("postId"), ((Number) d.get("postVersion")).longValue(),
      d.getString("postTitle"), d.getString("departmentId"), d.getString("channel"), d.getString("accountId"),
      d.getString("mode"), Times.instant(d.getDate("at")), Times.instant(d.getDate("dueAt")),
      SlotStatus.parse(d.getString("status")), ((Number) d.get("seq")).longValue(), d.getInteger("attempt", 0),
      Times.instant(d.getDate("startedAt")), d.getString("clientMsgId"), d.getString("rip"), d.getString("createdBy"),
      d.getString("idempotencyKey"), json(d.get("state", Document.class)), nullableJson(d.get("result", Document.class)),
      nullableJson(d.get("error", Document.class)), Times.instant(d.getDate("nextCheckAt")), d.getString("quotaPeriod"),
      d.getList("history", Document.class, List.of()).stream().map(History::from).toList(),
      Times.instant(d.getDate("createdAt")));
  }

  private static JsonObject json(Document d) {
    return d == null ? new JsonObject() : new JsonObject(d.toJson());
  }

  private static JsonObject nullableJson(Document d) {
    return d == null ? null : json(d);
  }

  /**
   * What editors see; the channel's ids are shown, never anything sealed (there is none on a slot). {@code version}
   * is {@code seq}: a reschedule sent with it in If-Match is refused if the slot moved meanwhile.
   */
  JsonObject toJson(boolean held) {
    JsonArray moves = new JsonArray();
    history.forEach(h -> moves.add(h.toJson()));
    return new JsonObject().put("id", id).put("version", seq).put("postId", postId).put("postVersion", postVersion)
      .put("postTitle", postTitle).put("departmentId", departmentId).put("channel", channel)
      .put("accountId", accountId).put("mode", mode).put("status", status.wire()).put("at", Times.show(at))
      .put("dueAt", Times.show(dueAt)).put("held", held && status == SlotStatus.SCHEDULED).put("attempt", attempt)
      .put("clientMsgId", clientMsgId).put("state", state.copy()).put("result", result).put("error", error)
      .put("nextCheckAt", Times.show(nextCheckAt)).put("createdBy", createdBy).put("createdAt", Times.show(createdAt))
      .put("history", moves);
  }
}
