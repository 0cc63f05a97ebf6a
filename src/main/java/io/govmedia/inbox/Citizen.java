package io.govmedia.inbox;

/**
 * Who wrote, as the channel names them: the WeChat openid (per account) and unionid when WeChat gives one (the
 * same person in the official account's chat and in the mini-program), or the Weibo uid. Never shown publicly.
 * Any of them may be null (a phone call has none).
 */
public record Citizen(String openid, String unionid, String weiboUid, String nickname) {

  public static final Citizen UNKNOWN = new Citizen(null, null, null, null);
}
