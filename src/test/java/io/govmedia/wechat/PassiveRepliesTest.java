package io.govmedia.wechat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("Passive replies as WeChat reads them")
class PassiveRepliesTest {

  private static final String CITIZEN = "oABC123_citizen";
  private static final String ACCOUNT = "gh_0123456789ab";
  private static final long NOW = 1_760_000_000L;

  @Test
  @DisplayName("a text reply is exactly WeChat's text reply XML")
  void textLayout() {
    String xml = new PassiveReplies.Text("您好").toXml(CITIZEN, ACCOUNT, NOW);

    assertEquals("<xml><ToUserName><![CDATA[oABC123_citizen]]></ToUserName>"
      + "<FromUserName><![CDATA[gh_0123456789ab]]></FromUserName><CreateTime>1760000000</CreateTime>"
      + "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[您好]]></Content></xml>", xml);
  }

  @Test
  @DisplayName("Chinese text, line breaks and links reach the citizen unchanged")
  void chineseIntact() throws Exception {
    String content = "欢迎关注！\n办事指南请点击：<a href=\"https://www.example.gov.cn/?a=1&b=2\">这里</a> 😀";

    Element xml = parse(new PassiveReplies.Text(content).toXml(CITIZEN, ACCOUNT, NOW));

    assertEquals(CITIZEN, text(xml, "ToUserName"));
    assertEquals(ACCOUNT, text(xml, "FromUserName"));
    assertEquals("1760000000", text(xml, "CreateTime"));
    assertEquals("text", text(xml, "MsgType"));
    assertEquals(content, text(xml, "Content"));
  }

  @Test
  @DisplayName("text holding \"]]>\" cannot end the CDATA section early")
  void cdataEscaped() throws Exception {
    String content = "a]]>b]]]]>c<![CDATA[d]]>";

    String raw = new PassiveReplies.Text(content).toXml(CITIZEN, ACCOUNT, NOW);
    Element xml = parse(raw);

    assertEquals(content, text(xml, "Content"));
    assertEquals(1, xml.getElementsByTagName("Content").getLength());
    assertEquals("<![CDATA[]]]]><![CDATA[>]]>", PassiveReplies.cdata("]]>"));
  }

  @Test
  @DisplayName("characters XML cannot carry are dropped rather than breaking the reply")
  void controlCharactersDropped() throws Exception {
    Element xml = parse(new PassiveReplies.Text("办\u0000事\u0007指\u001F南").toXml(CITIZEN, ACCOUNT, NOW));

    assertEquals("办事指南", text(xml, "Content"));
  }

  @Test
  @DisplayName("an image reply names its media id inside <Image>")
  void image() throws Exception {
    Element xml = parse(new PassiveReplies.Image("MEDIA_id-123").toXml(CITIZEN, ACCOUNT, NOW));

    assertEquals("image", text(xml, "MsgType"));
    Element image = (Element) xml.getElementsByTagName("Image").item(0);
    assertEquals("MEDIA_id-123", text(image, "MediaId"));
  }

  @Test
  @DisplayName("a news reply counts its articles and gives each a title, description, picture and link")
  void news() throws Exception {
    PassiveReplies.News news = new PassiveReplies.News(List.of(
      new PassiveReplies.Article("2025年社保缴费指南", "一图读懂]]>缴费流程", "https://mmbiz.qpic.cn/a.jpg",
        "https://mp.weixin.qq.com/s/abc?x=1&y=2"),
      new PassiveReplies.Article("无图无摘要", null, null, "http://www.example.gov.cn/")));

    Element xml = parse(news.toXml(CITIZEN, ACCOUNT, NOW));

    assertEquals("news", text(xml, "MsgType"));
    assertEquals("2", text(xml, "ArticleCount"));
    Element articles = (Element) xml.getElementsByTagName("Articles").item(0);
    assertEquals(2, articles.getElementsByTagName("item").getLength());
    Element first = (Element) articles.getElementsByTagName("item").item(0);
    assertEquals("2025年社保缴费指南", text(first, "Title"));
    assertEquals("一图读懂]]>缴费流程", text(first, "Description"));
    assertEquals("https://mmbiz.qpic.cn/a.jpg", text(first, "PicUrl"));
    assertEquals("https://mp.weixin.qq.com/s/abc?x=1&y=2", text(first, "Url"));
    Element second = (Element) articles.getElementsByTagName("item").item(1);
    assertEquals("", text(second, "Description"));
    assertEquals("", text(second, "PicUrl"));
  }

  @Test
  @DisplayName("a stored reply reads back as the same reply")
  void storedRoundTrip() {
    List<PassiveReplies.Stored> replies = List.of(new PassiveReplies.Text("您好"), new PassiveReplies.Image("m1"),
      new PassiveReplies.News(List.of(new PassiveReplies.Article("标题", null, null, "https://example.gov.cn/"))));

    for (PassiveReplies.Stored reply : replies) {
      assertEquals(reply, PassiveReplies.from(reply.toDocument()));
    }
  }

  /** Parses the way a careful receiver does: no DOCTYPE, no external entities. */
  static Element parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setExpandEntityReferences(false);
    Document document = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    Element root = document.getDocumentElement();
    assertEquals("xml", root.getTagName());
    return root;
  }

  private static String text(Element parent, String tag) {
    assertEquals(1, parent.getElementsByTagName(tag).getLength(), tag + " should appear once in " + parent.getTagName());
    return parent.getElementsByTagName(tag).item(0).getTextContent();
  }
}
