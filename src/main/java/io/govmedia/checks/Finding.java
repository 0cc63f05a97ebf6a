package io.govmedia.checks;

import io.vertx.core.json.JsonObject;
import org.bson.Document;

/**
 * One hit of a content check, shown to every reviewer: which rule, whether it blocks approval, and where —
 * {@code start} (inclusive) and {@code end} (exclusive) are offsets in UTF-16 code units into the plain text
 * of {@code field} ("title", or "body": the body's text as {@code HtmlBodies.text} gives it).
 *
 * @param rule  e.g. "sensitive-word", "id-number", "mobile", "wording", "external-link"
 * @param hint  what to do instead, when the rule knows (the right form of a wrong wording), else null
 */
public record Finding(String rule, Level level, String field, int start, int end, String text, String hint) {

  public enum Level {
    BLOCK, WARN;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public boolean blocks() {
    return level == Level.BLOCK;
  }

  public JsonObject toJson() {
    return new JsonObject().put("rule", rule).put("level", level.wire()).put("field", field).put("start", start)
      .put("end", end).put("text", text).put("hint", hint);
  }

  public Document toDocument() {
    return new Document("rule", rule).append("level", level.wire()).append("field", field).append("start", start)
      .append("end", end).append("text", text).append("hint", hint);
  }

  public static Finding from(Document d) {
    return new Finding(d.getString("rule"), Level.valueOf(d.getString("level").toUpperCase(java.util.Locale.ROOT)),
      d.getString("field"), d.getInteger("start"), d.getInteger("end"), d.getString("text"), d.getString("hint"));
  }
}
