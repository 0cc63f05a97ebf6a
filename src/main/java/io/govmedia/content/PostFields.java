package io.govmedia.content;

import io.govmedia.media.AssetIds;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Input;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an editor writes of a post: its title, an optional source and body, and a variant per channel. A variant
 * given in an edit replaces the stored one whole, so all its required fields come again. The WeChat article's HTML
 * becomes the post's body. Lengths are WeChat's (title 64, author 16, digest 120); the Weibo text's length as Weibo
 * counts it is checked with the references ({@link PostReferences}), as a 422 that tells the count.
 */
final class PostFields {

  static final int WECHAT_TITLE = 64;
  static final int WECHAT_AUTHOR = 16;
  static final int WECHAT_DIGEST = 120;
  static final int SOURCE_URL = 1024;
  /** Far above what fits in a status: the real limit is Weibo's count, answered with the count itself. */
  static final int WEIBO_TEXT = 2000;

  private PostFields() {
  }

  static ItemFields read(Input input, boolean creating) {
    String title = ItemFields.text(input, "title", 200, creating);
    String sourceId = null;
    if (creating) {
      sourceId = input.optionalMatching("sourceId", Ids.FORMAT, "政策文件或解读 id");
    } else if (input.has("sourceId")) {
      input.error("sourceId", "推送的来源不可更改");
    }
    String departmentId = input.optionalMatching("departmentId", Ids.FORMAT, "部门 id");
    String body = ItemFields.body(input, false);
    JsonObject wechatJson = input.optionalObject("wechat");
    JsonObject weiboJson = input.optionalObject("weibo");
    JsonObject miniapp = input.optionalObject("miniapp");
    input.validate();
    Input variants = Input.of(prefixed(wechatJson, weiboJson));
    Attrs.WeChat wechat = wechatJson == null ? null : wechat(variants);
    String html = wechatJson == null ? null : variants.text("wechat.html", ItemFields.MAX_BODY_CHARS);
    Attrs.Weibo weibo = weiboJson == null ? null : new Attrs.Weibo(variants.text("weibo.text", WEIBO_TEXT),
      variants.optionalMatching("weibo.pictureAssetId", AssetIds.FORMAT, "图片素材 id"));
    variants.validate();
    Attrs.PostInfo post = new Attrs.PostInfo(sourceId, null, null, wechat, weibo, miniapp == null ? null : true);
    return new ItemFields(title, html != null ? html : body, null, departmentId, Attrs.NONE.withPost(post));
  }

  private static Attrs.WeChat wechat(Input input) {
    String sourceUrl = input.optionalString("wechat.sourceUrl", SOURCE_URL);
    if (sourceUrl != null && !webAddress(sourceUrl)) {
      input.error("wechat.sourceUrl", "应为 http 或 https 网址");
    }
    Boolean commentsOpen = input.optionalBoolean("wechat.commentsOpen");
    return new Attrs.WeChat(input.string("wechat.title", WECHAT_TITLE), input.string("wechat.author", WECHAT_AUTHOR),
      input.text("wechat.digest", WECHAT_DIGEST), input.matching("wechat.coverAssetId", AssetIds.FORMAT, "图片素材 id"),
      sourceUrl, Boolean.TRUE.equals(commentsOpen));
  }

  /** The variants' members under their dotted names, so that a problem names {@code wechat.title}. */
  private static JsonObject prefixed(JsonObject wechat, JsonObject weibo) {
    JsonObject flat = new JsonObject();
    if (wechat != null) {
      wechat.forEach(member -> flat.put("wechat." + member.getKey(), member.getValue()));
    }
    if (weibo != null) {
      weibo.forEach(member -> flat.put("weibo." + member.getKey(), member.getValue()));
    }
    return flat;
  }

  private static boolean webAddress(String value) {
    try {
      URI uri = new URI(value);
      return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
        && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** The variants' short texts, checked like title and body (a wrong leader's title in a digest also blocks). */
  static Map<String, String> checkedFields(Attrs.PostInfo post) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (post.wechat() != null) {
      fields.put("wechat.title", post.wechat().title());
      fields.put("wechat.digest", post.wechat().digest());
      fields.put("wechat.author", post.wechat().author());
    }
    if (post.weibo() != null) {
      fields.put("weibo.text", post.weibo().text());
    }
    return fields;
  }
}
