package io.govmedia.publishing;

import io.govmedia.accounts.Account;
import io.govmedia.content.PostView;
import io.govmedia.media.AssetIds;
import io.govmedia.media.MediaContent;
import io.govmedia.platform.Problem;
import io.govmedia.wechat.WeChatGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.mp.bean.WxMpMassVideo;
import me.chanjar.weixin.mp.bean.draft.WxMpAddDraft;
import me.chanjar.weixin.mp.bean.draft.WxMpDraftArticles;
import me.chanjar.weixin.mp.bean.material.WxMpMaterial;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A post's WeChat article as a draft: the cover uploaded as permanent image material, every {@code /media/{id}}
 * image of the HTML uploaded with {@code uploadimg} and its {@code src} rewritten to WeChat's URL, then
 * {@code draft/add}. What the uploads learn is saved with the draft's {@code mediaId} in the publisher's
 * {@code sending} write (one write less per send; an attempt cut off before it uploads the cover again, which is
 * harmless): a draft whose {@code mediaId} is saved is never added a second time.
 */
final class WeChatDraft {

  /** WeChat's limits: image material 10 MB; images inside an article 1 MB, JPEG or PNG; video material 10 MB, MP4. */
  static final long COVER_MAX_BYTES = 10L * 1024 * 1024;
  static final long IMAGE_MAX_BYTES = 1024L * 1024;
  static final long VIDEO_MAX_BYTES = 10L * 1024 * 1024;
  /** The types WeChat takes, each with the file suffix its upload wants (WeChat looks at the name too). */
  private static final Map<String, String> COVER_TYPES = Map.of("image/jpeg", ".jpg", "image/png", ".png", "image/gif", ".gif");
  private static final Map<String, String> INLINE_TYPES = Map.of("image/jpeg", ".jpg", "image/png", ".png");
  private static final Map<String, String> VIDEO_TYPES = Map.of("video/mp4", ".mp4");
  /** An image of our own in sanitized HTML (jsoup writes double-quoted attributes); group 2 is the asset id. */
  private static final Pattern OWN_IMAGE = Pattern.compile("(<img\\b[^>]*?\\ssrc=\")/media/(" + AssetIds.FORMAT.pattern()
    + ")(?:/[A-Za-z0-9._-]{1,64})?(?:\\?[^\"]*)?\"");

  private final WeChatGateway gateway;
  private final MediaSource media;

  WeChatDraft(WeChatGateway gateway, MediaSource media) {
    this.gateway = gateway;
    this.media = media;
  }

  /** The slot's state with the draft's {@code mediaId}: the one an earlier attempt added, or one added now. */
  Future<JsonObject> ensure(Send send) {
    if (send.state().getString("mediaId") != null) {
      return Future.succeededFuture(send.state());
    }
    String sourceUrl = send.post().wechat().sourceUrl() != null ? send.post().wechat().sourceUrl() : send.pageUrl();
    return uploads(send.account(), send.post(), send.state())
      .compose(state -> add(send.account(), send.post(), state, sourceUrl)
        .map(mediaId -> state.copy().put("mediaId", mediaId)));
  }

  /** A draft of the post that belongs to no slot, e.g. for a preview; its source link is the editor's, if any. */
  Future<String> unsaved(Account account, PostView post) {
    return uploads(account, post, new JsonObject())
      .compose(state -> add(account, post, state, post.wechat().sourceUrl()));
  }

  /** The post's video as a mass-send {@code mpvideo}: video material first, then {@code media/uploadvideo}. */
  Future<JsonObject> video(Send send) {
    if (send.state().getString("videoMediaId") != null) {
      return Future.succeededFuture(send.state());
    }
    PostView post = send.post();
    String title = post.wechat().title();
    String introduction = post.wechat().digest() == null ? title : post.wechat().digest();
    return read(post.videoAssetId(), VIDEO_MAX_BYTES, VIDEO_TYPES, "video-not-accepted", "视频")
      .compose(video -> gateway.call(send.account(), wx -> withTempFile(video, VIDEO_TYPES.get(video.mime()), file ->
        wx.getMaterialService().materialFileUpload("video", new WxMpMaterial(file.getName(), file, title, introduction))
          .getMediaId())))
      .compose(materialId -> gateway.call(send.account(), wx -> {
        WxMpMassVideo upload = new WxMpMassVideo();
        upload.setMediaId(materialId);
        upload.setTitle(title);
        upload.setDescription(introduction);
        return wx.getMassMessageService().massVideoUpload(upload).getMediaId();
      }))
      .map(mediaId -> send.state().copy().put("videoMediaId", mediaId));
  }

