package io.govmedia.wechat;

import org.bson.Document;

import java.time.Instant;

/**
 * One message or event WeChat pushed to an official account's callback, as decrypted and parsed.
 * {@code fields} holds every field WeChat sent (nested elements as nested documents), so that features
 * WxJava does not model, such as PUBLISHJOBFINISH's {@code PublishEventInfo}, can read them; {@code xml}
 * is the message exactly as WeChat sent it (after decryption), which is what gets stored.
 *
 * @param toUser     the account's original id (gh_…)
 * @param fromUser   the citizen's openid
 * @param createTime seconds since the epoch, as WeChat sent it
 * @param msgType    text, image, voice, video, shortvideo, location, link or event
 * @param event      for events: subscribe, unsubscribe, SCAN, CLICK, VIEW, LOCATION, … (else null)
 * @param eventKey   for events that carry one (qrscene_…, the CLICK key, the VIEW url), else null
 * @param msgId      for messages; null for events
 * @param content    what a person would read: the text, a link's title, a location's label, a voice's
 *                   recognition; null when there is none
 */
record InboundMessage(String toUser, String fromUser, long createTime, String msgType, String event,
                             String eventKey, Long msgId, String content, Document fields, String xml) {

  public boolean isEvent() {
    return "event".equals(msgType);
  }

  public Instant createdAt() {
    return Instant.ofEpochSecond(createTime);
  }

  /**
   * WeChat's dedup identity: MsgId for messages; FromUserName + CreateTime + Event + EventKey for events, plus
   * the job id of job-result events (MASSSENDJOBFINISH and TEMPLATESENDJOBFINISH carry MsgID,
   * PUBLISHJOBFINISH a publish_id), so that two results in one second are two events.
   */
  public String dedupKey() {
    if (msgId != null) {
      return "msg:" + msgId;
    }
    String job = CallbackXml.text(fields, "MsgID");
    if (job == null && fields.get("PublishEventInfo") instanceof Document info) {
      job = CallbackXml.text(info, "publish_id");
    }
    return "event:" + fromUser + ":" + createTime + ":" + event + ":" + (eventKey == null ? "" : eventKey)
      + (job == null ? "" : ":" + job);
  }
}
