package io.govmedia.wechat;

import io.govmedia.platform.Input;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An official account's custom menu (自定义菜单), in WeChat's own field names so that a menu copied from WeChat's
 * documentation or from menu/get reads as is, and checked against WeChat's documented limits before any push:
 * 1 to 3 top-level buttons, 1 to 5 sub-buttons each, names of at most 16 bytes (top level) or 60 bytes (sub-buttons)
 * in UTF-8, keys of at most 128 bytes, URLs of at most 1024 bytes.
 */
record Menu(List<Button> buttons) {

  static final int MAX_BUTTONS = 3;
  static final int MAX_SUB_BUTTONS = 5;
  static final int MAX_NAME_BYTES = 16;
  static final int MAX_SUB_NAME_BYTES = 60;
  static final int MAX_KEY_BYTES = 128;
  static final int MAX_URL_BYTES = 1024;
  static final Set<String> TYPES = Set.of("click", "view", "miniprogram");
  private static final Pattern APP_ID = Pattern.compile("wx[0-9a-f]{16}");

  /** A leaf has a type and what that type needs; a button with sub-buttons has a name and nothing else. */
  record Button(String name, String type, String key, String url, String appid, String pagepath, List<Button> subButtons) {

    JsonObject toJson() {
      JsonObject json = new JsonObject().put("name", name);
      if (!subButtons.isEmpty()) {
        JsonArray subs = new JsonArray();
        subButtons.forEach(sub -> subs.add(sub.toJson()));
        return json.put("sub_button", subs);
      }
      json.put("type", type);
      switch (type) {
        case "click" -> json.put("key", key);
        case "view" -> json.put("url", url);
        default -> json.put("url", url).put("appid", appid).put("pagepath", pagepath);
      }
      return json;
    }
  }

  /** The body WeChat's menu/create takes. */
  JsonObject toWeChat() {
    return new JsonObject().put("button", toJson().getJsonArray("buttons"));
  }

  JsonObject toJson() {
    JsonArray array = new JsonArray();
    buttons.forEach(button -> array.add(button.toJson()));
    return new JsonObject().put("buttons", array);
  }

  /** Reads {@code {"buttons": [...]}}, reporting every breach of WeChat's rules to {@code input} by its path. */
  static Menu read(JsonObject body, Input input) {
    List<Button> buttons = new ArrayList<>();
    if (!(body.getValue("buttons") instanceof JsonArray array) || array.isEmpty()) {
      input.error("buttons", "应为 1 到 " + MAX_BUTTONS + " 个一级菜单的数组");
      return new Menu(buttons);
    }
    if (array.size() > MAX_BUTTONS) {
      input.error("buttons[" + MAX_BUTTONS + "]", "一级菜单最多 " + MAX_BUTTONS + " 个");
    }
    for (int i = 0; i < array.size(); i++) {
      Button button = button(array.getValue(i), "buttons[" + i + "]", true, input);
      if (button != null) {
        buttons.add(button);
      }
    }
    return new Menu(List.copyOf(buttons));
  }

  private static Button button(Object value, String path, boolean topLevel, Input input) {
    if (!(value instanceof JsonObject json)) {
      input.error(path, "应为菜单对象");
      return null;
    }
    String name = text(json, path, "name", topLevel ? MAX_NAME_BYTES : MAX_SUB_NAME_BYTES, input);
    Object subs = json.getValue("sub_button");
    // menu/get answers "sub_button": [] on leaves: an empty list means none.
    if (subs != null && !(subs instanceof JsonArray list && list.isEmpty())) {
      if (!topLevel) {
        input.error(path + ".sub_button", "子菜单不能再有下级菜单");
        return null;
      }
      List<Button> children = subButtons(subs, path + ".sub_button", input);
      if (json.getValue("type") != null) {
        input.error(path + ".type", "有子菜单的一级菜单不能设置 type");
      }
      return new Button(name, null, null, null, null, null, children);
    }
    return leaf(json, path, name, input);
  }

  private static List<Button> subButtons(Object value, String path, Input input) {
    if (!(value instanceof JsonArray array)) {
      input.error(path, "应为子菜单数组");
      return List.of();
    }
    if (array.size() > MAX_SUB_BUTTONS) {
      input.error(path + "[" + MAX_SUB_BUTTONS + "]", "每个一级菜单最多 " + MAX_SUB_BUTTONS + " 个子菜单");
    }
    List<Button> children = new ArrayList<>();
    for (int j = 0; j < array.size(); j++) {
      Button child = button(array.getValue(j), path + "[" + j + "]", false, input);
      if (child != null) {
        children.add(child);
      }
    }
    return List.copyOf(children);
  }

  private static Button leaf(JsonObject json, String path, String name, Input input) {
    Object type = json.getValue("type");
    if (!(type instanceof String t) || !TYPES.contains(t)) {
      input.error(path + ".type", type == null ? "没有子菜单的菜单必须设置 type（click / view / miniprogram）"
        : "type 应为 click / view / miniprogram 之一");
      return null;
    }
    return switch (t) {
      case "click" -> new Button(name, t, text(json, path, "key", MAX_KEY_BYTES, input), null, null, null, List.of());
      case "view" -> new Button(name, t, null, url(json, path, input), null, null, List.of());
      default -> new Button(name, t, null, url(json, path, input), appId(json, path, input),
        text(json, path, "pagepath", MAX_URL_BYTES, input), List.of());
    };
  }

  private static String text(JsonObject json, String path, String field, int maxBytes, Input input) {
    Object value = json.getValue(field);
    if (!(value instanceof String s) || s.isBlank()) {
      input.error(path + "." + field, "必填");
      return null;
    }
    if (s.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      input.error(path + "." + field, "不能超过 " + maxBytes + " 个字节（UTF-8 编码，一个汉字占 3 个字节）");
      return null;
    }
    return s;
  }

  private static String url(JsonObject json, String path, Input input) {
    String url = text(json, path, "url", MAX_URL_BYTES, input);
    if (url != null && !isWebUrl(url)) {
      input.error(path + ".url", "应为 http:// 或 https:// 开头的网址");
      return null;
    }
    return url;
  }

  private static String appId(JsonObject json, String path, Input input) {
    String appId = text(json, path, "appid", 64, input);
    if (appId != null && !APP_ID.matcher(appId).matches()) {
      input.error(path + ".appid", "应为小程序的 AppID（wx 加 16 位十六进制字符）");
      return null;
    }
    return appId;
  }

  private static boolean isWebUrl(String url) {
    try {
      URI uri = new URI(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }
}
