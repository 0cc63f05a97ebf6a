package io.govmedia.checks;

import io.govmedia.platform.Problem;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("HTML bodies")
class HtmlBodiesTest {

  private static final String MEDIA = "/media/65b9e0c2a1f4c3d2e1f0a9b8";

  @Test
  @DisplayName("lose scripts and styles with their content, iframes, objects and forms' controls")
  void dropsActiveContent() {
    String clean = HtmlBodies.sanitize("<p>通知</p><script>alert('x')</script><style>p{color:red}</style>"
      + "<iframe src=\"https://evil.example/\">框架内容</iframe><object data=\"x.swf\">插件</object>"
      + "<noscript>请启用脚本</noscript><svg><script>alert(1)</script><text>图</text></svg>"
      + "<textarea>输入</textarea><p>正文</p>");

    assertEquals("<p>通知</p><p>正文</p>", clean);
  }

  @Test
  @DisplayName("lose event handlers, style and class attributes, and keep the elements' text")
  void dropsDangerousAttributes() {
    String clean = HtmlBodies.sanitize("<p onclick=\"steal()\" style=\"color:red\" class=\"x\">段落</p>"
      + "<img src=\"https://www.gov.cn/a.png\" onerror=\"alert(1)\" alt=\"图\">"
      + "<span style=\"font-size:99px\">字</span><div onmouseover=\"x()\">块</div>");

    assertEquals("<p>段落</p><img src=\"https://www.gov.cn/a.png\" alt=\"图\"><span>字</span><div>块</div>", clean);
  }

  @Test
  @DisplayName("remove javascript:, data: and vbscript: URLs however they are disguised, keeping the link text")
  void dropsScriptUrls() {
    String clean = HtmlBodies.sanitize("<a href=\"javascript:alert(1)\">一</a>"
      + "<a href=\"JaVaScRiPt:alert(1)\">二</a>"
      + "<a href=\"jav&#x09;ascript:alert(1)\">三</a>"
      + "<a href=\"  javascript:alert(1)\">四</a>"
      + "<a href=\"vbscript:msgbox(1)\">五</a>"
      + "<img src=\"data:image/png;base64,iVBORw0KGgo=\">"
      + "<a href=\"data:text/html,<script>alert(1)</script>\">六</a>"
      + "<a href=\"//evil.example/\">七</a>"
      + "<a href=\"/admin/delete\">八</a>");

    assertEquals("<a>一</a><a>二</a><a>三</a><a>四</a><a>五</a><img><a>六</a><a>七</a><a>八</a>", clean);
  }

  @Test
  @DisplayName("keep the allowed tags and attributes: headings, lists, tables with spans, figures, links, media")
  void keepsAllowedMarkup() {
    String html = "<h1>标题</h1><h6>小标题</h6><p><strong>粗</strong><em>斜</em><b>b</b><i>i</i><u>u</u><s>s</s>"
      + "H<sub>2</sub>O x<sup>2</sup><br></p><blockquote>引用</blockquote><ul><li>一</li></ul><ol><li>二</li></ol>"
      + "<table><thead><tr><th colspan=\"2\">表头</th></tr></thead><tbody><tr><td rowspan=\"2\">甲</td><td>乙</td></tr>"
      + "</tbody></table><figure><img src=\"" + MEDIA + "\" alt=\"图解\" width=\"640\" height=\"480\">"
      + "<figcaption>图注</figcaption></figure>"
      + "<a href=\"https://www.gov.cn/zhengce/\" title=\"政策\">政策</a><a href=\"mailto:xinxi@example.gov.cn\">来信</a>"
      + "<a href=\"http://www.beijing.gov.cn/\">北京</a><a href=\"" + MEDIA + "\">附件</a>"
      + "<video src=\"" + MEDIA + "\" controls=\"\" poster=\"https://www.gov.cn/p.jpg\"></video>"
      + "<audio src=\"https://www.gov.cn/a.mp3\" controls=\"\"></audio>";

    assertEquals(html, HtmlBodies.sanitize(html));
  }

  @Test
  @DisplayName("keep media sources only on our own /media/ URLs or https, and sizes only as numbers")
  void mediaSources() {
    String clean = HtmlBodies.sanitize("<video src=\"http://cdn.example/v.mp4\" poster=\"/images/p.jpg\" controls>"
      + "</video><audio src=\"" + MEDIA + "/stream\"></audio><img src=\"/media/not-an-id\">"
      + "<img src=\"" + MEDIA + "?size=thumb\" width=\"100;x:expression(1)\" height=\"50%\">"
      + "<td colspan=\"0\">x</td>");

    assertEquals("<video controls=\"\"></video><audio src=\"" + MEDIA + "/stream\"></audio><img>"
      + "<img src=\"" + MEDIA + "?size=thumb\" height=\"50%\">x", clean);
  }

  @Test
  @DisplayName("keep Chinese text and punctuation as characters, not entities, and do not pretty-print")
  void chineseIntact() {
    String html = "<p>关于印发《政务新媒体管理办法》的通知——请各单位认真贯彻执行！「重要」&amp; 100%</p>\n<p>第二段</p>";

    String clean = HtmlBodies.sanitize(html);

    assertEquals(html, clean);
    assertEquals(clean, HtmlBodies.sanitize(clean), "sanitizing twice changes nothing");
  }

