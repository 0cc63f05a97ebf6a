package io.govmedia.checks;

import io.govmedia.platform.Problem;
import io.govmedia.media.AssetIds;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The HTML bodies of documents, interpretations and posts. {@link #sanitize} keeps an allow-list of tags and
 * attributes on save, so every channel can trust a stored body; {@link #text} is what a reader sees, used by the
 * content checks, search and highlighting; {@link #links} the URLs the body points at.
 *
 * <p>Positions: a {@link Finding} with field "body" has {@code start} and {@code end} as UTF-16 offsets into
 * {@code text(sanitize(html))}, that is {@code text} of the body as stored. {@code text} is deterministic, and
 * {@code sanitize} is idempotent, so the same stored body always gives the same positions.
 *
 * <p>Allowed: p, br, h1–h6, strong, em, b, i, u, s, sub, sup, blockquote, ul, ol, li, table, caption, thead,
 * tbody, tfoot, tr, th and td (colspan, rowspan), a (href, title), img (src, alt, width, height), figure,
 * figcaption, span, div, pre, code, video and audio (src, controls, poster). No style, class or event attribute
 * survives; script, style, iframe, object, embed and similar elements go with their content. URLs: links may be
 * http, https or mailto; images http or https; video, audio and posters https; all of them may also be our own
 * media, {@code /media/{id}}. Anything else ({@code javascript:}, {@code data:}, {@code vbscript:}, other
 * relative paths, protocol-relative {@code //host}) loses the attribute.
 *
 * <p>Limits: jsoup's {@link Cleaner} takes time quadratic in the nesting depth (100,000 nested {@code div}, 500 KB,
 * took 30 s), so a body nested deeper than {@value #MAX_DEPTH} levels or with more than {@value #MAX_ELEMENTS}
 * elements is refused (422 {@code body-too-complex}) before the Cleaner runs. The check is linear: a scan that
 * counts start tags refuses most such bodies before parsing, and a walk of the parsed tree (jsoup's parser is
 * linear, about 2 ms per 1,000 elements) measures the real depth. Real policy documents nest fewer than 20
 * levels. Everything here blocks for up to tens of milliseconds: callers on an event loop go through
 * {@link ContentChecks#prepare}, which runs it on a worker.
 */
public final class HtmlBodies {

  private static final Set<String> DROPPED_WITH_CONTENT = Set.of("script", "style", "iframe", "frame", "frameset",
    "object", "embed", "applet", "noscript", "template", "svg", "math", "textarea", "select", "title", "head",
    "base", "link", "meta");
  private static final Set<String> BLOCKS = Set.of("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "ul", "ol", "li", "table", "caption", "thead", "tbody", "tfoot", "tr", "figure", "figcaption", "pre", "hr",
    "section", "article", "header", "footer", "aside", "nav", "address", "dl", "dt", "dd", "main", "video", "audio");
  private static final List<String> URL_ATTRIBUTES = List.of("href", "src", "poster");
  private static final Pattern OWN_MEDIA = Pattern.compile("/media/(?:" + AssetIds.FORMAT.pattern() + ")"
    + "(?:/[A-Za-z0-9._-]{1,64})?(?:\\?[A-Za-z0-9=&._-]{0,200})?");
  private static final Pattern SIZE = Pattern.compile("[0-9]{1,5}%?");
  private static final Pattern SPAN = Pattern.compile("[1-9][0-9]{0,2}");
  private static final int MAX_URL_LENGTH = 2048;
  private static final Safelist SAFELIST = new BodySafelist();
  private static final Document.OutputSettings OUTPUT = new Document.OutputSettings().prettyPrint(false);

  /** The deepest nesting of elements accepted, counted from the body's children (1). */
  public static final int MAX_DEPTH = 64;
  /** The most elements (tags) a body may have. */
  public static final int MAX_ELEMENTS = 20_000;

  /** A body as stored: the sanitized HTML and what a reader sees of it ({@link #text} of that HTML). */
  public record Body(String html, String text) {

    /** Whether nothing is left to show: no text, no image, video or audio. */
    public boolean blank() {
      return text.isBlank() && !html.contains("<img") && !html.contains("<video") && !html.contains("<audio");
    }
  }

  /** A URL the body points at; for a link with visible text, where that text is in {@link #text}, else -1. */
  record Link(String url, int start, int end) {}

  /** The reader's text of a body and its links, from one parse. */
  record Rendered(String text, List<Link> links) {}

  private HtmlBodies() {
  }

  /**
   * Sanitizes the body and renders its text, for storing both. Fails with 422 {@code body-too-complex} past the
   * limits. Blocking.
   */
  public static Body prepare(String html) {
    String clean = sanitize(html);
    return new Body(clean, text(clean));
  }

  /**
   * The body with only allowed tags, attributes and URLs left; not pretty-printed. Idempotent. Fails with 422
   * {@code body-too-complex} past the limits. Blocking.
   */
  public static String sanitize(String html) {
    if (html == null || html.isEmpty()) {
      return "";
    }
    Document dirty = parseWithinLimits(html);
    dirty.body().select(String.join(",", DROPPED_WITH_CONTENT)).remove();
    Document clean = new Cleaner(SAFELIST).clean(dirty);
    clean.outputSettings(OUTPUT.clone());
    return clean.body().html();
  }

  /**
   * What a reader sees: the text with runs of HTML white space collapsed to one space (inside {@code pre} kept as
   * written), block elements and {@code br} on lines of their own, table cells separated by a tab. Text in
   * elements that never show (scripts, styles…) is left out, and so are image alt texts. No leading or trailing
   * white space.
   */
  public static String text(String html) {
    return render(html).text();
  }

  /** Every href, src and poster value in the body, in document order, as written. */
  public static List<String> links(String html) {
    return render(html).links().stream().map(Link::url).toList();
  }

  static Rendered render(String html) {
    if (html == null || html.isEmpty()) {
      return new Rendered("", List.of());
    }
    TextWriter writer = new TextWriter();
    NodeTraversor.filter(writer, Jsoup.parseBodyFragment(html).body());
    return writer.result();
  }

  /** Parses a body no deeper and no larger than the limits; see the class comment. */
  private static Document parseWithinLimits(String html) {
    int tags = startTags(html);
    if (tags > MAX_ELEMENTS) {
      throw tooComplex("elements", MAX_ELEMENTS, "正文含 " + tags + " 个标签，超过上限 " + MAX_ELEMENTS + " 个。");
    }
    Document parsed = Jsoup.parseBodyFragment(html);
    int[] deepest = {0};
    int[] elements = {0};
    NodeTraversor.traverse((NodeVisitor) (node, depth) -> {
      if (node instanceof Element) {
        elements[0]++;
        deepest[0] = Math.max(deepest[0], depth);
      }
    }, parsed.body());
    if (deepest[0] > MAX_DEPTH) {
      throw tooComplex("depth", MAX_DEPTH, "正文嵌套 " + deepest[0] + " 层，超过上限 " + MAX_DEPTH + " 层。");
    }
    if (elements[0] - 1 > MAX_ELEMENTS) {
      throw tooComplex("elements", MAX_ELEMENTS, "正文含 " + (elements[0] - 1) + " 个元素，超过上限 " + MAX_ELEMENTS + " 个。");
    }
    return parsed;
  }

  /** Start tags ({@code <} and a letter): at least as many as the elements a parser makes of them, bar implied ones. */
  private static int startTags(String html) {
    int count = 0;
    for (int i = html.indexOf('<'); i >= 0 && i + 1 < html.length(); i = html.indexOf('<', i + 1)) {
      char next = html.charAt(i + 1);
      if (next >= 'a' && next <= 'z' || next >= 'A' && next <= 'Z') {
        count++;
      }
    }
    return count;
  }

  private static Problem tooComplex(String limit, int max, String detail) {
    return new Problem(422, "body-too-complex", "正文结构过于复杂", detail + "请简化排版（如去除多余的嵌套）后重试。")
      .with("limit", limit).with("max", max);
  }

  /** Static URL rules per tag and attribute; the Cleaner asks about every attribute of every allowed element. */
  private static final class BodySafelist extends Safelist {

    BodySafelist() {
      addTags("p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "sub", "sup",
        "blockquote", "ul", "ol", "li", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "a", "img",
        "figure", "figcaption", "span", "div", "pre", "code", "video", "audio");
      addAttributes("a", "href", "title");
      addAttributes("img", "src", "alt", "width", "height");
      addAttributes("th", "colspan", "rowspan");
      addAttributes("td", "colspan", "rowspan");
      addAttributes("video", "src", "controls", "poster");
      addAttributes("audio", "src", "controls");
    }

    @Override
    public boolean isSafeAttribute(String tagName, Element element, Attribute attribute) {
      if (!super.isSafeAttribute(tagName, element, attribute)) {
        return false;
      }
      String key = attribute.getKey().toLowerCase(Locale.ROOT);
      String value = attribute.getValue();
      return switch (key) {
        case "href", "src", "poster" -> allowedUrl(tagName, key, value);
        case "width", "height" -> SIZE.matcher(value.strip()).matches();
        case "colspan", "rowspan" -> SPAN.matcher(value.strip()).matches();
        case "controls" -> true;
        default -> value.length() <= 500;
      };
    }

    private static boolean allowedUrl(String tag, String attribute, String value) {
      String url = value.strip();
      if (url.isEmpty() || url.length() > MAX_URL_LENGTH || url.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
        return false;
      }
      if (OWN_MEDIA.matcher(url).matches()) {
        return true;
      }
      String lower = url.toLowerCase(Locale.ROOT);
      boolean https = lower.startsWith("https://") && url.length() > 8;
      boolean http = lower.startsWith("http://") && url.length() > 7;
      return switch (tag) {
        case "a" -> https || http || lower.startsWith("mailto:") && url.length() > 7;
        case "img" -> https || http;
        default -> https; // video, audio, posters
      };
    }
  }

  /**
   * Writes the reader's text while walking the tree. White space is held back as a pending separator and only
   * written before the next visible character, so no line starts or ends with a space.
   */
  private static final class TextWriter implements NodeFilter {
    private final StringBuilder out = new StringBuilder();
    private final List<Link> links = new ArrayList<>();
    private final Deque<int[]> anchors = new ArrayDeque<>();
    private char pending;
    private int preDepth;

    @Override
    public FilterResult head(Node node, int depth) {
      if (node instanceof TextNode text) {
        write(text.getWholeText());
        return FilterResult.CONTINUE;
      }
      if (!(node instanceof Element element)) {
        return FilterResult.CONTINUE;
      }
      String tag = element.normalName();
      if (DROPPED_WITH_CONTENT.contains(tag)) {
        return FilterResult.SKIP_ENTIRELY;
      }
      switch (tag) {
        case "br" -> lineBreak();
        case "pre" -> {
          newline();
          preDepth++;
        }
        case "td", "th" -> separate('\t');
        case "a" -> anchors.push(new int[] {-1, -1});
        default -> {
          if (BLOCKS.contains(tag)) {
            newline();
          }
        }
      }
      for (String key : URL_ATTRIBUTES) {
        if (element.hasAttr(key) && !(tag.equals("a") && key.equals("href"))) {
          links.add(new Link(element.attr(key).strip(), -1, -1));
        }
      }
      if (tag.equals("a") && element.hasAttr("href")) {
        links.add(null); // placeholder, filled in at the tail with where the anchor's text went
        anchors.peek()[1] = links.size() - 1;
      }
      return FilterResult.CONTINUE;
    }

    @Override
    public FilterResult tail(Node node, int depth) {
      if (!(node instanceof Element element)) {
        return FilterResult.CONTINUE;
      }
      String tag = element.normalName();
      if (tag.equals("pre")) {
        preDepth--;
      }
      if (tag.equals("a")) {
        int[] anchor = anchors.pop();
        if (anchor[1] >= 0) {
          int start = anchor[0];
          links.set(anchor[1], new Link(element.attr("href").strip(), start, start < 0 ? -1 : lastVisibleEnd()));
        }
      } else if (BLOCKS.contains(tag)) {
        newline();
      }
      return FilterResult.CONTINUE;
    }

    private void write(String text) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (preDepth == 0 && isHtmlWhitespace(c)) {
          separate(' ');
          continue;
        }
        if (preDepth > 0 && (c == '\n' || c == '\r')) {
          if (c == '\n') {
            lineBreak();
          }
          continue;
        }
        if (pending != 0) {
          out.append(pending);
          pending = 0;
        }
        for (int[] anchor : anchors) {
          if (anchor[0] < 0) {
            anchor[0] = out.length();
          }
        }
        out.append(c);
      }
    }

    /** A space or tab before the next visible character, unless a line starts there anyway. */
    private void separate(char separator) {
      if (out.length() > 0 && out.charAt(out.length() - 1) != '\n' && pending != '\t') {
        pending = separator;
      }
    }

    /** A block starts or ends: a new line, unless the current one is still empty. */
    private void newline() {
      pending = 0;
      if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
        out.append('\n');
      }
    }

    /** br, or a line break inside pre: always a new line (two make an empty one), but none before any text. */
    private void lineBreak() {
      pending = 0;
      if (out.length() > 0) {
        out.append('\n');
      }
    }

    private int lastVisibleEnd() {
      int end = out.length();
      while (end > 0 && out.charAt(end - 1) == '\n') {
        end--;
      }
      return end;
    }

    private static boolean isHtmlWhitespace(char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }

    Rendered result() {
      int end = lastVisibleEnd();
      return new Rendered(out.substring(0, end), List.copyOf(links));
    }
  }
}
