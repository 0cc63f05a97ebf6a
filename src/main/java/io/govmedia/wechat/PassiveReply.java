package io.govmedia.wechat;

/**
 * A passive reply (被动回复) answered inside the callback. Rendered as WeChat's reply XML for one message;
 * the callback encrypts it in safe mode.
 */
interface PassiveReply {

  /** The reply XML to {@code toUser} (the citizen) from {@code fromUser} (the account), at {@code createTime}. */
  String toXml(String toUser, String fromUser, long createTime);
}
