package io.govmedia.content;

import io.govmedia.auth.DepartmentStore;
import io.govmedia.auth.Principal;
import io.govmedia.platform.Problem;
import io.vertx.core.Future;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.List;
import java.util.Set;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.or;

/**
 * Where one staff member's content work reaches (谁起草谁解读): the departments they belong to and every
 * department below them, as for accounts and staff (an office-wide reviewer or editor belongs to the root
 * department). Admins reach everything. Unpublished items (draft, in review, approved, rejected) are seen only
 * inside their department's scope; published ones by all staff. Editors write, and reviewers decide on, only
 * items of departments in their scope. An interpretation belongs to its document's department.
 *
 * <p>An item outside what a member sees is answered 404, as if it did not exist; one seen but not in scope (a
 * published item of another department) is a 403.
 */
final class ContentScope {

  /** Null for admins: everywhere. */
  private final Set<String> departments;

  private ContentScope(Set<String> departments) {
    this.departments = departments;
  }

  static Future<ContentScope> of(Principal principal, DepartmentStore store) {
    if (principal.isAdmin()) {
      return Future.succeededFuture(new ContentScope(null));
    }
    return store.reach(principal).map(reach -> new ContentScope(Set.copyOf(reach)));
  }

  boolean covers(String departmentId) {
    return departments == null || departmentId != null && departments.contains(departmentId);
  }

  boolean sees(Item item) {
    return item.status() == ReviewStatus.PUBLISHED || covers(item.departmentId());
  }

  /** The item if seen, else 404 as for an unknown id. */
  Item seen(Item item) {
    if (!sees(item)) {
      throw Problem.notFound(item.kind().label());
    }
    return item;
  }

  /** The item if seen and of a department in scope: what editors may write and reviewers decide on. */
  Item writable(Item item) {
    seen(item);
    if (!covers(item.departmentId())) {
      throw Problem.forbidden("该内容不属于您所在的部门，不能操作。").with("reason", "other-department");
    }
    return item;
  }

  /** Only admins move an item to another department. */
  Item requireMove(Item item, String newDepartmentId) {
    if (newDepartmentId != null && !newDepartmentId.equals(item.departmentId()) && departments != null) {
      throw Problem.forbidden("只有管理员可以把内容转到其他部门。").with("reason", "move-department");
    }
    return item;
  }

  /** A new item may be written only in a department in scope. */
  String requireWritableIn(String departmentId) {
    if (!covers(departmentId)) {
      throw Problem.forbidden("只能为本部门（含下级部门）撰写内容。").with("reason", "other-department");
    }
    return departmentId;
  }

  /** What a list shows: everything published, and the rest of the departments in scope. */
  Bson listFilter() {
    if (departments == null) {
      return new Document();
    }
    return departments.isEmpty() ? eq("status", ReviewStatus.PUBLISHED.wire())
      : or(eq("status", ReviewStatus.PUBLISHED.wire()), in("departmentId", List.copyOf(departments)));
  }
}
