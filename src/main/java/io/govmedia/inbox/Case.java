package io.govmedia.inbox;

import io.govmedia.platform.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One citizen case (工单) as stored in {@code cases}: where it came from and who wrote (contact details sealed), what
 * they asked, where it stands in the closed loop, its deadline, and its full history. {@code version} is the guarded
 * write's sequence ({@link CaseStore}). Changes are made with {@link #change}, so that a new field is added in one
 * place ({@link Edit}) and not at every call site.
 *
 * @param sealedContact the contact details a staff member entered (name, phone…), sealed; never logged or listed
 * @param replies       filled by the replies part (each a document with its delivery)
 * @param rating        filled by the rating part
 * @param pausedFrom    the status a paused case returns to on resume
 */
public record Case(String id, String number, Channel channel, String accountId, Citizen citizen, String sealedContact,
                   Category category, Urgency urgency, CaseStatus status, String title, String content,
                   List<String> attachments, List<Message> messages, String region, boolean consent,
                   String departmentId, String assigneeId, Deadline deadline, Set<String> flags, int transfers,
                   int returns, List<Part> parts, List<Step> history, List<Document> replies, Document rating,
                   List<Delivery> acknowledgements, JsonObject replyTarget, String sourceId, Instant receivedAt,
                   Instant lastMessageAt, CaseStatus pausedFrom, Instant createdAt, Instant updatedAt, long version) {

  /** The flag of a case under 督办 (overdue, or reopened after an unsatisfied rating). */
  public static final String SUPERVISED = "supervised";
  /**
   * The flag of a case whose text WeChat's content security sent for a person's look (mini-program): it waits at
   * dispatch, unrouted, until staff release it ({@link CaseAction#RELEASE}).
   */
  public static final String HELD = "held_for_review";
  /**
   * An attachment WeChat's image check flagged keeps its place as {@code withheld:<assetId>}: staff views leave it
   * out, the citizen sees it marked on their message.
   */
  public static final String WITHHELD = "withheld:";

  public Case {
    attachments = List.copyOf(attachments);
    messages = List.copyOf(messages);
    flags = Set.copyOf(flags);
    parts = List.copyOf(parts);
    history = List.copyOf(history);
    replies = List.copyOf(replies);
    acknowledgements = List.copyOf(acknowledgements);
  }

  /** A citizen's message on the case: the first one, then each that joined it. */
  public record Message(String text, Instant at, String sourceId, List<String> attachments) {
    public Message {
      attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    Document toDocument() {
      return new Document("text", text).append("at", Times.date(at)).append("sourceId", sourceId)
        .append("attachments", attachments);
    }

    static Message from(Document d) {
      return new Message(d.getString("text"), Times.instant(d.getDate("at")), d.getString("sourceId"),
        d.getList("attachments", String.class, List.of()));
    }

    /** As staff see it: withheld images left out, only counted (so the console can say some were withheld). */
    JsonObject toJson() {
      return new JsonObject().put("text", text).put("at", Times.show(at))
        .put("attachments", new JsonArray(shown(attachments)))
        .put("withheld", attachments.size() - shown(attachments).size());
    }
  }

  /** The attachments staff may see: without the images WeChat's check withheld. */
  static List<String> shown(List<String> attachments) {
    return attachments.stream().filter(a -> !a.startsWith(WITHHELD)).toList();
  }

  /**
   * The answer deadline: {@code limitDays} working days counted from the day after {@code receivedOn}, plus the
   * working days spent paused; {@code dueAt} is the end of {@code dueDate} (Asia/Shanghai). {@code pausedAt} is set
   * while the clock is stopped.
   */
  public record Deadline(LocalDate receivedOn, int limitDays, int pausedDays, LocalDate dueDate, Instant dueAt,
                         boolean provisional, Instant pausedAt) {

    Document toDocument() {
      return new Document("receivedOn", receivedOn.toString()).append("limitDays", limitDays)
        .append("pausedDays", pausedDays).append("dueDate", dueDate.toString()).append("dueAt", Times.date(dueAt))
        .append("provisional", provisional).append("pausedAt", Times.date(pausedAt));
    }

    static Deadline from(Document d) {
      return new Deadline(LocalDate.parse(d.getString("receivedOn")), d.getInteger("limitDays"),
        d.getInteger("pausedDays", 0), LocalDate.parse(d.getString("dueDate")), Times.instant(d.getDate("dueAt")),
        d.getBoolean("provisional", false), Times.instant(d.getDate("pausedAt")));
    }
  }

  /** One department's part in the case: from when it had it until when (null while it still has it). */
  public record Part(String departmentId, Instant from, Instant to) {
    Document toDocument() {
      return new Document("departmentId", departmentId).append("from", Times.date(from)).append("to", Times.date(to));
    }

    static Part from(Document d) {
      return new Part(d.getString("departmentId"), Times.instant(d.getDate("from")), Times.instant(d.getDate("to")));
    }

    JsonObject toJson() {
      return new JsonObject().put("departmentId", departmentId).put("from", Times.show(from)).put("to", Times.show(to));
    }
  }

  /**
   * One entry of the history: who ({@code by} a staff id, {@code system} or {@code citizen}), when, what, the status
   * before and after, the department it concerns and why.
   */
  public record Step(String by, String byName, Instant at, String action, CaseStatus from, CaseStatus to,
                     String departmentId, String reason, String note) {

    public static final String SYSTEM = "system";
    public static final String CITIZEN = "citizen";

    Document toDocument() {
      return new Document("by", by).append("byName", byName).append("at", Times.date(at)).append("action", action)
        .append("from", from == null ? null : from.wire()).append("to", to == null ? null : to.wire())
        .append("departmentId", departmentId).append("reason", reason).append("note", note);
    }

    static Step from(Document d) {
      return new Step(d.getString("by"), d.getString("byName"), Times.instant(d.getDate("at")), d.getString("action"),
        status(d.getString("from")), status(d.getString("to")), d.getString("departmentId"), d.getString("reason"),
        d.getString("note"));
    }

    JsonObject toJson() {
      return new JsonObject().put("by", by).put("byName", byName).put("at", Times.show(at)).put("action", action)
        .put("from", from == null ? null : from.wire()).put("to", to == null ? null : to.wire())
        .put("departmentId", departmentId).put("reason", reason).put("note", note);
    }
  }

  /** A mutable copy for {@link #change}; every field of the record, by the same name. */
  public static final class Edit {
    public String number;
    public Channel channel;
    public String accountId;
    public Citizen citizen;
    public String sealedContact;
    public Category category;
    public Urgency urgency;
    public CaseStatus status;
    public String title;
    public String content;
    public List<String> attachments;
    public List<Message> messages;
    public String region;
    public boolean consent;
    public String departmentId;
    public String assigneeId;
    public Deadline deadline;
    public Set<String> flags;
    public int transfers;
    public int returns;
    public List<Part> parts;
    public List<Step> history;
    public List<Document> replies;
    public Document rating;
    public List<Delivery> acknowledgements;
    public JsonObject replyTarget;
    public String sourceId;
    public Instant receivedAt;
    public Instant lastMessageAt;
    public CaseStatus pausedFrom;
    public Instant createdAt;
    public Instant updatedAt;
    private final String id;
    private long version;

    private Edit(Case c) {
      id = c.id;
      number = c.number;
      channel = c.channel;
      accountId = c.accountId;
      citizen = c.citizen;
      sealedContact = c.sealedContact;
      category = c.category;
      urgency = c.urgency;
      status = c.status;
      title = c.title;
      content = c.content;
      attachments = new ArrayList<>(c.attachments);
      messages = new ArrayList<>(c.messages);
      region = c.region;
      consent = c.consent;
      departmentId = c.departmentId;
      assigneeId = c.assigneeId;
      deadline = c.deadline;
      flags = new LinkedHashSet<>(c.flags);
      transfers = c.transfers;
      returns = c.returns;
      parts = new ArrayList<>(c.parts);
      history = new ArrayList<>(c.history);
      replies = new ArrayList<>(c.replies);
      rating = c.rating;
      acknowledgements = new ArrayList<>(c.acknowledgements);
      replyTarget = c.replyTarget;
      sourceId = c.sourceId;
      receivedAt = c.receivedAt;
      lastMessageAt = c.lastMessageAt;
      pausedFrom = c.pausedFrom;
      createdAt = c.createdAt;
      updatedAt = c.updatedAt;
      version = c.version;
    }

    /** Hands the case to {@code to} (null: back to dispatch), closing the current department's part. */
    public void moveTo(String to, Instant at) {
      if (departmentId != null && !parts.isEmpty()) {
        Part last = parts.get(parts.size() - 1);
        if (last.to() == null) {
          parts.set(parts.size() - 1, new Part(last.departmentId(), last.from(), at));
        }
      }
      departmentId = to;
      if (to != null) {
        parts.add(new Part(to, at, null));
      }
    }

    private Case build() {
      return new Case(id, number, channel, accountId, citizen, sealedContact, category, urgency, status, title,
        content, attachments, messages, region, consent, departmentId, assigneeId, deadline, flags, transfers, returns,
        parts, history, replies, rating, acknowledgements, replyTarget, sourceId, receivedAt, lastMessageAt, pausedFrom,
        createdAt, updatedAt, version);
    }
  }

  /** A copy with the edit applied and a history step appended (when not null); {@code updatedAt} is the step's time. */
  public Case change(Step step, Consumer<Edit> edit) {
    Edit e = new Edit(this);
    edit.accept(e);
    if (step != null) {
      e.history.add(step);
      e.updatedAt = step.at();
    }
    return e.build();
  }

  public Case withVersion(long next) {
    Edit e = new Edit(this);
    e.version = next;
    return e.build();
  }

  /** A new case as intake or a staff member opens it. */
  static Case open(String id, String number, Channel channel, String accountId, Citizen citizen, String sealedContact,
                   Category category, Urgency urgency, String title, Message first, String region, boolean consent,
                   JsonObject replyTarget, Instant now) {
    return new Case(id, number, channel, accountId, citizen == null ? Citizen.UNKNOWN : citizen, sealedContact,
      category, urgency, CaseStatus.DISPATCHING, title, first.text(), first.attachments(), List.of(first), region,
      consent, null, null, null, Set.of(), 0, 0, List.of(), List.of(), List.of(), null, List.of(), replyTarget,
      first.sourceId(), first.at(), first.at(), null, now, now, 0);
  }

  public boolean overdue(Instant now) {
    return status.open() && status != CaseStatus.PAUSED && deadline != null && deadline.dueAt().isBefore(now);
  }

  public Recipient recipient() {
    return new Recipient(id, number, channel, accountId, citizen, lastMessageAt, replyTarget);
  }

  public Document toDocument() {
    Document d = new Document("_id", id).append("number", number).append("channel", channel.wire())
      .append("accountId", accountId)
      .append("citizen", new Document("openid", citizen.openid()).append("unionid", citizen.unionid())
        .append("weiboUid", citizen.weiboUid()).append("nickname", citizen.nickname()))
      .append("contact", sealedContact).append("category", category.wire()).append("urgency", urgency.wire())
      .append("status", status.wire()).append("title", title).append("content", content)
      .append("attachments", attachments).append("messages", messages.stream().map(Message::toDocument).toList())
      .append("region", region).append("consent", consent).append("departmentId", departmentId)
      .append("assigneeId", assigneeId).append("deadline", deadline == null ? null : deadline.toDocument())
      .append("flags", List.copyOf(new java.util.TreeSet<>(flags))).append("transfers", transfers)
      .append("returns", returns).append("parts", parts.stream().map(Part::toDocument).toList())
      .append("history", history.stream().map(Step::toDocument).toList()).append("replies", replies)
      .append("rating", rating)
      .append("acknowledgements", acknowledgements.stream().map(a -> Document.parse(a.toJson().encode())).toList())
      .append("replyTarget", replyTarget == null ? null : Document.parse(replyTarget.encode()))
      .append("sourceId", sourceId).append("receivedAt", Times.date(receivedAt))
      .append("lastMessageAt", Times.date(lastMessageAt)).append("pausedFrom", pausedFrom == null ? null : pausedFrom.wire())
      .append("createdAt", Times.date(createdAt)).append("updatedAt", Times.date(updatedAt)).append("version", version);
    return d;
  }

  public static Case from(Document d) {
    Document who = d.get("citizen", Document.class);
    Citizen citizen = who == null ? Citizen.UNKNOWN : new Citizen(who.getString("openid"), who.getString("unionid"),
      who.getString("weiboUid"), who.getString("nickname"));
    Document deadline = d.get("deadline", Document.class);
    Document target = d.get("replyTarget", Document.class);
    return new Case(d.getString("_id"), d.getString("number"), Channel.parse(d.getString("channel")).orElseThrow(),
      d.getString("accountId"), citizen, d.getString("contact"),
      Category.parse(d.getString("category")).orElseThrow(), Urgency.parse(d.getString("urgency")).orElseThrow(),
      CaseStatus.parse(d.getString("status")).orElseThrow(), d.getString("title"), d.getString("content"),
      d.getList("attachments", String.class, List.of()),
      d.getList("messages", Document.class, List.of()).stream().map(Message::from).toList(), d.getString("region"),
      d.getBoolean("consent", false), d.getString("departmentId"), d.getString("assigneeId"),
      deadline == null ? null : Deadline.from(deadline), Set.copyOf(d.getList("flags", String.class, List.of())),
      d.getInteger("transfers", 0), d.getInteger("returns", 0),
      d.getList("parts", Document.class, List.of()).stream().map(Part::from).toList(),
      d.getList("history", Document.class, List.of()).stream().map(Step::from).toList(),
      d.getList("replies", Document.class, List.of()), d.get("rating", Document.class),
      d.getList("acknowledgements", Document.class, List.of()).stream().map(Case::delivery).toList(),
      target == null ? null : new JsonObject(target.toJson()), d.getString("sourceId"),
      Times.instant(d.getDate("receivedAt")), Times.instant(d.getDate("lastMessageAt")),
      d.getString("pausedFrom") == null ? null : CaseStatus.parse(d.getString("pausedFrom")).orElse(null),
      Times.instant(d.getDate("createdAt")), Times.instant(d.getDate("updatedAt")), d.get("version", 0L));
  }

  static Delivery delivery(Document d) {
    List<Delivery.Attempt> attempts = d.getList("attempts", Document.class, List.of()).stream()
      .map(a -> new Delivery.Attempt(a.getString("route"), a.getBoolean("ok", false), a.getString("error"),
        a.getString("at") == null ? null : Instant.parse(a.getString("at"))))
      .toList();
    return new Delivery(d.getString("route"), d.getString("status"),
      d.getString("at") == null ? null : Instant.parse(d.getString("at")), attempts);
  }

  private static CaseStatus status(String wire) {
    return wire == null ? null : CaseStatus.parse(wire).orElse(null);
  }
}
