package io.govmedia.citizen;

import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.govmedia.workdays.Workdays;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A draft document put out for public comment (意见征集) for a period {@code from}–{@code to} (Asia/Shanghai dates,
 * both included). The title and an excerpt are copied at opening (the draft's text is kept beside it, see
 * {@link Consultations}): citizens comment on the text that was put out, whatever edits the draft gets since.
 * {@code commentCount} counts the comments anyone may know of (held ones only once accepted).
 */
record Consultation(String id, String documentId, String departmentId, Kind kind, String title, String excerpt,
                    LocalDate from, LocalDate to, String shortReason, State state, String closedReason,
                    long commentCount, Summary summary, AuditLog.Actor openedBy, Instant createdAt, Instant updatedAt) {

  /** DOMAIN §2: at least 30 days for draft rules and major decisions, 7 working days for normative documents. */
  enum Kind {
    RULE, MAJOR_DECISION, NORMATIVE, OTHER;

    static final Set<String> WIRES = Arrays.stream(values()).map(Kind::wire).collect(Collectors.toUnmodifiableSet());
    static final int CALENDAR_DAYS = 30;
    static final int WORKING_DAYS = 7;

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Kind parse(String wire) {
      return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** The earliest last day of a period starting on {@code from} that the rule allows (provisional: see Workdays). */
    Workdays.Day earliestEnd(LocalDate from, Workdays workdays) {
      return switch (this) {
        case RULE, MAJOR_DECISION -> new Workdays.Day(from.plusDays(CALENDAR_DAYS - 1), false);
        case NORMATIVE -> workdays.add(from.minusDays(1), WORKING_DAYS);
        case OTHER -> new Workdays.Day(from, false);
      };
    }

    String rule() {
      return switch (this) {
        case RULE, MAJOR_DECISION -> "不少于 " + CALENDAR_DAYS + " 日";
        case NORMATIVE -> "不少于 " + WORKING_DAYS + " 个工作日";
        case OTHER -> "不限";
      };
    }
  }

  /** What staff did to it; where it stands for citizens also depends on the day ({@link #phase}). */
  enum State {
    OPEN, CLOSED, SUMMARIZED;

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Where a consultation stands on a day: not yet open, taking comments, over, or its adoption summary out. */
  enum Phase {
    SCHEDULED, OPEN, ENDED, SUMMARIZED;

    static final Set<String> WIRES = Arrays.stream(values()).map(Phase::wire).collect(Collectors.toUnmodifiableSet());

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** 采纳情况: counts per decision and the adopted (or partly adopted) comments' gist, masked, with the reasons. */
  record Summary(int adopted, int partly, int notAdopted, List<Adopted> items, AuditLog.Actor publishedBy,
                 Instant publishedAt) {

    record Adopted(String gist, String decision, String reason) {
    }

    JsonObject toJson() {
      JsonArray list = new JsonArray();
      items.forEach(i -> list.add(new JsonObject().put("gist", i.gist()).put("decision", i.decision())
        .put("reason", i.reason())));
      return new JsonObject().put("total", adopted + partly + notAdopted).put("adopted", adopted).put("partly", partly)
        .put("notAdopted", notAdopted).put("items", list).put("publishedAt", Times.show(publishedAt));
    }

    /** The public page's lines: the counts, then each adopted comment with why. */
    List<String> lines() {
      List<String> lines = new java.util.ArrayList<>();
      lines.add("共收到有效意见 " + (adopted + partly + notAdopted) + " 条，采纳 " + adopted + " 条，部分采纳 " + partly
        + " 条，未采纳 " + notAdopted + " 条。");
      items.forEach(i -> lines.add(("adopted".equals(i.decision()) ? "【采纳】" : "【部分采纳】") + i.gist()
        + (i.reason() == null ? "" : "——" + i.reason())));
      return lines;
    }

    Document toDocument() {
      return new Document("adopted", adopted).append("partly", partly).append("notAdopted", notAdopted)
        .append("items", items.stream().map(i -> new Document("gist", i.gist()).append("decision", i.decision())
          .append("reason", i.reason())).toList())
        .append("publishedBy", new Document("id", publishedBy.id()).append("username", publishedBy.username()))
        .append("publishedAt", Times.date(publishedAt));
    }

    static Summary from(Document d) {
      if (d == null) {
        return null;
      }
      Document by = d.get("publishedBy", Document.class);
      return new Summary(d.getInteger("adopted"), d.getInteger("partly"), d.getInteger("notAdopted"),
        d.getList("items", Document.class).stream().map(i -> new Adopted(i.getString("gist"), i.getString("decision"),
          i.getString("reason"))).toList(), new AuditLog.Actor(by.getString("id"), by.getString("username")),
        Times.instant(d.getDate("publishedAt")));
    }
  }

  // Transitions

  /**
   * Opening: {@code from} not before today and {@code to} not before {@code from} (400), and the period at least what
   * the kind asks for (422 {@code consultation-too-short}) unless an admin records why it is shorter.
   */
  static Consultation open(String id, String documentId, String departmentId, Kind kind, String title, String excerpt,
                           LocalDate from, LocalDate to, String shortReason, boolean admin, LocalDate today,
                           Workdays workdays, AuditLog.Actor by, Instant now) {
    if (from.isBefore(today)) {
      throw Problem.badRequest("invalid-period", "征求意见的开始日期不能早于今天", "from: " + from + "，今天：" + today);
    }
    if (to.isBefore(from)) {
      throw Problem.badRequest("invalid-period", "征求意见的截止日期不能早于开始日期", "from: " + from + "，to: " + to);
    }
    Workdays.Day earliest = kind.earliestEnd(from, workdays);
    boolean tooShort = to.isBefore(earliest.date());
    if (tooShort && (shortReason == null || !admin)) {
      throw new Problem(422, "consultation-too-short", "征求意见期限不足",
        kind.wire() + " 类草案征求意见" + kind.rule() + "，自 " + from + " 起最早截止于 " + earliest.date()
          + (earliest.provisional() ? "（所涉年份尚无节假日安排，暂按周一至周五计算）" : "")
          + "；确需缩短的，须由管理员说明理由（shortReason）。")
        .with("earliestTo", earliest.date().toString());
    }
    return new Consultation(id, documentId, departmentId, kind, title, excerpt, from, to,
      tooShort ? shortReason : null, State.OPEN, null, 0, null, by, now, now);
  }

  /** Closed before its end, with the reason; a closed or summarized one cannot be closed again. */
  Consultation closed(String reason, LocalDate today, Instant now) {
    if (phase(today) != Phase.OPEN && phase(today) != Phase.SCHEDULED) {
      throw Problem.conflict("consultation-closed", "征求意见已结束", "当前状态：" + phase(today).wire());
    }
    return new Consultation(id, documentId, departmentId, kind, title, excerpt, from, to, shortReason, State.CLOSED,
      reason, commentCount, null, openedBy, createdAt, now);
  }

  /** The adoption summary: only once the period is over, once. */
  Consultation summarized(Summary summary, LocalDate today) {
    requireSummarizable(today);
    return new Consultation(id, documentId, departmentId, kind, title, excerpt, from, to, shortReason,
      State.SUMMARIZED, closedReason, commentCount, summary, openedBy, createdAt, summary.publishedAt());
  }

  // Questions

  Phase phase(LocalDate today) {
    return switch (state) {
      case SUMMARIZED -> Phase.SUMMARIZED;
      case CLOSED -> Phase.ENDED;
      case OPEN -> today.isBefore(from) ? Phase.SCHEDULED : today.isAfter(to) ? Phase.ENDED : Phase.OPEN;
    };
  }

  /** Citizens comment only within the period (409 {@code consultation-closed} outside it). */
  void requireOpen(LocalDate today) {
    Phase phase = phase(today);
    if (phase != Phase.OPEN) {
      throw Problem.conflict("consultation-closed", phase == Phase.SCHEDULED ? "征求意见尚未开始" : "征求意见已结束",
        "征求意见期：" + from + " 至 " + to + "。");
    }
  }

  /** A summary is published once, after the period (409 {@code consultation-not-ended} before). */
  void requireSummarizable(LocalDate today) {
    requireDecidable();
    if (phase(today) != Phase.ENDED) {
      throw Problem.conflict("consultation-not-ended", "征求意见期尚未结束，不能公布采纳情况",
        "征求意见期至 " + to + " 止。");
    }
  }

  /** Decisions on comments stand until the summary is published. */
  void requireDecidable() {
    if (state == State.SUMMARIZED) {
      throw Problem.conflict("summary-published", "采纳情况已公布，不能再修改", null);
    }
  }

  /** Citizens see a consultation from its first day on. */
  boolean visibleToCitizens(LocalDate today) {
    return phase(today) != Phase.SCHEDULED;
  }

  // Storage and views

  Document toDocument() {
    return new Document("_id", id).append("documentId", documentId).append("departmentId", departmentId)
      .append("kind", kind.wire()).append("title", title).append("excerpt", excerpt)
      .append("from", from.toString()).append("to", to.toString()).append("shortReason", shortReason)
      .append("state", state.wire()).append("closedReason", closedReason).append("commentCount", commentCount)
      .append("summary", summary == null ? null : summary.toDocument())
      .append("openedBy", new Document("id", openedBy.id()).append("username", openedBy.username()))
      .append("createdAt", Times.date(createdAt)).append("updatedAt", Times.date(updatedAt));
  }

  static Consultation from(Document d) {
    Document by = d.get("openedBy", Document.class);
    return new Consultation(d.getString("_id"), d.getString("documentId"), d.getString("departmentId"),
      Kind.parse(d.getString("kind")), d.getString("title"), d.getString("excerpt"), LocalDate.parse(d.getString("from")),
      LocalDate.parse(d.getString("to")), d.getString("shortReason"),
      State.valueOf(d.getString("state").toUpperCase(Locale.ROOT)), d.getString("closedReason"),
      d.get("commentCount", Number.class).longValue(), Summary.from(d.get("summary", Document.class)),
      new AuditLog.Actor(by.getString("id"), by.getString("username")), Times.instant(d.getDate("createdAt")),
      Times.instant(d.getDate("updatedAt")));
  }

  /** What citizens see in the list: no body, no staff names. */
  JsonObject citizenSummary(LocalDate today) {
    return new JsonObject().put("id", id).put("documentId", documentId).put("title", title).put("kind", kind.wire())
      .put("from", from.toString()).put("to", to.toString()).put("status", phase(today).wire())
      .put("excerpt", excerpt).put("commentCount", commentCount);
  }

  /** The staff view. */
  JsonObject toJson(LocalDate today) {
    return citizenSummary(today).put("departmentId", departmentId).put("shortReason", shortReason)
      .put("closedReason", closedReason)
      .put("openedBy", new JsonObject().put("id", openedBy.id()).put("username", openedBy.username()))
      .put("createdAt", Times.show(createdAt)).put("updatedAt", Times.show(updatedAt))
      .put("summary", summary == null ? null : summary.toJson());
  }
}
