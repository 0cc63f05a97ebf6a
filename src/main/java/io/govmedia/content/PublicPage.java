package io.govmedia.content;

import io.govmedia.auth.Department;
import io.govmedia.auth.DepartmentStore;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code GET /p/{id}}: the public mobile page of a published post, interpretation or document, rendered here as
 * small HTML5 (no script, no framework) for the links that go out on WeChat and Weibo. Anything not published, and
 * any id that is not one, answers the same 404 page, so the page tells nothing about drafts. The body was sanitized
 * when saved; every other text is escaped here. Query parameters (the publisher's {@code ?s=} slot id) are ignored.
 */
final class PublicPage {

  static final String CSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; "
    + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy年M月d日 HH:mm").withZone(Times.ZONE);
  private static final List<ItemKind> KINDS = List.of(ItemKind.POST, ItemKind.INTERPRETATION, ItemKind.DOCUMENT);
  private static final String STYLE = "body{margin:0 auto;max-width:40rem;padding:1rem;color:#222;"
    + "font:17px/1.75 -apple-system,'PingFang SC','Microsoft YaHei',sans-serif;word-wrap:break-word}"
    + "h1{font-size:1.4rem;line-height:1.4;margin:.5rem 0}.meta{color:#888;font-size:.9rem}"
    + "img,video{max-width:100%;height:auto}audio{width:100%}table{border-collapse:collapse;max-width:100%}"
    + "td,th{border:1px solid #ccc;padding:.2rem .4rem}a{color:#1a5fb4}";

  private final ItemStore items;
  private final DepartmentStore departments;
  private final Function<Collection<String>, Future<Map<String, String>>> assetTypes;
  private final DocumentAnnexes annexes;

  PublicPage(ItemStore items, DepartmentStore departments,
             Function<Collection<String>, Future<Map<String, String>>> assetTypes, DocumentAnnexes annexes) {
    this.items = items;
    this.departments = departments;
    this.assetTypes = assetTypes;
    this.annexes = annexes;
  }

  void handle(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    (Ids.valid(id) ? published(id, 0) : Future.<Item>succeededFuture(null))
      .compose(item -> item == null ? Future.succeededFuture((String) null) : render(item))
      .onSuccess(html -> {
        if (html == null) {
          notFound(ctx);
        } else {
          found(ctx, html);
        }
      })
      .onFailure(ctx::fail);
  }

  /** The published item with this id, of whichever kind holds it. */
  private Future<Item> published(String id, int kindIndex) {
    if (kindIndex == KINDS.size()) {
      return Future.succeededFuture(null);
    }
    return items.find(KINDS.get(kindIndex), id).compose(item -> item == null ? published(id, kindIndex + 1)
      : Future.succeededFuture(item.status() == ReviewStatus.PUBLISHED ? item : null));
  }

  private Future<String> render(Item item) {
    List<String> media = switch (item.kind()) {
      case INTERPRETATION -> item.attrs().assetIds();
      case DOCUMENT -> item.attrs().attachmentIds();
      case POST -> item.attrs().post().videoAssetId() == null ? List.of() : List.of(item.attrs().post().videoAssetId());
    };
    Future<Map<String, String>> types = media.isEmpty() ? Future.succeededFuture(Map.of()) : assetTypes.apply(media);
    Future<List<DocumentAnnexes.Annex>> annexed = item.kind() == ItemKind.DOCUMENT ? annexes.of(item.id())
      : Future.succeededFuture(List.of());
    return Future.all(departments.find(item.departmentId()), types, annexed).map(both -> {
      Department department = both.resultAt(0);
      StringBuilder html = head(item.title())
        .append("<article><h1>").append(escape(item.title())).append("</h1><p class=\"meta\">");
      if (department != null) {
        html.append(escape(department.name())).append(" · ");
      }
      html.append("<time datetime=\"").append(escape(Times.show(item.publishedAt()))).append("\">")
        .append(SHOWN.format(item.publishedAt())).append("</time></p>\n");
      appendMedia(html, media, both.resultAt(1));
      html.append(item.body()).append('\n');
      appendLink(html, item);
      appendAnnexes(html, both.resultAt(2));
      return html.append("</article></body></html>\n").toString();
    });
  }

  /** An interpretation's video, audio and images (and a post's video) above the text; a document's attachments as links. */
  private static void appendMedia(StringBuilder html, List<String> ids, Map<String, String> types) {
    int attachment = 0;
    for (String id : ids) {
      String src = "/media/" + escape(id);
      switch (types.getOrDefault(id, "")) {
        case "video" -> html.append("<p><video controls preload=\"metadata\" src=\"").append(src).append("\"></video></p>\n");
        case "audio" -> html.append("<p><audio controls preload=\"metadata\" src=\"").append(src).append("\"></audio></p>\n");
        case "image" -> html.append("<p><img src=\"").append(src).append("\" alt=\"\"></p>\n");
        case "" -> { }  // deleted since: nothing to show
        default -> html.append("<p><a href=\"").append(src).append("\">附件").append(++attachment).append("</a></p>\n");
      }
    }
  }

  /** An interpretation links the document it interprets; a post the document or interpretation it came from. */
  private static void appendLink(StringBuilder html, Item item) {
    if (item.kind() == ItemKind.INTERPRETATION && item.attrs().documentId() != null) {
      html.append("<p><a href=\"/p/").append(escape(item.attrs().documentId())).append("\">查看政策原文</a></p>\n");
    } else if (item.kind() == ItemKind.POST && item.attrs().post().sourceId() != null) {
      html.append("<p><a href=\"/p/").append(escape(item.attrs().post().sourceId())).append("\">查看")
        .append("document".equals(item.attrs().post().sourceKind()) ? "政策原文" : "政策解读").append("</a></p>\n");
    }
  }

  /** What other features annex to a document (the adoption summary of its consultation), as escaped text. */
  private static void appendAnnexes(StringBuilder html, List<DocumentAnnexes.Annex> list) {
    for (DocumentAnnexes.Annex annex : list) {
      if (annex.heading() == null || annex.lines() == null) {
        continue;
      }
      html.append("<section><h2>").append(escape(annex.heading())).append("</h2>\n");
      annex.lines().forEach(line -> html.append("<p>").append(escape(line)).append("</p>\n"));
      html.append("</section>\n");
    }
  }

  private static StringBuilder head(String title) {
    return new StringBuilder("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">")
      .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
      .append("<meta name=\"referrer\" content=\"no-referrer\"><title>").append(escape(title)).append("</title><style>")
      .append(STYLE).append("</style></head><body>\n");
  }

  /** Five minutes in any cache; a repeat visit with the ETag costs no body. */
  private static void found(RoutingContext ctx, String html) {
    String etag = "\"" + digest(html) + "\"";
    HttpServerResponse response = headers(ctx).putHeader("Cache-Control", "public, max-age=300").putHeader("ETag", etag);
    String asked = ctx.request().getHeader("If-None-Match");
    if (asked != null && (asked.strip().equals("*") || List.of(asked.split(",")).stream()
      .map(tag -> tag.strip().replaceFirst("^W/", "")).anyMatch(etag::equals))) {
      response.setStatusCode(304).end();
      return;
    }
    send(ctx, response.putHeader("Content-Type", "text/html; charset=utf-8"), html);
  }

  /** The same page for unknown, unpublished and malformed: not cached, so a publication shows at once. */
  private static void notFound(RoutingContext ctx) {
    send(ctx, headers(ctx).setStatusCode(404).putHeader("Cache-Control", "no-cache")
      .putHeader("Content-Type", "text/html; charset=utf-8"),
      head("页面不存在").append("<h1>页面不存在</h1><p>您访问的内容不存在或尚未发布。</p></body></html>\n").toString());
  }

  /** The page, or for HEAD only its length. */
  private static void send(RoutingContext ctx, HttpServerResponse response, String html) {
    if (ctx.request().method() == HttpMethod.HEAD) {
      response.putHeader("Content-Length", Integer.toString(html.getBytes(StandardCharsets.UTF_8).length)).end();
    } else {
      response.end(html);
    }
  }

  private static HttpServerResponse headers(RoutingContext ctx) {
    return ctx.response().putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff")
      .putHeader("Referrer-Policy", "no-referrer");
  }

  private static String digest(String html) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(html.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** Text and attribute values, escaped for HTML. */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
