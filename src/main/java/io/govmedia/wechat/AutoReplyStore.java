package io.govmedia.wechat;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Instant;
import java.util.List;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Sorts.ascending;
import static com.mongodb.client.model.Sorts.orderBy;

/** Auto-reply rules ({@code wechat_auto_replies}) and each account's acknowledgement setting. */
final class AutoReplyStore {

  /** WeChat's own console allows 200 keyword rules per account; more would only slow every message down. */
  static final int MAX_RULES = 200;

  /** What an unmatched text message is answered with. */
  public record Settings(String ackText, boolean ackEnabled, Instant updatedAt) {

    public static final Settings DEFAULT = new Settings("您的留言已收到，我们会尽快处理并回复。", true, null);

    static Settings from(Document d) {
      return d == null ? DEFAULT
        : new Settings(d.getString("ackText"), d.getBoolean("ackEnabled", true), Times.instant(d.getDate("updatedAt")));
    }

    public JsonObject toJson() {
      return new JsonObject().put("ackText", ackText).put("ackEnabled", ackEnabled).put("updatedAt", Times.show(updatedAt));
    }

    JsonObject auditSummary() {
      return new JsonObject().put("ackText", ackText).put("ackEnabled", ackEnabled);
    }
  }

  private final MongoCollection<Document> rules;
  private final MongoCollection<Document> settings;

  public AutoReplyStore(MongoDatabase db) {
    this.rules = db.getCollection("wechat_auto_replies");
    this.settings = db.getCollection("wechat_auto_reply_settings");
  }

  public Future<Void> createIndexes() {
    return Future.all(
      Mongo.first(rules.createIndex(Indexes.ascending("singleton"), new IndexOptions().unique(true).sparse(true))),
      Mongo.speedUp("auto-reply rules", rules.createIndex(Indexes.ascending("accountId", "priority", "_id")))).mapEmpty();
  }

  /** Every rule of the account, in matching order: priority, then creation. */
  Future<List<AutoReplyRule>> rules(String accountId) {
    return Mongo.all(rules.find(eq("accountId", accountId)).sort(orderBy(ascending("priority"), ascending("_id"))))
      .map(docs -> docs.stream().map(AutoReplyRule::from).toList());
  }

  Future<AutoReplyRule> find(String accountId, String id) {
    return Mongo.first(rules.find(and(eq("_id", id), eq("accountId", accountId))))
      .map(d -> d == null ? null : AutoReplyRule.from(d));
  }

  /** Inserts the rule unless the account is full or already has an enabled rule of a one-per-account type. */
  Future<AutoReplyRule> insert(AutoReplyRule rule) {
    return Mongo.all(rules.find(eq("accountId", rule.accountId())).projection(Projections.include("_id")).limit(MAX_RULES))
      .compose(existing -> existing.size() >= MAX_RULES
        ? Future.failedFuture(Problem.conflict("too-many-auto-replies", "自动回复规则已达上限",
          "每个公众号最多 " + MAX_RULES + " 条规则，请先删除不用的规则。"))
        : Mongo.first(rules.insertOne(rule.toDocument())))
      .map(rule)
      .recover(failure -> Future.failedFuture(Mongo.isDuplicateKey(failure) ? taken(rule) : failure));
  }

  /** Replaces the rule only if nobody changed it since {@code before} was read. */
  Future<AutoReplyRule> replace(AutoReplyRule before, AutoReplyRule after) {
    return Mongo.first(rules.replaceOne(and(eq("_id", before.id()), eq("version", before.version())), after.toDocument()))
      .recover(failure -> Future.failedFuture(Mongo.isDuplicateKey(failure) ? taken(after) : failure))
      .compose(result -> result.getModifiedCount() == 1
        ? Future.succeededFuture(after)
        : Future.failedFuture(Problem.conflict("edit-conflict", "数据已被他人修改", "请刷新后重试。")));
  }

  Future<Void> delete(AutoReplyRule rule) {
    return Mongo.first(rules.deleteOne(and(eq("_id", rule.id()), eq("accountId", rule.accountId())))).mapEmpty();
  }

  Future<Settings> settings(String accountId) {
    return Mongo.first(settings.find(eq("_id", accountId))).map(Settings::from);
  }

  Future<Settings> saveSettings(String accountId, Settings value) {
    Document d = new Document("_id", accountId).append("ackText", value.ackText()).append("ackEnabled", value.ackEnabled())
      .append("updatedAt", Times.date(value.updatedAt()));
    return Mongo.first(settings.replaceOne(eq("_id", accountId), d, new ReplaceOptions().upsert(true))).map(value);
  }

  private static Problem taken(AutoReplyRule rule) {
    String what = rule.match() == AutoReplyRule.MatchType.SUBSCRIBE ? "关注回复" : "默认回复";
    return Problem.conflict("auto-reply-exists", "该账号已有启用的" + what,
      "每个公众号只能有一条启用的" + what + "；请修改或停用现有的那条。");
  }
}
