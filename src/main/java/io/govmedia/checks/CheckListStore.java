package io.govmedia.checks;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;
import static com.mongodb.client.model.Filters.regex;
import static com.mongodb.client.model.Sorts.descending;

/**
 * The administrator-managed lists of the content checks: sensitive words ({@code content_sensitive_words}),
 * wording rules ({@code content_wording_rules}) and allowed link domains ({@code content_link_domains}). A word
 * and a wrong form are unique by their {@link CheckText#key}, so "ＶＰＮ" and "vpn" cannot both be listed.
 */
public final class CheckListStore {

  /** An entry of any of the lists, as it is stored, shown and audited. */
  interface Entry {
    String id();

    /** Counts the entry's changes; a PATCH from a stale view of it is refused. */
    long version();

    Document toDocument();

    JsonObject toJson();

    /** What the audit log records of the entry. */
    JsonObject auditSummary();
  }

  /** A sensitive word: {@code block} stops approval, {@code warn} only shows. */
  public record SensitiveWord(String id, String word, Finding.Level level, String category, Instant createdAt,
                              Instant updatedAt, long version) implements Entry {

    @Override
    public Document toDocument() {
      return new Document("_id", id).append("word", word).append("key", CheckText.key(word))
        .append("level", level.wire()).append("category", category).append("createdAt", Times.date(createdAt))
        .append("updatedAt", Times.date(updatedAt)).append("version", version);
    }

    static SensitiveWord from(Document d) {
      return new SensitiveWord(d.getString("_id"), d.getString("word"), levelOf(d.getString("level")),
        d.getString("category"), Times.instant(d.getDate("createdAt")), Times.instant(d.getDate("updatedAt")),
        ((Number) d.get("version")).longValue());
    }

    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("word", word).put("level", level.wire()).put("category", category)
        .put("createdAt", Times.show(createdAt)).put("updatedAt", Times.show(updatedAt));
    }

