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

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.ne;
import static com.mongodb.client.model.Filters.or;
import static com.mongodb.client.model.Filters.regex;
import static com.mongodb.client.model.Sorts.ascending;

final class StaffStore {

  /** An office has hundreds of staff; the directory of who is on duty reads them all at once. */
  private static final int MAX_STAFF = 20_000;

  private final MongoCollection<Document> staff;

  public StaffStore(MongoDatabase db) {
    this.staff = db.getCollection("staff");
  }

  public Future<Void> createIndexes() {
    return Mongo.first(staff.createIndex(Indexes.ascending("username"), new IndexOptions().unique(true))).mapEmpty();
  }

  Future<Staff> insert(Staff member) {
    return Mongo.first(staff.insertOne(member.toDocument()))
      .map(member)
      .recover(failure -> Future.failedFuture(Mongo.isDuplicateKey(failure)
        ? Problem.conflict("duplicate-username", "用户名已被使用", "username: " + member.username())
        : failure));
  }

  public Future<Staff> find(String id) {
    return Mongo.first(staff.find(eq("_id", id))).map(d -> d == null ? null : Staff.from(d));
  }

  Future<Staff> findByUsername(String username) {
    return Mongo.first(staff.find(eq("username", username))).map(d -> d == null ? null : Staff.from(d));
  }

  Future<Long> count() {
    return Mongo.first(staff.countDocuments());
  }

  Future<Long> countActiveAdmins() {
    return Mongo.first(staff.countDocuments(and(eq("roles", Role.ADMIN.wire()), eq("disabled", false))));
  }

  /**
   * A page of staff; {@code departmentIds} narrows to members of any of them (null: everyone), {@code text} to those
   * whose username or display name contains it, ignoring case (null: all).
   */
  Future<List<Staff>> list(Page page, Collection<String> departmentIds, String text) {
    Bson filter = departmentIds == null ? new Document() : in("departmentIds", departmentIds);
    if (text != null) {
      String literal = text.replaceAll("[\\\\^$.|?*+()\\[\\]{}]", "\\\\$0");
      filter = and(filter, or(regex("username", literal, "i"), regex("displayName", literal, "i")));
    }
    if (page.cursor() != null) {
      filter = and(filter, gt("_id", page.cursor()));
    }
    return Mongo.all(staff.find(filter).sort(ascending("_id")).limit(page.limit() + 1))
      .map(docs -> docs.stream().map(Staff::from).toList());
  }

  Future<List<Staff>> all() {
    return Mongo.all(staff.find().limit(MAX_STAFF)).map(docs -> docs.stream().map(Staff::from).toList());
  }

  /**
   * Puts the member on duty or away; answers the record as it was when this call changed it, or null when it was
   * already so (or is gone). Of two requests at once, one sees the change: a going-away is reported once. The version
   * moves on, so that a PATCH made from an older read is refused instead of putting the availability back.
   */
  Future<Staff> setAvailable(String id, boolean available, Instant now) {
    Bson changes = available ? eq("available", false) : ne("available", false);
    return Mongo.first(staff.findOneAndUpdate(and(eq("_id", id), changes), Updates.combine(
        Updates.set("available", available),
        Updates.set("updatedAt", Times.date(now)),
        Updates.inc("version", 1L))))
      .map(d -> d == null ? null : Staff.from(d));
  }

  /** Replaces the record only if nobody changed it since {@code before} was read. */
  Future<Staff> replace(Staff before, Staff after) {
    return Mongo.first(staff.replaceOne(and(eq("_id", before.id()), eq("version", before.version())), after.toDocument()))
      .compose(result -> result.getModifiedCount() == 1
        ? Future.succeededFuture(after)
        : Future.failedFuture(Problem.conflict("edit-conflict", "数据已被他人修改", "请刷新后重试。")));
  }
}
