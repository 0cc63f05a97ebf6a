package io.govmedia.inbox;

import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Problem;
import io.vertx.core.Future;
import org.bson.Document;

import java.util.List;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

/** The {@code routing_rules} collection: a few hundred documents at most, always read whole. */
final class RoutingRuleStore {

  /** More rules than any office keeps; the whole set is held in memory by every instance. */
  static final int MAX_RULES = 1000;

  private final MongoCollection<Document> rules;

  RoutingRuleStore(MongoDatabase db) {
    this.rules = db.getCollection("routing_rules");
  }

  Future<RoutingRule> insert(RoutingRule rule) {
    return Mongo.first(rules.insertOne(rule.toDocument())).map(rule);
  }

  Future<RoutingRule> find(String id) {
    return Mongo.first(rules.find(eq("_id", id))).map(d -> d == null ? null : RoutingRule.from(d));
  }

  /** Every rule, in the order they are tried. */
  Future<List<RoutingRule>> all() {
    return Mongo.all(rules.find().limit(MAX_RULES))
      .map(docs -> docs.stream().map(RoutingRule::from).sorted(RoutingRule.ORDER).toList());
  }

  /** Replaces the rule only if nobody changed it since {@code before} was read (a scan of a small collection). */
  Future<RoutingRule> replace(RoutingRule before, RoutingRule after) {
    return Mongo.first(rules.replaceOne(and(eq("_id", before.id()), eq("version", before.version())), after.toDocument()))
      .compose(result -> result.getModifiedCount() == 1
        ? Future.succeededFuture(after)
        : Future.failedFuture(Problem.conflict("edit-conflict", "数据已被他人修改", "请刷新后重试。")));
  }

  /** True when this call removed it. */
  Future<Boolean> delete(String id) {
    return Mongo.first(rules.deleteOne(eq("_id", id))).map(result -> result.getDeletedCount() == 1);
  }
}
