package io.govmedia.content;

import io.govmedia.platform.Ids;
import io.govmedia.platform.Input;
import io.govmedia.platform.Times;
import org.bson.Document;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The fields an editor writes, read per kind. On create the contract's fields are required; on edit (PATCH)
 * any subset may come, and null means "unchanged". The body is sanitized here, on save, so that every later
 * channel can trust it.
 */
record ItemFields(String title, String body, String departmentId, Document attrs) {

  static final int MAX_BODY_CHARS = 1_000_000;
  static final Set<String> VALIDITIES = Set.of("valid", "amended", "repealed", "expired");
  static final Set<String> FORMS = Set.of("text", "infographic", "video", "audio", "qa", "expert");

  static ItemFields read(ItemKind kind, Input input, boolean creating) {
    return kind == ItemKind.DOCUMENT ? document(input, creating) : interpretation(input, creating);
  }

  private static ItemFields document(Input input, boolean creating) {
    Document attrs = new Document();
    String title = text(input, "title", 200, creating);
    put(attrs, "docNumber", text(input, "docNumber", 64, creating));
    put(attrs, "issuer", text(input, "issuer", 100, creating));
    put(attrs, "category", text(input, "category", 64, creating));
    String departmentId = creating ? input.matching("departmentId", Ids.FORMAT, "部门 id")
      : input.optionalMatching("departmentId", Ids.FORMAT, "部门 id");
    String body = body(input, creating);
    for (String date : List.of("issuedAt", "effectiveAt", "expiresAt")) {
      Instant at = input.optionalInstant(date);
      if (at != null) {
        attrs.put(date, Times.date(at));
      }
    }
    if (creating) {
      String validity = input.has("validity") ? input.oneOf("validity", VALIDITIES) : "valid";
      attrs.put("validity", validity);
    } else if (input.has("validity")) {
      input.error("validity", "请通过 POST /api/v1/documents/{id}/validity 变更效力状态");
    }
    if (input.has("attachmentIds") || creating) {
      attrs.put("attachmentIds", input.strings("attachmentIds", 50, Ids.FORMAT));
    }
    return new ItemFields(title, body, departmentId, attrs);
  }

  private static ItemFields interpretation(Input input, boolean creating) {
    Document attrs = new Document();
    if (creating) {
      attrs.put("documentId", input.matching("documentId", Ids.FORMAT, "政策文件 id"));
      attrs.put("form", input.oneOf("form", FORMS));
    } else {
      if (input.has("documentId")) {
        input.error("documentId", "解读所属的文件不可更改");
      }
      if (input.has("form")) {
        put(attrs, "form", input.oneOf("form", FORMS));
      }
    }
    String title = text(input, "title", 200, creating);
    String body = body(input, creating);
    if (input.has("assetIds") || creating) {
      attrs.put("assetIds", input.strings("assetIds", 50, Ids.FORMAT));
    }
    var interpreter = input.optionalObject("interpreter");
    if (interpreter != null) {
      Input who = Input.of(interpreter);
      String name = who.string("name", 50);
      String role = who.optionalString("title", 100);
      if (name == null) {
        input.error("interpreter.name", "必填");
      } else {
        attrs.put("interpreter", new Document("name", name).append("title", role));
      }
    }
    return new ItemFields(title, body, null, attrs);
  }

  private static String text(Input input, String name, int max, boolean required) {
    return required ? input.string(name, max) : input.optionalString(name, max);
  }

  private static String body(Input input, boolean required) {
    String raw = required ? input.string("body", MAX_BODY_CHARS) : input.optionalString("body", MAX_BODY_CHARS);
    return raw == null ? null : HtmlBodies.sanitize(raw);
  }

  private static void put(Document attrs, String name, Object value) {
    if (value != null) {
      attrs.put(name, value);
    }
  }
}