  @Test
  @DisplayName("give the reader's text: blocks on their own lines, white space collapsed, cells tab-separated")
  void readerText() {
    String html = "  <h2> 一、总则 </h2><p>第一条\n   为了规范  管理，<br>制定本办法。</p>"
      + "<ul><li>甲</li><li><p>乙</p></li></ul><table><tr><td>单位</td><td> 电话 </td></tr><tr><td>办公厅</td>"
      + "<td>12345</td></tr></table><pre>  保留\n  缩进</pre><p>&lt;不是标签&gt;&nbsp;结束</p><p></p><div><br></div>";

    assertEquals("一、总则\n第一条 为了规范 管理，\n制定本办法。\n甲\n乙\n单位\t电话\n办公厅\t12345\n  保留\n  缩进\n"
      + "<不是标签>\u00a0结束", HtmlBodies.text(html));
    assertEquals("", HtmlBodies.text(""));
    assertEquals("", HtmlBodies.text(null));
    assertEquals("只有文字", HtmlBodies.text("只有文字"));
    assertEquals("前文\n代码", HtmlBodies.text("前文<pre>代码</pre>"));
  }

  @Test
  @DisplayName("leave scripts and styles out of the text even before sanitizing")
  void textSkipsHiddenContent() {
    assertEquals("甲\n乙", HtmlBodies.text("<p>甲</p><script>var 丙 = 1;</script><style>.丁{}</style><p>乙</p>"));
  }

  @Test
  @DisplayName("list links and sources in document order, and place each link's visible text in the reader's text")
  void links() {
    String html = "<p>详见<a href=\"https://www.gov.cn/zhengce/\"> 政策 文件 </a>和<img src=\"https://img.example/a.png\">"
      + "</p><video src=\"" + MEDIA + "\" poster=\"https://img.example/p.jpg\"></video><a href=\"https://x.example/\"></a>";

    HtmlBodies.Rendered rendered = HtmlBodies.render(html);

    assertEquals(List.of("https://www.gov.cn/zhengce/", "https://img.example/a.png", MEDIA,
      "https://img.example/p.jpg", "https://x.example/"), HtmlBodies.links(html));
    HtmlBodies.Link policy = rendered.links().get(0);
    assertEquals("政策 文件", rendered.text().substring(policy.start(), policy.end()));
    assertEquals(-1, rendered.links().get(1).start());
    assertEquals(-1, rendered.links().get(4).start());
    assertEquals("详见 政策 文件 和", rendered.text(), "white space around the link collapses as in a browser");
  }

  @Test
  @DisplayName("give the same text for a body before and after sanitizing when nothing had to go")
  void textStableAcrossSanitizing() {
    String html = "<h3>标题</h3><p>一段<strong>重点</strong>文字，<a href=\"https://www.gov.cn/\">链接</a>。</p>"
      + "<table><tr><td>甲</td><td>乙</td></tr></table>";

    assertEquals(HtmlBodies.text(html), HtmlBodies.text(HtmlBodies.sanitize(html)));
    assertFalse(HtmlBodies.sanitize(html).contains("\n"));
    assertTrue(HtmlBodies.text(html).startsWith("标题\n"));
  }

  @Test
  @DisplayName("keep a body nested 64 levels deep and refuse one nested 65 levels with 422 body-too-complex naming the depth")
  void depthLimit() {
    String deepest = "<div>".repeat(HtmlBodies.MAX_DEPTH) + "正文" + "</div>".repeat(HtmlBodies.MAX_DEPTH);
    assertEquals("正文", HtmlBodies.prepare(deepest).text());

    Problem refused = assertThrows(Problem.class, () -> HtmlBodies.prepare("<ul><li>".repeat(33) + "正文"));
    assertEquals(422, refused.status());
    assertEquals("body-too-complex", refused.code());
    assertEquals("depth", refused.extensions().getString("limit"));
    assertEquals(HtmlBodies.MAX_DEPTH, refused.extensions().getInteger("max"));
    assertTrue(refused.getMessage().contains("66 层"), refused.getMessage());
  }

  @Test
  @DisplayName("keep a body of 20,000 elements and refuse 20,001 with 422 body-too-complex naming the element count")
  void elementLimit() {
    assertEquals(HtmlBodies.MAX_ELEMENTS, HtmlBodies.prepare("<p>段</p>".repeat(HtmlBodies.MAX_ELEMENTS)).html()
      .split("<p>", -1).length - 1);

    Problem refused = assertThrows(Problem.class, () -> HtmlBodies.sanitize("<br>".repeat(HtmlBodies.MAX_ELEMENTS + 1)));
    assertEquals("body-too-complex", refused.code());
    assertEquals("elements", refused.extensions().getString("limit"));
  }

  @Test
  @DisplayName("count elements a parser makes, not tag-like text: 30,000 escaped tags in a paragraph are plain text")
  void escapedTagsAreText() {
    String text = "&lt;div&gt;".repeat(30_000);

    assertEquals("<div>".repeat(30_000), HtmlBodies.prepare("<p>" + text + "</p>").text());
  }
}
