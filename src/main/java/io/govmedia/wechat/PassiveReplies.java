package io.govmedia.wechat;

import io.govmedia.platform.Input;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The passive replies an auto-reply sends: text, an image by its permanent media id, or an article card. Each
 * renders WeChat's reply XML; {@link #read} checks staff input against WeChat's limits, so a stored reply always
 * renders to something WeChat accepts.
 */
final class PassiveReplies {

  static final Set<String> TYPES = Set.of("text", "image", "news");
  static final int TEXT_MAX_CHARS = 600;
  /** WeChat cuts text replies longer than 2048 bytes of UTF-8. */
  static final int TEXT_MAX_BYTES = 2048;
  static final Pattern MEDIA_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  /**
   * WeChat's XML allows up to 8 articles, but since October 2018 a passive news reply shows only the first one,
   * so more than one would be silently dropped in front of the citizen: accept exactly one.
   */
  static final int MAX_ARTICLES = 1;
  static final int TITLE_MAX = 64;
  static final int DESCRIPTION_MAX = 120;
  static final int URL_MAX = 1024;

  private PassiveReplies() {
  }

  /** A reply as a rule stores it. */
  public sealed interface Stored extends PassiveReply permits Text, Image, News {

    String type();

    JsonObject toJson();

    default Document toDocument() {
      return Document.parse(toJson().encode());
    }
  }

  public record Text(String content) implements Stored {

    @Override
    public String type() {
      return "text";
    }

    @Override
    public String toXml(String toUser, String fromUser, long createTime) {
      return envelope(toUser, fromUser, createTime, type(), element("Content", content));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("type", type()).put("content", content);
    }
  }

  public record Image(String mediaId) implements Stored {

    @Override
    public String type() {
      return "image";
    }

    @Override
    public String toXml(String toUser, String fromUser, long createTime) {
      return envelope(toUser, fromUser, createTime, type(), "<Image>" + element("MediaId", mediaId) + "</Image>");
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("type", type()).put("mediaId", mediaId);
    }
  }

  public record News(List<Article> articles) implements Stored {

    public News {
      articles = List.copyOf(articles);
    }

    @Override
    public String type() {
      return "news";
    }

    @Override
    public String toXml(String toUser, String fromUser, long createTime) {
      StringBuilder items = new StringBuilder();
      articles.forEach(article -> items.append(article.toXml()));
      return envelope(toUser, fromUser, createTime, type(),
        "<ArticleCount>" + articles.size() + "</ArticleCount><Articles>" + items + "</Articles>");
    }

    @Override
    public JsonObject toJson() {
      JsonArray array = new JsonArray();
      articles.forEach(article -> array.add(article.toJson()));
      return new JsonObject().put("type", type()).put("articles", array);
    }
  }

  /** One article card; description and picture are optional. */
  public record Article(String title, String description, String picUrl, String url) {

    String toXml() {
      return "<item>" + element("Title", title) + element("Description", nullToEmpty(description))
        + element("PicUrl", nullToEmpty(picUrl)) + element("Url", url) + "</item>";
    }

    JsonObject toJson() {
      return new JsonObject().put("title", title).put("description", description).put("picUrl", picUrl).put("url", url);
    }
  }

  static Stored from(Document d) {
    return switch (d.getString("type")) {
      case "text" -> new Text(d.getString("content"));
      case "image" -> new Image(d.getString("mediaId"));
      case "news" -> new News(d.getList("articles", Document.class).stream()
        .map(a -> new Article(a.getString("title"), a.getString("description"), a.getString("picUrl"), a.getString("url")))
        .toList());
      default -> throw new IllegalStateException("unknown stored reply type " + d.getString("type"));
    };
  }

  /**
   * The reply a request describes, or null with every problem reported to {@code input} under
   * {@code field} ("reply.content", "reply.articles[0].url", …).
   */
  static Stored read(Input input, String field, Object value) {
    if (!(value instanceof JsonObject json)) {
      input.error(field, value == null ? "必填" : "应为 JSON 对象");
      return null;
    }
    Object type = json.getValue("type");
    if (!(type instanceof String name) || !TYPES.contains(name)) {
      input.error(field + ".type", "取值应为 image / news / text 之一");
      return null;
    }
    return switch (name) {
      case "text" -> {
        String content = content(input, field + ".content", json.getValue("content"));
        yield content == null ? null : new Text(content);
      }
      case "image" -> {
        String mediaId = mediaId(input, field + ".mediaId", json.getValue("mediaId"));
        yield mediaId == null ? null : new Image(mediaId);
      }
      default -> news(input, field + ".articles", json.getValue("articles"));
    };
  }

