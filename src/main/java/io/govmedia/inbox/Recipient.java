package io.govmedia.inbox;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * Whom a case's notice or reply goes to, and what decides the route: the channel and account it came from, the
 * citizen's ids, when they last wrote (WeChat's 48-hour customer-service window), what a same-channel reply needs.
 */
public record Recipient(String caseId, String number, Channel channel, String accountId, Citizen citizen,
                        Instant lastMessageAt, JsonObject replyTarget) {
}
