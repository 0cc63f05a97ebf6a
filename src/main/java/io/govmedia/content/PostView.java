package io.govmedia.content;

import java.time.Instant;

/**
 * A post as the channels see it: what publishing reads to send one slot. {@code html} is the sanitized article
 * (the WeChat variant's HTML, else the post's body); images in it are {@code /media/{id}} links. A variant is
 * null when the post does not go to that channel.
 *
 * @param status         the review status on the wire ({@code approved}, {@code published}…): only those two may go out
 * @param videoAssetId   the first video asset of the source interpretation, when the source is a video interpretation
 */
public record PostView(String id, long version, String status, String departmentId, String title, String html,
                       String sourceId, String sourceKind, WeChat wechat, Weibo weibo, boolean miniapp,
                       String videoAssetId, Instant publishedAt) {

  /**
   * The WeChat article. {@code sourceUrl} is what the editor gave, or null: the publisher then links the post's
   * public page (阅读原文), carrying the slot id so that a check can find the article again.
   */
  public record WeChat(String title, String author, String digest, String coverAssetId, String html,
                       String sourceUrl, boolean commentsOpen) {
  }

  /** The Weibo text without the link, which the publisher appends (its length is already allowed for). */
  public record Weibo(String text, String pictureAssetId) {
  }

  /** Whether the version may go out: approved, or published already through another slot. */
  public boolean sendable() {
    return "approved".equals(status) || "published".equals(status);
  }
}
