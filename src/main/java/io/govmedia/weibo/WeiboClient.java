package io.govmedia.weibo;

/** Weibo's open API over Vert.x WebClient. FOUNDATION STUB: the weibo work fills it in. */
public final class WeiboClient {
}
