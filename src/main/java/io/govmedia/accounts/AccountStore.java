package io.govmedia.accounts;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Secrets;
import io.vertx.core.Future;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.or;
import static com.mongodb.client.model.Sorts.ascending;

/** Channel accounts, with their secrets sealed under the master key. */
public final class AccountStore {

  private final MongoCollection<Document> accounts;
  private final Secrets secrets;

  public AccountStore(MongoDatabase db, Secrets secrets) {
    this.accounts = db.getCollection("accounts");
    this.secrets = secrets;
  }

  public Future<Void> createIndexes() {
    return Future.all(
      Mongo.first(accounts.createIndex(Indexes.ascending("slot"), new IndexOptions().unique(true))),
      Mongo.first(accounts.createIndex(Indexes.ascending("platformKey"), new IndexOptions().unique(true)))).mapEmpty();
  }

  public Future<Account> find(String id) {
    return Mongo.first(accounts.find(eq("_id", id))).map(d -> d == null ? null : Account.from(d));
  }

  /** Which of these ids name an account. */
  public Future<Set<String>> existing(Collection<String> ids) {
    return Mongo.all(accounts.find(in("_id", ids)).projection(Projections.include("_id")))
      .map(docs -> docs.stream().map(d -> d.getString("_id")).collect(Collectors.toSet()));
  }

  /** Every account, for office-wide views (the inspection guard); a government office has tens, not thousands. */
  public Future<List<Account>> all() {
    return Mongo.all(accounts.find().sort(ascending("_id"))).map(docs -> docs.stream().map(Account::from).toList());
  }

  /** The plain value of one of the account's secrets, or null when it is not set. Never log it. */
  public String secret(Account account, String name) {
    String sealed = account.sealedSecrets().get(name);
    return sealed == null ? null : secrets.open(sealed, context(account.id(), name));
  }

  String seal(String accountId, String name, String plaintext) {
    return secrets.seal(plaintext, context(accountId, name));
  }

  /** A page of accounts; null scopes mean no narrowing (admins). */
  Future<List<Account>> list(Page page, Set<String> accountIds, Set<String> departmentIds, String type) {
    Bson filter = accountIds == null ? new Document() : or(in("_id", accountIds), in("departmentId", departmentIds));
    if (type != null) {
      filter = and(filter, eq("type", type));
    }
    if (page.cursor() != null) {
      filter = and(filter, gt("_id", page.cursor()));
    }
    return Mongo.all(accounts.find(filter).sort(ascending("_id")).limit(page.limit() + 1))
      .map(docs -> docs.stream().map(Account::from).toList());
  }

  Future<Account> insert(Account account) {
    return checkFree(account, null)
      .compose(free -> Mongo.first(accounts.insertOne(account.toDocument())))
      .map(account)
      .recover(failure -> Future.failedFuture(Mongo.isDuplicateKey(failure) ? taken() : failure));
  }

  /** Replaces the account only if nobody changed it since {@code before} was read. */
  Future<Account> replace(Account before, Account after) {
    return checkFree(after, after.id())
      .compose(free -> Mongo.first(accounts.replaceOne(and(eq("_id", before.id()), eq("version", before.version())),
        after.toDocument())))
      .recover(failure -> Future.failedFuture(Mongo.isDuplicateKey(failure) ? taken() : failure))
      .compose(result -> result.getModifiedCount() == 1
        ? Future.succeededFuture(after)
        : Future.failedFuture(Problem.conflict("edit-conflict", "数据已被他人修改", "请刷新后重试。")));
  }

  /** Every account of one platform (a handful per office: the filter scans, which is fine at that size). */
  public Future<List<Account>> ofType(AccountType type) {
    return Mongo.all(accounts.find(eq("type", type.wire())).sort(ascending("_id")))
      .map(docs -> docs.stream().map(Account::from).toList());
  }

  /**
   * Stores a Weibo token from an OAuth exchange, sealed as the {@code accessToken} secret, with its issue and
   * expiry times; records the Weibo uid when the account had none. Guarded by version like {@link #replace}.
   */
  public Future<Account> bindWeiboToken(Account before, String token, String uid, Instant issuedAt, Instant expiresAt) {
    Map<String, String> sealed = new HashMap<>(before.sealedSecrets());
    sealed.put("accessToken", seal(before.id(), "accessToken", token));
    return replace(before, before.withWeiboToken(before.uid() == null ? uid : before.uid(), sealed, issuedAt, expiresAt));
  }

  /** Names the clash for the editor; the unique indexes still decide races between instances. */
  private Future<Void> checkFree(Account account, String self) {
    Bson others = self == null ? new Document() : com.mongodb.client.model.Filters.ne("_id", self);
    return Future.all(
        Mongo.first(accounts.find(and(others, eq("platformKey", account.platformKey()))).limit(1)),
        Mongo.first(accounts.find(and(others, eq("slot", account.slot()))).limit(1)))
      .compose(both -> {
        Document samePlatformId = both.resultAt(0);
        Document sameSlot = both.resultAt(1);
        if (samePlatformId != null) {
          return Future.failedFuture(Problem.conflict("duplicate-account", "该平台账号已登记",
            "已登记为「" + samePlatformId.getString("name") + "」。"));
        }
        if (sameSlot != null) {
          return Future.failedFuture(Problem.conflict("account-per-department-limit", "该部门在此平台已有账号",
            "按国办发〔2018〕123号，一个单位在同一平台原则上只开设一个账号（已有「" + sameSlot.getString("name")
              + "」）。确需增设的，由管理员填写 overrideReason 说明理由。"));
        }
        return Future.succeededFuture();
      });
  }

  private static Problem taken() {
    return Problem.conflict("duplicate-account", "该平台账号已登记，或该部门在此平台已有账号", null);
  }

  private static String context(String accountId, String name) {
    return "account/" + accountId + "/" + name;
  }
}
