package io.govmedia.publishing;

import io.govmedia.accounts.Account;
import io.govmedia.content.PostView;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.function.Function;

/**
 * One slot's send as a publisher sees it.
 *
 * @param mode        {@code freepublish} or {@code mass} for WeChat, null elsewhere
 * @param clientMsgId fixed when the slot is made, the same on every attempt: WeChat refuses a repeat (45065)
 * @param rip         the scheduling editor's address (Weibo's {@code rip})
 * @param pageUrl     the post's public page carrying the slot id ({@code {base}/p/{postId}?s={slotId}}): the
 *                    article's 阅读原文, the Weibo link, and what a check matches on
 * @param state       the channel's ids learned so far on this slot (a draft's media_id, publish_id, msg_id, Weibo id)
 * @param progress    saves ids learned before the send onto the slot, so a resumed attempt does not redo the work
 */
record Send(String slotId, int attempt, String channel, String mode, PostView post, Account account,
            String clientMsgId, String rip, String pageUrl, JsonObject state,
            Function<JsonObject, Future<Void>> progress) {
}
