package io.govmedia.inbox;

import io.vertx.core.Future;

/**
 * Sends a text to a citizen on the channel they can still be reached on: WeChat customer-service message within
 * 48 h of their last message, else a subscribe / template message, else the mini-program's case page; on Weibo a
 * public comment reply (≤ 140 characters, the case number and where to read the answer, never personal data).
 * Never fails: the {@link Delivery} says what happened, attempts included.
 */
public interface Deliveries {

  enum Purpose { ACKNOWLEDGEMENT, REPLY, NOTICE }

  Future<Delivery> deliver(Recipient to, String text, Purpose purpose);
}