  /** The cover's {@code thumb_media_id} and each inline image's URL, reusing those in {@code state}. */
  private Future<JsonObject> uploads(Account account, PostView post, JsonObject state) {
    JsonObject next = state.copy();
    JsonObject images = next.getJsonObject("images", new JsonObject()).copy();
    next.put("images", images);
    Future<Void> done = Future.succeededFuture();
    if (next.getString("coverMediaId") == null) {
      String cover = post.wechat().coverAssetId();
      if (cover == null) {
        return Future.failedFuture(new Problem(422, "cover-missing", "微信文章缺少封面图", "请为微信版本选择一张封面图。"));
      }
      done = read(cover, COVER_MAX_BYTES, COVER_TYPES, "image-not-accepted", "封面图")
        .compose(image -> gateway.call(account, wx -> withTempFile(image, COVER_TYPES.get(image.mime()), file ->
          wx.getMaterialService().materialFileUpload("image", new WxMpMaterial(file.getName(), file, null, null))
            .getMediaId())))
        .map(mediaId -> {
          next.put("coverMediaId", mediaId);
          return null;
        });
    }
    for (String assetId : inlineImages(html(post))) {
      if (images.getString(assetId) == null) {
        done = done.compose(v -> read(assetId, IMAGE_MAX_BYTES, INLINE_TYPES, "image-not-accepted", "正文图片")
          .compose(image -> gateway.call(account, wx -> withTempFile(image, INLINE_TYPES.get(image.mime()),
            file -> wx.getMaterialService().mediaImgUpload(file).getUrl())))
          .map(url -> {
            images.put(assetId, url);
            return null;
          }));
      }
    }
    return done.map(next);
  }

  private Future<String> add(Account account, PostView post, JsonObject state, String sourceUrl) {
    PostView.WeChat article = post.wechat();
    WxMpDraftArticles draft = WxMpDraftArticles.builder()
      .title(article.title()).author(article.author()).digest(article.digest())
      .content(rewrite(html(post), state.getJsonObject("images", new JsonObject())))
      .contentSourceUrl(sourceUrl).thumbMediaId(state.getString("coverMediaId"))
      .needOpenComment(article.commentsOpen() ? 1 : 0).onlyFansCanComment(0).build();
    return gateway.call(account, wx -> wx.getDraftService().addDraft(WxMpAddDraft.builder().articles(List.of(draft)).build()));
  }

  /** The article's HTML: the WeChat variant's own, else the post's body. */
  private static String html(PostView post) {
    return post.wechat().html() != null ? post.wechat().html() : post.html();
  }

  /** The ids of our own images in the HTML, each once, in order. */
  static Set<String> inlineImages(String html) {
    Set<String> ids = new LinkedHashSet<>();
    if (html != null) {
      Matcher m = OWN_IMAGE.matcher(html);
      while (m.find()) {
        ids.add(m.group(2));
      }
    }
    return ids;
  }

  /** The HTML with each of our own images pointing at the URL WeChat gave for it. */
  static String rewrite(String html, JsonObject urls) {
    if (html == null) {
      return "";
    }
    Matcher m = OWN_IMAGE.matcher(html);
    StringBuilder out = new StringBuilder(html.length());
    while (m.find()) {
      String url = urls.getString(m.group(2));
      m.appendReplacement(out, Matcher.quoteReplacement(url == null ? m.group() : m.group(1) + url.replace("&", "&amp;") + "\""));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * The asset, if WeChat will take it; else a 422 problem naming it ({@code notAccepted}): too large, of another
   * type, or gone. Failures of our own store stay as they are (trying again later may work).
   */
  private Future<MediaContent> read(String assetId, long maxBytes, Map<String, String> types, String notAccepted,
                                    String what) {
    return media.read(assetId, maxBytes)
      .recover(failure -> Future.failedFuture(failure instanceof Problem p && p.status() < 500
        ? notAccepted(assetId, maxBytes, types, notAccepted, what) : failure))
      .compose(content -> types.containsKey(content.mime()) ? Future.succeededFuture(content)
        : Future.failedFuture(notAccepted(assetId, maxBytes, types, notAccepted, what)));
  }

  private static Problem notAccepted(String assetId, long maxBytes, Map<String, String> types, String code, String what) {
    String kinds = String.join("、", new TreeSet<>(types.values())).replace(".", "").toUpperCase(Locale.ROOT);
    return new Problem(422, code, "微信不接受此" + what, what + " " + assetId + " 须为 " + kinds + " 格式，且不超过 "
      + maxBytes / 1024 / 1024 + " MB（或素材已不存在）。").with("assetId", assetId);
  }

  /** Runs the upload with the bytes in a temporary file (WxJava uploads files), deleted afterwards. Worker thread. */
  private static <T> T withTempFile(MediaContent content, String suffix, Upload<T> upload)
    throws WxErrorException {
    Path file;
    try {
      file = Files.createTempFile("govmedia-wechat-", suffix);
      Files.write(file, content.bytes().getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return upload.apply(file.toFile());
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        file.toFile().deleteOnExit();  // a leftover temp file is harmless; never fail the upload for it
      }
    }
  }

  @FunctionalInterface
  private interface Upload<T> {
    T apply(File file) throws WxErrorException;
  }
}
