package io.govmedia.content;

import io.govmedia.checks.HtmlBodies;

import io.govmedia.media.AssetIds;
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
    if (attrs.getDate("expiresAt") != null && attrs.getDate("effectiveAt") != null
      && attrs.getDate("expiresAt").before(attrs.getDate("effectiveAt"))) {
      input.error("expiresAt", "失效日期不能早于生效日期");
    }
    if (creating) {
      String validity = input.has("validity") ? input.oneOf("validity", VALIDITIES) : "valid";
      if ("amended".equals(validity)) {
        input.error("validity", "已修改的文件须指明修改后的文件：请先创建，再通过 /validity 标注");
      }
      attrs.put("validity", validity);
    } else if (input.has("validity")) {
      input.error("validity", "请通过 POST /api/v1/documents/{id}/validity 变更效力状态");
    }
    if (input.has("attachmentIds") || creating) {
      attrs.put("attachmentIds", input.strings("attachmentIds", 50, AssetIds.FORMAT));
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
      attrs.put("assetIds", input.strings("assetIds", 50, AssetIds.FORMAT));
    }
    var interpreter = input.optionalObject("interpreter");
    if (interpreter != null) {
      Object name = interpreter.getValue("name");
      Object role = interpreter.getValue("title");
      if (!(name instanceof String n) || n.isBlank() || n.length() > 50) {
        input.error("interpreter.name", "必填，应为 50 字以内的字符串");
      } else if (role != null && (!(role instanceof String r) || r.length() > 100)) {
        input.error("interpreter.title", "应为 100 字以内的字符串");
      } else {
        attrs.put("interpreter", new Document("name", n.strip()).append("title", role == null ? null : ((String) role).strip()));
      }
    }
    return new ItemFields(title, body, null, attrs);
  }

  private static String text(Input input, String name, int max, boolean required) {
    return required ? input.string(name, max) : input.optionalString(name, max);
  }

  private static String body(Input input, boolean required) {
    String raw = required ? input.string("body", MAX_BODY_CHARS) : input.optionalString("body", MAX_BODY_CHARS);
    if (raw == null) {
      return null;
    }
    String clean = HtmlBodies.sanitize(raw);
    if (HtmlBodies.text(clean).isBlank() && !clean.contains("<img") && !clean.contains("<video") && !clean.contains("<audio")) {
      input.error("body", "清除不安全内容后正文为空");
      return null;
    }
    return clean;
  }

  private static void put(Document attrs, String name, Object value) {
    if (value != null) {
      attrs.put(name, value);
    }
  }
}
