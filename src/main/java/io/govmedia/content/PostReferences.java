package io.govmedia.content;

import io.govmedia.auth.DepartmentStore;
import io.govmedia.auth.Principal;
import io.govmedia.platform.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A post's fields checked against what they name, and completed: its department (the editor's own when they have
 * exactly one), its images (the cover and the Weibo picture must be images), its source (a published document or
 * interpretation the editor sees, whose body it copies when it has none of its own, so that reviewers see what goes
 * out), and whether the Weibo text still fits once the link is appended.
 */
final class PostReferences {

  private final ItemStore items;
  private final DepartmentStore departments;
  private final Function<Collection<String>, Future<Map<String, String>>> assetTypes;

  PostReferences(ItemStore items, DepartmentStore departments,
                 Function<Collection<String>, Future<Map<String, String>>> assetTypes) {
    this.items = items;
    this.departments = departments;
    this.assetTypes = assetTypes;
  }

  /** The fields with department, source kind, video and body filled in; a new post must name a channel and a body. */
  Future<ItemFields> resolve(ItemFields read, ContentScope scope, Principal principal, boolean creating) {
    Attrs.PostInfo post = read.attrs().post();
    if (creating && post.wechat() == null && post.weibo() == null && !post.toMiniapp()) {
      return Future.failedFuture(new Problem(422, "no-channel", "请至少填写一个渠道的内容",
        "wechat、weibo、miniapp 至少填写一项。"));
    }
    if (post.weibo() != null && !WeiboLength.fits(post.weibo().text())) {
      int count = WeiboLength.countWithLink(post.weibo().text());
      return Future.failedFuture(new Problem(422, "weibo-too-long", "微博正文超过 140 字",
        "加上自动附加的链接共 " + count + " 字（两个英文字符计一字），正文最多 " + WeiboLength.budget() + " 字。")
        .with("count", count).with("limit", WeiboLength.LIMIT).with("budget", WeiboLength.budget()));
    }
    return images(post)
      .compose(v -> department(read, principal, creating))
      .compose(departmentId -> creating && post.sourceId() != null
        ? withSource(read.with(read.rawBody(), departmentId, read.attrs()), scope)
        : Future.succeededFuture(read.with(read.rawBody(), departmentId, read.attrs())))
      .compose(fields -> creating && fields.rawBody() == null
        ? Future.failedFuture(new Problem(422, "body-required", "推送需要正文",
          "请填写 wechat.html 或 body，或选择一篇已发布的文件或解读作为来源。"))
        : Future.succeededFuture(fields));
  }

  /** The cover and the Weibo picture must be existing images: WeChat and Weibo take nothing else there. */
  private Future<Void> images(Attrs.PostInfo post) {
    List<String> ids = post.assetIds();
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return assetTypes.apply(ids).compose(types -> {
      if (post.wechat() != null && !"image".equals(types.get(post.wechat().coverAssetId()))) {
        return Future.failedFuture(new Problem(422, "cover-not-image", "封面须为已上传的图片",
          "wechat.coverAssetId: " + post.wechat().coverAssetId()));
      }
      String picture = post.weibo() == null ? null : post.weibo().pictureAssetId();
      if (picture != null && !"image".equals(types.get(picture))) {
        return Future.failedFuture(new Problem(422, "picture-not-image", "微博配图须为已上传的图片",
          "weibo.pictureAssetId: " + picture));
      }
      return Future.succeededFuture();
    });
  }

  /**
   * A new post belongs to the department named, or else to the editor's only department; an editor of several (and
   * an admin) must name one. An edit changes it only when named (a move, which {@link ContentScope} allows admins).
   */
  private Future<String> department(ItemFields read, Principal principal, boolean creating) {
    String named = read.departmentId();
    if (named != null) {
      return departments.requireExisting(named, "departmentId", "部门不存在").map(named);
    }
    if (!creating) {
      return Future.succeededFuture(null);
    }
    if (!principal.isAdmin() && principal.departmentIds().size() == 1) {
      return Future.succeededFuture(principal.departmentIds().iterator().next());
    }
    return Future.failedFuture(Problem.invalidFields(new JsonArray().add(new JsonObject().put("field", "departmentId")
      .put("message", "您属于多个部门或为管理员，请指明推送所属部门"))));
  }

  /** The source: published, and seen by the editor (a draft of another department is as unknown as a missing id). */
  private Future<ItemFields> withSource(ItemFields fields, ContentScope scope) {
    String sourceId = fields.attrs().post().sourceId();
    return items.find(ItemKind.DOCUMENT, sourceId)
      .compose(document -> document != null ? Future.succeededFuture(document)
        : items.find(ItemKind.INTERPRETATION, sourceId))
      .compose(source -> {
        if (source == null || !scope.sees(source)) {
          return Future.failedFuture(Problem.badRequest("unknown-source", "来源文件或解读不存在", "sourceId: " + sourceId));
        }
        if (source.status() != ReviewStatus.PUBLISHED) {
          return Future.failedFuture(Problem.conflict("source-not-published", "来源文件或解读尚未发布",
            "只能以已发布的政策文件或解读作为推送来源。"));
        }
        return firstVideo(source).map(video -> fields.with(fields.rawBody() != null ? fields.rawBody() : source.body(),
          fields.departmentId(), fields.attrs().withPost(fields.attrs().post().withSource(source.kind().wire(), video))));
      });
  }

  /** The first video among an interpretation's assets, in the order the editor gave them (for WeChat's mpvideo). */
  private Future<String> firstVideo(Item source) {
    List<String> assetIds = source.attrs().assetIds();
    if (source.kind() != ItemKind.INTERPRETATION || assetIds.isEmpty()) {
      return Future.succeededFuture(null);
    }
    return assetTypes.apply(assetIds).map(types -> assetIds.stream().filter(id -> "video".equals(types.get(id)))
      .findFirst().orElse(null));
  }
}
