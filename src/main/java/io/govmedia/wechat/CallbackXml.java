package io.govmedia.wechat;

import io.govmedia.platform.Problem;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads the small XML documents WeChat pushes. A DOCTYPE or an entity reference is refused outright, so no
 * external entity is ever resolved (XXE); depth and size are capped. Element text (CDATA or not) becomes a
 * string field; nested elements become nested documents, repeated ones a list. Public for the mini-program's
 * message push, whose XML is read the same way.
 */
public final class CallbackXml {

  /** XML that is malformed, hostile, or lacks what a callback must carry. */
  public static final class XmlException extends Exception {
    XmlException(String message) {
      super(message, null, false, false);
    }
  }

  private static final int MAX_DEPTH = 8;
  private static final int MAX_ELEMENTS = 1000;
  private static final XMLInputFactory FACTORY = factory();

  private CallbackXml() {
  }

  /** The fields under the root element. */
  public static Document parse(String xml) throws XmlException {
    XMLStreamReader reader = null;
    try {
      reader = FACTORY.createXMLStreamReader(new StringReader(xml));
      Deque<Document> open = new ArrayDeque<>();
      Deque<String> names = new ArrayDeque<>();
      Deque<StringBuilder> texts = new ArrayDeque<>();
      Document root = null;
      int elements = 0;
      while (reader.hasNext()) {
        int event = reader.next();
        switch (event) {
          case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.ENTITY_DECLARATION ->
            throw new XmlException("DOCTYPE and entities are not accepted");
          case XMLStreamConstants.START_ELEMENT -> {
            if (++elements > MAX_ELEMENTS || open.size() >= MAX_DEPTH) {
              throw new XmlException("XML too large or too deep");
            }
            open.push(new Document());
            names.push(reader.getLocalName());
            texts.push(new StringBuilder());
          }
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
            if (!texts.isEmpty()) {
              texts.peek().append(reader.getText());
            }
          }
          case XMLStreamConstants.END_ELEMENT -> {
            Document element = open.pop();
            String name = names.pop();
            String text = texts.pop().toString();
            Object value = element.isEmpty() ? text.strip() : element;
            if (open.isEmpty()) {
              root = element;
            } else {
              add(open.peek(), name, value);
            }
          }
          default -> {
            // comments, processing instructions, document start/end
          }
        }
      }
      if (root == null) {
        throw new XmlException("no root element");
      }
      return root;
    } catch (XMLStreamException | RuntimeException e) {
      throw new XmlException("malformed XML");
    } finally {
      close(reader);
    }
  }

  /** A pushed message or event, with the fields every callback must carry. */
  static InboundMessage message(Document fields, String xml) throws XmlException {
    String toUser = text(fields, "ToUserName");
    String fromUser = text(fields, "FromUserName");
    String msgType = text(fields, "MsgType");
    String createTime = text(fields, "CreateTime");
    if (toUser == null || fromUser == null || msgType == null || createTime == null || !createTime.matches("\\d{1,12}")) {
      throw new XmlException("ToUserName, FromUserName, CreateTime and MsgType are required");
    }
    String msgId = text(fields, "MsgId");
    if (msgId != null && (!msgId.matches("\\d{1,19}") || new java.math.BigInteger(msgId).bitLength() > 63)) {
      throw new XmlException("MsgId must be a 64-bit number");
    }
    boolean event = "event".equals(msgType);
    if (!event && msgId == null) {
      throw new XmlException("a message needs a MsgId");
    }
    return new InboundMessage(toUser, fromUser, Long.parseLong(createTime), msgType,
      event ? text(fields, "Event") : null, event ? text(fields, "EventKey") : null,
      event || msgId == null ? null : Long.parseLong(msgId), readable(fields, msgType), fields, xml);
  }

  /**
   * The result of a free publish job (Event PUBLISHJOBFINISH) as publishing reads it: {@code accountId, publishId,
   * publishStatus, articleId, articleUrl} (the first article's URL); null when the event carries no publish_id.
   * WxJava does not model this event, so it is read from the raw {@code PublishEventInfo} fields.
   */
  static JsonObject publishJob(String accountId, Document fields) {
    if (!(fields.get("PublishEventInfo") instanceof Document info) || text(info, "publish_id") == null) {
      return null;
    }
    String status = text(info, "publish_status");
    Object items = info.get("article_detail") instanceof Document detail ? detail.get("item") : null;
    Object first = items instanceof List<?> list && !list.isEmpty() ? list.get(0) : items;
    return new JsonObject().put("accountId", accountId).put("publishId", text(info, "publish_id"))
      .put("publishStatus", status != null && status.matches("-?\\d{1,9}") ? Integer.valueOf(status) : null)
      .put("articleId", text(info, "article_id"))
      .put("articleUrl", first instanceof Document item ? text(item, "article_url") : null);
  }

  static String text(Document fields, String name) {
    return fields.get(name) instanceof String s && !s.isEmpty() ? s : null;
  }

  private static String readable(Document fields, String msgType) {
    return switch (msgType) {
      case "text" -> text(fields, "Content");
      case "link" -> text(fields, "Title");
      case "location" -> text(fields, "Label");
      case "voice" -> text(fields, "Recognition");
      default -> null;
    };
  }

  @SuppressWarnings("unchecked")
  private static void add(Document parent, String name, Object value) {
    Object existing = parent.get(name);
    if (existing == null) {
      parent.put(name, value);
    } else if (existing instanceof List<?> list) {
      ((List<Object>) list).add(value);
    } else {
      List<Object> list = new ArrayList<>();
      list.add(existing);
      list.add(value);
      parent.put(name, list);
    }
  }

  private static XMLInputFactory factory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, false);
    return factory;
  }

  private static void close(XMLStreamReader reader) {
    if (reader != null) {
      try {
        reader.close();
      } catch (XMLStreamException ignored) {
        // nothing to release beyond the string reader
      }
    }
  }

  /**
   * A push body as text: WeChat sends UTF-8, and other bytes would be stored as replacement characters, the
   * citizen's words lost; 400 {@code invalid-encoding} instead.
   */
  public static String utf8(Buffer body) {
    if (body == null) {
      return "";
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body.getBytes())).toString();
    } catch (CharacterCodingException e) {
      throw Problem.badRequest("invalid-encoding", "消息不是 UTF-8 编码", "微信推送的消息均为 UTF-8 编码。");
    }
  }
}
