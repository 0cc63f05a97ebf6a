package io.govmedia.auth;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.List;
import java.util.Set;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Sorts.ascending;

public final class DepartmentStore {

  /** An office has tens to a few hundred departments; the whole tree is read at once. */
  private static final int MAX_DEPARTMENTS = 10_000;

  private final MongoCollection<Document> departments;

  public DepartmentStore(MongoDatabase db) {
    this.departments = db.getCollection("departments");
  }

  public Future<Void> createIndexes() {
    return Mongo.first(departments.createIndex(Indexes.ascending("siblingKey"), new IndexOptions().unique(true)))
      .mapEmpty();
  }

  Future<Department> insert(Department department) {
    return Mongo.first(departments.insertOne(department.toDocument()))
      .map(department)
      .recover(failure -> Future.failedFuture(Mongo.isDuplicateKey(failure) ? duplicateName() : failure));
  }

  public Future<Department> find(String id) {
    return Mongo.first(departments.find(eq("_id", id))).map(d -> d == null ? null : Department.from(d));
  }

  Future<List<Department>> list(Page page, String parentId, boolean onlyRoots) {
    Bson filter = onlyRoots ? eq("parentId", null) : parentId == null ? new Document() : eq("parentId", parentId);
    if (page.cursor() != null) {
      filter = and(filter, gt("_id", page.cursor()));
    }
    return Mongo.all(departments.find(filter).sort(ascending("_id")).limit(page.limit() + 1))
      .map(docs -> docs.stream().map(Department::from).toList());
  }

  /** Succeeds when the id is null or names a department; else a 400 problem with the given title. */
  public Future<Void> requireExisting(String id, String field, String title) {
    if (id == null) {
      return Future.succeededFuture();
    }
    return find(id).compose(found -> found == null
      ? Future.failedFuture(Problem.badRequest("unknown-department", title, field + ": " + id))
      : Future.succeededFuture());
  }

  public Future<DepartmentTree> tree() {
    return Mongo.all(departments.find().limit(MAX_DEPARTMENTS))
      .map(docs -> new DepartmentTree(docs.stream().map(Department::from).toList()));
  }

  /**
   * Where a member's department-bound work reaches: their departments and every department below them (an
   * office-wide member belongs to the root). Admins' reach is for the caller to decide; this is the tree's answer.
   */
  public Future<Set<String>> reach(Principal principal) {
    if (principal.departmentIds().isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return tree().map(tree -> tree.withDescendants(principal.departmentIds()));
  }

  /** Writes the new state only if nobody changed the department since {@code before} was read. */
  Future<Department> replace(Department before, Department after) {
    Bson guard = and(eq("_id", before.id()), eq("version", before.version()));
    return Mongo.first(departments.updateOne(guard, Updates.combine(
        Updates.set("name", after.name()), Updates.set("parentId", after.parentId()),
        Updates.set("siblingKey", Department.siblingKey(after.parentId(), after.name())),
        Updates.set("updatedAt", Times.date(after.updatedAt())), Updates.set("version", after.version()))))
      .recover(failure -> Future.failedFuture(Mongo.isDuplicateKey(failure) ? duplicateName() : failure))
      .compose(result -> result.getModifiedCount() == 1
        ? Future.succeededFuture(after)
        : Future.failedFuture(Problem.conflict("edit-conflict", "数据已被他人修改", "请刷新后重试。")));
  }

  private static Problem duplicateName() {
    return Problem.conflict("duplicate-department", "同一上级部门下已有同名部门", null);
  }
}