  /** A text reply's content within WeChat's limits, or null with the problem reported under {@code field}. */
  static String content(Input input, String field, Object value) {
    String text = text(input, field, value, TEXT_MAX_CHARS, true);
    if (text != null && text.getBytes(StandardCharsets.UTF_8).length > TEXT_MAX_BYTES) {
      input.error(field, "超过微信文本消息的长度上限（UTF-8 编码 " + TEXT_MAX_BYTES + " 字节）");
      return null;
    }
    return text;
  }

  private static String mediaId(Input input, String field, Object value) {
    String text = text(input, field, value, 128, true);
    if (text != null && !MEDIA_ID.matcher(text).matches()) {
      input.error(field, "格式不正确，应为永久素材的 media_id（字母、数字、_ 或 -，至多 128 位）");
      return null;
    }
    return text;
  }

  private static News news(Input input, String field, Object value) {
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      input.error(field, value == null ? "必填" : "应为非空数组");
      return null;
    }
    if (array.size() > MAX_ARTICLES) {
      input.error(field, "被动回复的图文消息只显示 " + MAX_ARTICLES + " 篇，请只提供 " + MAX_ARTICLES + " 篇");
      return null;
    }
    List<Article> articles = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String item = field + "[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject article)) {
        input.error(item, "应为 JSON 对象");
        return null;
      }
      articles.add(new Article(text(input, item + ".title", article.getValue("title"), TITLE_MAX, true),
        text(input, item + ".description", article.getValue("description"), DESCRIPTION_MAX, false),
        url(input, item + ".picUrl", article.getValue("picUrl"), false),
        url(input, item + ".url", article.getValue("url"), true)));
    }
    return articles.stream().anyMatch(a -> a.title() == null || a.url() == null) ? null : new News(articles);
  }

  private static String text(Input input, String field, Object value, int maxChars, boolean required) {
    if (value == null) {
      if (required) {
        input.error(field, "必填");
      }
      return null;
    }
    String text = value instanceof String s ? s.strip() : null;
    String problem = text == null ? "应为字符串" : text.isEmpty() ? "不能为空"
      : text.codePointCount(0, text.length()) > maxChars ? "长度不能超过 " + maxChars + " 个字符"
      : !xmlSafe(text) ? "含有不可显示的控制字符" : null;
    if (problem != null) {
      input.error(field, problem);
      return null;
    }
    return text;
  }

  private static String url(Input input, String field, Object value, boolean required) {
    String text = text(input, field, value, URL_MAX, required);
    if (text != null && !isWebUrl(text)) {
      input.error(field, "应为 http:// 或 https:// 开头的网址");
      return null;
    }
    return text;
  }

  static boolean isWebUrl(String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** XML 1.0 forbids most control characters even inside CDATA; a reply holding one would not parse. */
  static boolean xmlSafe(String text) {
    return text.codePoints().allMatch(PassiveReplies::xmlChar);
  }

  private static boolean xmlChar(int c) {
    return c == 0x9 || c == 0xA || c == 0xD || c >= 0x20 && c <= 0xD7FF || c >= 0xE000 && c <= 0xFFFD
      || c >= 0x10000 && c <= 0x10FFFF;
  }

  private static String envelope(String toUser, String fromUser, long createTime, String msgType, String body) {
    return "<xml>" + element("ToUserName", toUser) + element("FromUserName", fromUser)
      + "<CreateTime>" + createTime + "</CreateTime>" + element("MsgType", msgType) + body + "</xml>";
  }

  private static String element(String name, String text) {
    return "<" + name + ">" + cdata(text) + "</" + name + ">";
  }

  /**
   * A CDATA section cannot contain "]]>": end the section between "]]" and ">" and open a new one. Characters XML
   * cannot carry at all are dropped rather than breaking the whole reply.
   */
  static String cdata(String text) {
    StringBuilder safe = new StringBuilder(text.length());
    text.codePoints().filter(PassiveReplies::xmlChar).forEach(safe::appendCodePoint);
    return "<![CDATA[" + safe.toString().replace("]]>", "]]]]><![CDATA[>") + "]]>";
  }

  private static String nullToEmpty(String text) {
    return text == null ? "" : text;
  }
}
