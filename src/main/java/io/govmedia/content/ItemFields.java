package io.govmedia.content;

import io.govmedia.checks.HtmlBodies;

import io.govmedia.media.AssetIds;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Input;
import io.govmedia.platform.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The fields an editor writes, read per kind. On create the contract's fields are required; on edit (PATCH)
 * any subset may come, and null means "unchanged". The body comes as written ({@code rawBody}); it is sanitized
 * on save, on a worker ({@link #withBody}), so that every later channel can trust it.
 */
record ItemFields(String title, String rawBody, HtmlBodies.Body body, String departmentId, Attrs attrs) {

  static final int MAX_BODY_CHARS = 1_000_000;
  static final Set<String> VALIDITIES = Set.of("valid", "amended", "repealed", "expired");
  static final Set<String> FORMS = Set.of("text", "infographic", "video", "audio", "qa", "expert");

  static ItemFields read(ItemKind kind, Input input, boolean creating) {
    return switch (kind) {
      case DOCUMENT -> document(input, creating);
      case INTERPRETATION -> interpretation(input, creating);
      case POST -> PostFields.read(input, creating);
    };
  }

  private static ItemFields document(Input input, boolean creating) {
    String title = text(input, "title", 200, creating);
    String docNumber = text(input, "docNumber", 64, creating);
    String issuer = text(input, "issuer", 100, creating);
    String category = text(input, "category", 64, creating);
    String departmentId = creating ? input.matching("departmentId", Ids.FORMAT, "部门 id")
      : input.optionalMatching("departmentId", Ids.FORMAT, "部门 id");
    String body = body(input, creating);
    Instant issuedAt = input.optionalInstant("issuedAt");
    Instant effectiveAt = input.optionalInstant("effectiveAt");
    Instant expiresAt = input.optionalInstant("expiresAt");
    if (expiresAt != null && effectiveAt != null && expiresAt.isBefore(effectiveAt)) {
      input.error("expiresAt", "失效日期不能早于生效日期");
    }
    Attrs.Validity validity = null;
    if (creating) {
      String state = input.has("validity") ? input.oneOf("validity", VALIDITIES) : "valid";
      if ("amended".equals(state)) {
        input.error("validity", "已修改的文件须指明修改后的文件：请先创建，再通过 /validity 标注");
      }
      validity = new Attrs.Validity(state, null, null);
    } else if (input.has("validity")) {
      input.error("validity", "请通过 POST /api/v1/documents/{id}/validity 变更效力状态");
    }
    List<String> attachmentIds = input.has("attachmentIds") || creating
      ? input.strings("attachmentIds", 50, AssetIds.FORMAT) : null;
    Attrs attrs = new Attrs(new Attrs.DocumentInfo(docNumber, issuer, category, issuedAt, effectiveAt, expiresAt,
      attachmentIds), validity, null, null, null, null);
    return new ItemFields(title, body, null, departmentId, attrs);
  }

  private static ItemFields interpretation(Input input, boolean creating) {
    String documentId = null;
    String form = null;
    if (creating) {
      documentId = input.matching("documentId", Ids.FORMAT, "政策文件 id");
      form = input.oneOf("form", FORMS);
    } else {
      if (input.has("documentId")) {
        input.error("documentId", "解读所属的文件不可更改");
      }
      if (input.has("form")) {
        form = input.oneOf("form", FORMS);
      }
    }
    String title = text(input, "title", 200, creating);
    String body = body(input, creating);
    List<String> assetIds = input.has("assetIds") || creating ? input.strings("assetIds", 50, AssetIds.FORMAT) : null;
    Attrs.Interpreter interpreter = null;
    var given = input.optionalObject("interpreter");
    if (given != null) {
      Object name = given.getValue("name");
      Object role = given.getValue("title");
      if (!(name instanceof String n) || n.isBlank() || n.length() > 50) {
        input.error("interpreter.name", "必填，应为 50 字以内的字符串");
      } else if (role != null && (!(role instanceof String r) || r.length() > 100)) {
        input.error("interpreter.title", "应为 100 字以内的字符串");
      } else {
        interpreter = new Attrs.Interpreter(n.strip(), role == null ? null : ((String) role).strip());
      }
    }
    Attrs attrs = new Attrs(null, null, null, new Attrs.InterpretationInfo(documentId, form, assetIds, interpreter),
      null, null);
    return new ItemFields(title, body, null, null, attrs);
  }

  /**
   * The fields with the body sanitized and rendered ({@code prepare} runs on a worker); a body that is empty once
   * cleaned is refused as bad input.
   */
  Future<ItemFields> withBody(Function<String, Future<HtmlBodies.Body>> prepare) {
    if (rawBody == null) {
      return Future.succeededFuture(this);
    }
    return prepare.apply(rawBody).map(clean -> {
      if (clean.blank()) {
        throw Problem.invalidFields(new JsonArray().add(new JsonObject().put("field", "body")
          .put("message", "清除不安全内容后正文为空")));
      }
      return new ItemFields(title, rawBody, clean, departmentId, attrs);
    });
  }

  /** The same fields with another body as written (a post's from its WeChat article or its source) or department. */
  ItemFields with(String otherRawBody, String otherDepartmentId, Attrs otherAttrs) {
    return new ItemFields(title, otherRawBody, body, otherDepartmentId, otherAttrs);
  }

  static String text(Input input, String name, int max, boolean required) {
    return required ? input.string(name, max) : input.optionalString(name, max);
  }

  static String body(Input input, boolean required) {
    return required ? input.text("body", MAX_BODY_CHARS) : input.optionalText("body", MAX_BODY_CHARS);
  }
}