    @Override
    public JsonObject auditSummary() {
      return new JsonObject().put("word", word).put("level", level.wire()).put("category", category);
    }
  }

  /** A serious wording error: the wrong form, found like a sensitive word, and the right one shown as the hint. */
  public record WordingRule(String id, String wrong, String right, String note, Instant createdAt, Instant updatedAt,
                            long version) implements Entry {

    @Override
    public Document toDocument() {
      return new Document("_id", id).append("wrong", wrong).append("key", CheckText.key(wrong)).append("right", right)
        .append("note", note).append("createdAt", Times.date(createdAt)).append("updatedAt", Times.date(updatedAt))
        .append("version", version);
    }

    static WordingRule from(Document d) {
      return new WordingRule(d.getString("_id"), d.getString("wrong"), d.getString("right"), d.getString("note"),
        Times.instant(d.getDate("createdAt")), Times.instant(d.getDate("updatedAt")),
        ((Number) d.get("version")).longValue());
    }

    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("wrong", wrong).put("right", right).put("note", note)
        .put("createdAt", Times.show(createdAt)).put("updatedAt", Times.show(updatedAt));
    }

    @Override
    public JsonObject auditSummary() {
      return new JsonObject().put("wrong", wrong).put("right", right).put("note", note);
    }
  }

  /** A domain links may point at, with its subdomains; lower-case ASCII (an IDN in its xn-- form). */
  public record LinkDomain(String id, String domain, String note, Instant createdAt) implements Entry {

    @Override
    public Document toDocument() {
      return new Document("_id", id).append("domain", domain).append("note", note)
        .append("createdAt", Times.date(createdAt));
    }

    static LinkDomain from(Document d) {
      return new LinkDomain(d.getString("_id"), d.getString("domain"), d.getString("note"),
        Times.instant(d.getDate("createdAt")));
    }

    /** Domains are added and removed, never changed, so each stays at its first version. */
    @Override
    public long version() {
      return 1;
    }

    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("domain", domain).put("note", note)
        .put("createdAt", Times.show(createdAt));
    }

    @Override
    public JsonObject auditSummary() {
      return new JsonObject().put("domain", domain).put("note", note);
    }
  }

  /** Everything the checks compile, read at once. */
  public record Lists(List<SensitiveWord> words, List<WordingRule> wordings, List<LinkDomain> domains) {}

  /** An import's outcome: the words stored, and those already listed (or repeated in the request) left out. */
  record Imported(List<SensitiveWord> created, List<String> duplicates) {}

  /** One list's documents: stored, found, changed, removed and paged alike for every list. */
  static final class ListCollection<T extends Entry> {

    private final MongoCollection<Document> documents;
    private final Function<Document, T> from;
    private final Function<T, Problem> duplicate;

    private ListCollection(MongoCollection<Document> documents, Function<Document, T> from,
                           Function<T, Problem> duplicate) {
      this.documents = documents;
      this.from = from;
      this.duplicate = duplicate;
    }

    Future<T> insert(T entry) {
      return Mongo.first(documents.insertOne(entry.toDocument()))
        .map(entry)
        .recover(failure -> Future.failedFuture(Mongo.isDuplicateKey(failure) ? duplicate.apply(entry) : failure));
    }

    Future<T> find(String id) {
      return Mongo.first(documents.find(eq("_id", id))).map(d -> d == null ? null : from.apply(d));
    }

    /** Writes the new state only if nobody changed the entry since {@code before} was read. */
    Future<T> replace(T before, T after) {
      return Mongo.first(documents.replaceOne(and(eq("_id", before.id()), eq("version", before.version())),
          after.toDocument()))
        .recover(failure -> Future.failedFuture(Mongo.isDuplicateKey(failure) ? duplicate.apply(after) : failure))
        .compose(result -> result.getMatchedCount() == 1
          ? Future.succeededFuture(after)
          : Future.failedFuture(Problem.conflict("edit-conflict", "数据已被他人修改", "请刷新后重试。")));
    }

    Future<Void> delete(T entry) {
      return Mongo.first(documents.deleteOne(eq("_id", entry.id()))).mapEmpty();
    }

    /** Newest first; the cursor is the last id of the previous page. */
    Future<List<T>> page(Page page, List<Bson> filters) {
      List<Bson> all = new ArrayList<>(filters);
      if (page.cursor() != null) {
        all.add(lt("_id", page.cursor()));
      }
      Bson filter = all.isEmpty() ? new Document() : and(all);
      return Mongo.all(documents.find(filter).sort(descending("_id")).limit(page.limit() + 1))
        .map(docs -> docs.stream().map(from).toList());
    }

    private Future<List<T>> all() {
      return Mongo.all(documents.find()).map(docs -> docs.stream().map(from).toList());
    }

    private Future<String> createUniqueIndex(String key) {
      return Mongo.first(documents.createIndex(Indexes.ascending(key), new IndexOptions().unique(true)));
    }
  }

  private final ListCollection<SensitiveWord> words;
  private final ListCollection<WordingRule> wordings;
  private final ListCollection<LinkDomain> domains;

  public CheckListStore(MongoDatabase db) {
    this.words = new ListCollection<>(db.getCollection("content_sensitive_words"), SensitiveWord::from,
      word -> duplicateWord());
    this.wordings = new ListCollection<>(db.getCollection("content_wording_rules"), WordingRule::from,
      rule -> duplicateWording());
    this.domains = new ListCollection<>(db.getCollection("content_link_domains"), LinkDomain::from,
      domain -> Problem.conflict("duplicate-link-domain", "该域名已在允许列表中", domain.domain()));
  }

  public Future<Void> createIndexes() {
    return Future.all(words.createUniqueIndex("key"), wordings.createUniqueIndex("key"),
      domains.createUniqueIndex("domain")).mapEmpty();
  }

  Future<Lists> all() {
    return Future.all(words.all(), wordings.all(), domains.all())
      .map(all -> new Lists(all.resultAt(0), all.resultAt(1), all.resultAt(2)));
  }

  ListCollection<SensitiveWord> words() {
    return words;
  }

  ListCollection<WordingRule> wordings() {
    return wordings;
  }

  ListCollection<LinkDomain> domains() {
    return domains;
  }

  // Sensitive words

  /**
   * Inserts every word not yet listed; repeats within the list count as duplicates too. A failure other than a
   * duplicate may leave part of the list stored: importing the same list again completes it.
   */
  Future<Imported> importWords(List<SensitiveWord> offered) {
    List<SensitiveWord> fresh = new ArrayList<>();
    List<String> duplicates = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (SensitiveWord word : offered) {
      if (keys.add(CheckText.key(word.word()))) {
        fresh.add(word);
      } else {
        duplicates.add(word.word());
      }
    }
    if (fresh.isEmpty()) {
      return Future.succeededFuture(new Imported(List.of(), duplicates));
    }
    List<Document> documents = fresh.stream().map(SensitiveWord::toDocument).toList();
    return Mongo.all(words.documents.insertMany(documents, new InsertManyOptions().ordered(false)))
      .map(inserted -> new Imported(fresh, duplicates))
      .recover(failure -> alreadyListed(failure)
        .map(refused -> Future.succeededFuture(imported(fresh, duplicates, refused)))
        .orElseGet(() -> Future.failedFuture(failure)));
  }

  /** The indexes of the words a bulk insert refused as duplicates, unless it failed for any other reason too. */
  private static Optional<Set<Integer>> alreadyListed(Throwable failure) {
    if (!(failure instanceof MongoBulkWriteException bulk)) {
      return Optional.empty();
    }
    Set<Integer> refused = new HashSet<>();
    for (BulkWriteError error : bulk.getWriteErrors()) {
      if (error.getCategory() != ErrorCategory.DUPLICATE_KEY) {
        return Optional.empty();
      }
      refused.add(error.getIndex());
    }
    return bulk.getWriteConcernError() == null ? Optional.of(refused) : Optional.empty();
  }

  private static Imported imported(List<SensitiveWord> fresh, List<String> duplicates, Set<Integer> refused) {
    List<SensitiveWord> created = new ArrayList<>();
    List<String> skipped = new ArrayList<>(duplicates);
    for (int i = 0; i < fresh.size(); i++) {
      if (refused.contains(i)) {
        skipped.add(fresh.get(i).word());
      } else {
        created.add(fresh.get(i));
      }
    }
    return new Imported(created, skipped);
  }

  Future<List<SensitiveWord>> listWords(Page page, String query, Finding.Level level) {
    List<Bson> filters = new ArrayList<>();
    if (query != null) {
      filters.add(regex("key", Pattern.quote(CheckText.key(query))));
    }
    if (level != null) {
      filters.add(eq("level", level.wire()));
    }
    return words.page(page, filters);
  }

  // Wording rules

  Future<List<WordingRule>> listWordings(Page page, String query) {
    List<Bson> filters = query == null ? List.of()
      : List.of(or(regex("key", Pattern.quote(CheckText.key(query))), regex("right", Pattern.quote(query), "i")));
    return wordings.page(page, filters);
  }

  // Link domains

  Future<List<LinkDomain>> listDomains(Page page, String query) {
    List<Bson> filters = query == null ? List.of()
      : List.of(regex("domain", Pattern.quote(query.toLowerCase(Locale.ROOT))));
    return domains.page(page, filters);
  }

  // Shared steps

  private static Problem duplicateWord() {
    return Problem.conflict("duplicate-sensitive-word", "该敏感词已存在",
      "列表中已有相同的词（不区分大小写和全角半角）。");
  }

  private static Problem duplicateWording() {
    return Problem.conflict("duplicate-wording-rule", "该错误写法已存在",
      "列表中已有相同的错误写法（不区分大小写和全角半角）。");
  }

  /** "block" or "warn" as the level it names. */
  static Finding.Level levelOf(String wire) {
    return Finding.Level.valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
