package io.govmedia.content;

import io.govmedia.auth.DepartmentStore;
import io.govmedia.auth.Principal;
import io.govmedia.checks.ContentChecks;
import io.govmedia.checks.Finding;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Problem;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Posts as publishing sees them: read, checked again before a send, and published by the first successful send. */
final class PostLibrary implements Posts {

  private static final Logger log = LoggerFactory.getLogger(PostLibrary.class);

  private final ItemStore items;
  private final DepartmentStore departments;
  private final ContentChecks checks;
  private final ItemChanges changes;
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  PostLibrary(ItemStore items, DepartmentStore departments, ContentChecks checks, ItemChanges changes) {
    this.items = items;
    this.departments = departments;
    this.checks = checks;
    this.changes = changes;
  }

  @Override
  public Future<PostView> find(String id) {
    return Ids.valid(id) ? items.find(ItemKind.POST, id).map(item -> item == null ? null : item.postView())
      : Future.succeededFuture(null);
  }

  /** Only the post's department scope (or an admin): unlike a page, a slot is work on the post. */
  @Override
  public Future<PostView> visible(Principal principal, String id) {
    return ContentScope.of(principal, departments)
      .compose(scope -> Ids.lookup(id, i -> items.find(ItemKind.POST, i), ItemKind.POST.label())
        .map(item -> {
          if (!scope.covers(item.departmentId())) {
            throw Problem.notFound(ItemKind.POST.label());
          }
          return item.postView();
        }));
  }

  @Override
  public Future<List<Finding>> recheck(PostView post) {
    Attrs.PostInfo info = new Attrs.PostInfo(post.sourceId(), post.sourceKind(), post.videoAssetId(),
      post.wechat() == null ? null : new Attrs.WeChat(post.wechat().title(), post.wechat().author(),
        post.wechat().digest(), post.wechat().coverAssetId(), post.wechat().sourceUrl(), post.wechat().commentsOpen()),
      post.weibo() == null ? null : new Attrs.Weibo(post.weibo().text(), post.weibo().pictureAssetId()), post.miniapp());
    return checks.check(post.title(), post.html(), PostFields.checkedFields(info));
  }

  /**
   * The post becomes published, by the system, through the same guarded replace as every change: of two instances
   * publishing it at once, one writes and the other finds it published already. A post that is no longer approved
   * (edited since the send) stays as it is: the conflict is the caller's to report.
   */
  @Override
  public Future<Void> published(String postId, Instant at) {
    return publish(postId, at, true);
  }

  private Future<Void> publish(String postId, Instant at, boolean retry) {
    return Ids.lookup(postId, i -> items.find(ItemKind.POST, i), ItemKind.POST.label()).compose(before -> {
      if (before.status() == ReviewStatus.PUBLISHED) {
        return Future.succeededFuture();
      }
      Item after = before.published(null, AuditLog.Actor.SYSTEM, at);
      return items.replace(before, after)
        .compose(stored -> changes.recorded(AuditLog.Actor.SYSTEM, null, stored, "post.publish", before))
        .<Void>mapEmpty()
        .recover(failure -> retry && failure instanceof Problem problem && "edit-conflict".equals(problem.code())
          ? publish(postId, at, false) : Future.failedFuture(failure));
    });
  }

  @Override
  public void onNewVersion(Consumer<String> listener) {
    listeners.add(listener);
  }

  /** Tells every listener; one that throws is logged and the others still hear. */
  void newVersion(String postId) {
    for (Consumer<String> listener : listeners) {
      try {
        listener.accept(postId);
      } catch (RuntimeException e) {
        log.error("a new-version listener failed for post {}", postId, e);
      }
    }
  }
}
