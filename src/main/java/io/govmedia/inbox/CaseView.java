package io.govmedia.inbox;

import io.govmedia.checks.PersonalData;
import io.govmedia.platform.Secrets;
import io.govmedia.platform.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Clock;
import java.util.List;
import java.util.TreeSet;

/**
 * A case as staff see it: in lists without contact details, history or messages (only who wrote, as a masked name:
 * 张**); read one by one with the contact details opened and masked (DOMAIN.md §4: 张**, 138****1234,
 * 110105********002X), never in full.
 */
final class CaseView {

  /** The contact fields staff may enter; sealed together as one JSON object. */
  static final List<String> CONTACT_FIELDS = List.of("name", "phone", "idNumber", "email", "address");

  private final Secrets secrets;
  private final Clock clock;

  CaseView(Secrets secrets, Clock clock) {
    this.secrets = secrets;
    this.clock = clock;
  }

  String seal(String caseId, JsonObject contact) {
    return contact == null || contact.isEmpty() ? null : secrets.seal(contact.encode(), context(caseId));
  }

  private static String context(String caseId) {
    return "case-contact:" + caseId;
  }

  JsonObject item(Case c) {
    JsonObject json = new JsonObject().put("id", c.id()).put("number", c.number()).put("channel", c.channel().wire())
      .put("accountId", c.accountId()).put("category", c.category().wire()).put("urgency", c.urgency().wire())
      .put("status", c.status().wire()).put("statusLabel", c.status().label()).put("title", c.title())
      .put("departmentId", c.departmentId()).put("assigneeId", c.assigneeId())
      .put("flags", new JsonArray(List.copyOf(new TreeSet<>(c.flags())))).put("overdue", c.overdue(clock.instant()))
      .put("createdAt", Times.show(c.createdAt())).put("updatedAt", Times.show(c.updatedAt()))
      .put("version", c.version()).put("citizenName", citizenName(c));
    Case.Deadline d = c.deadline();
    json.put("dueAt", d == null ? null : Times.show(d.dueAt())).put("dueDate", d == null ? null : d.dueDate().toString())
      .put("provisional", d != null && d.provisional());
    c.history().stream().filter(s -> "return".equals(s.action())).reduce((a, b) -> b)
      .ifPresent(last -> json.put("lastReturn", new JsonObject().put("by", last.by()).put("byName", last.byName())
        .put("departmentId", last.departmentId()).put("reason", last.reason()).put("at", Times.show(last.at()))));
    return json;
  }

  JsonObject detail(Case c) {
    JsonObject json = item(c).put("content", c.content()).put("region", c.region()).put("consent", c.consent())
      .put("attachments", new JsonArray(Case.shown(c.attachments())))
      .put("citizen", new JsonObject().put("openid", c.citizen().openid()).put("unionid", c.citizen().unionid())
        .put("weiboUid", c.citizen().weiboUid()).put("nickname", c.citizen().nickname()))
      .put("contact", maskedContact(c))
      .put("messages", array(c.messages().stream().map(Case.Message::toJson).toList()))
      .put("transfers", c.transfers()).put("returns", c.returns())
      .put("parts", array(c.parts().stream().map(Case.Part::toJson).toList()))
      .put("history", array(c.history().stream().map(Case.Step::toJson).toList()))
      .put("replies", array(c.replies().stream().map(d -> CaseReply.from(d).toJson()).toList()))
      .put("rating", c.rating() == null ? null : json(c.rating()))
      .put("acknowledgements", array(c.acknowledgements().stream().map(Delivery::toJson).toList()))
      .put("receivedAt", Times.show(c.receivedAt())).put("lastMessageAt", Times.show(c.lastMessageAt()));
    Case.Deadline d = c.deadline();
    if (d != null) {
      json.put("deadline", new JsonObject().put("receivedOn", d.receivedOn().toString()).put("limitDays", d.limitDays())
        .put("pausedDays", d.pausedDays()).put("dueDate", d.dueDate().toString()).put("dueAt", Times.show(d.dueAt()))
        .put("provisional", d.provisional()).put("pausedAt", Times.show(d.pausedAt())));
    }
    return json;
  }

  /** Who wrote, masked to the surname: the contact name staff entered, else the channel's nickname; null when neither. */
  String citizenName(Case c) {
    String name = contactName(c);
    String shown = name != null ? name : c.citizen().nickname();
    return shown == null || shown.isBlank() ? null : PersonalData.maskName(shown);
  }

  /** The contact name as entered, to find it in texts that go public and mask it there; null when none. */
  String contactName(Case c) {
    return c.sealedContact() == null ? null
      : new JsonObject(secrets.open(c.sealedContact(), context(c.id()))).getString("name");
  }

  /** The sealed contact opened and masked field by field; never the plain values. */
  JsonObject maskedContact(Case c) {
    if (c.sealedContact() == null) {
      return null;
    }
    JsonObject plain = new JsonObject(secrets.open(c.sealedContact(), context(c.id())));
    JsonObject masked = new JsonObject();
    for (String field : CONTACT_FIELDS) {
      String value = plain.getString(field);
      if (value != null) {
        masked.put(field, mask(field, value));
      }
    }
    return masked;
  }

  static String mask(String field, String value) {
    return switch (field) {
      case "name" -> PersonalData.maskName(value);
      case "phone" -> keepEnds(value, 3, 4);
      case "idNumber" -> keepEnds(value, 6, 4);
      case "email" -> {
        int at = value.indexOf('@');
        yield at <= 0 ? keepEnds(value, 1, 0) : value.charAt(0) + "***" + value.substring(at);
      }
      default -> keepEnds(value, 6, 0);
    };
  }

  /** The first {@code head} and last {@code tail} characters, the rest as '*' (all of it masked when too short). */
  static String keepEnds(String value, int head, int tail) {
    int[] cps = value.codePoints().toArray();
    if (cps.length <= head + tail) {
      return "*".repeat(cps.length);
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < cps.length; i++) {
      if (i < head || i >= cps.length - tail) {
        out.appendCodePoint(cps[i]);
      } else {
        out.append('*');
      }
    }
    return out.toString();
  }

  private static JsonArray array(List<JsonObject> items) {
    return new JsonArray(List.copyOf(items));
  }

  private static JsonObject json(Document d) {
    return new JsonObject(d.toJson());
  }
}
