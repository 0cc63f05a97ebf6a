package io.govmedia.inbox;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/**
 * A citizen's message as a channel delivered it, before it is a case: the WeChat hand-off, a Weibo comment or
 * mention, a comment on one of our WeChat articles, a mini-program message.
 *
 * @param sourceId    the channel's own id of the message (e.g. {@code accountId:msgId}, a Weibo comment id): the
 *                    same message accepted twice makes one case
 * @param replyTarget what a reply on the same channel needs (Weibo: {@code {statusId, commentId}}; an article
 *                    comment: {@code {msgDataId, index, userCommentId}}), null when nothing beyond the citizen
 */
public record Incoming(Channel channel, String accountId, Citizen citizen, String text, List<String> attachmentIds,
                       Instant receivedAt, String sourceId, JsonObject replyTarget) {

  public Incoming {
    attachmentIds = attachmentIds == null ? List.of() : List.copyOf(attachmentIds);
  }
}
