package io.govmedia.weibo;

import io.vertx.ext.web.RoutingContext;

/**
 * The small pages an admin's browser lands on after Weibo's authorization. The URL carries the code and the state:
 * nothing is cached, and no referrer leaves the page.
 */
final class WeiboPages {

  private WeiboPages() {
  }

  static void reply(RoutingContext ctx, int status, String heading, String text) {
    String html = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
      + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + escape(heading)
      + "</title></head><body style=\"font-family:sans-serif;max-width:32em;margin:3em auto;padding:0 1em\"><h1>"
      + escape(heading) + "</h1><p>" + escape(text) + "</p></body></html>";
    ctx.response().setStatusCode(status)
      .putHeader("Content-Type", "text/html; charset=utf-8")
      .putHeader("Cache-Control", "no-store")
      .putHeader("Referrer-Policy", "no-referrer")
      .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
      .end(html);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
