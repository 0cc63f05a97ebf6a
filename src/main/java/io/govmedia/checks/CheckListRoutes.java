package io.govmedia.checks;

import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.govmedia.checks.CheckListStore.LinkDomain;
import io.govmedia.checks.CheckListStore.SensitiveWord;
import io.govmedia.checks.CheckListStore.WordingRule;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Input;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.govmedia.platform.RequestLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.net.IDN;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The administrators' lists of the content checks — {@code /api/v1/sensitive-words}, {@code /api/v1/wording-rules},
 * {@code /api/v1/link-domains} — and {@code POST /api/v1/content-checks}, which runs the checks on a draft.
 * Admins change the lists; reviewers may read them; nobody else sees them. Every change is audited, used by this
 * instance's checks before it is answered, and by the others within seconds ({@link ContentChecks}).
 */
public final class CheckListRoutes {

  static final int WORD_MAX = 50;
  static final int CATEGORY_MAX = 32;
  static final int WORDING_MAX = 100;
  static final int NOTE_MAX = 500;
  static final int IMPORT_MAX = 10_000;
  static final int QUERY_MAX = 50;
  static final int TITLE_MAX = 200;
  private static final Set<String> LEVELS = Set.of("block", "warn");
  private static final int MAX_IMPORT_ERRORS = 100;
  private static final Pattern DOMAIN = Pattern.compile(
    "(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?");

  private final CheckListStore store;
  private final ContentChecks checks;
  private final AuditLog audit;
  private final Clock clock;

  public CheckListRoutes(CheckListStore store, ContentChecks checks, AuditLog audit, Clock clock) {
    this.store = store;
    this.checks = checks;
    this.audit = audit;
    this.clock = clock;
  }

  /** Mount on {@code /api/v1/sensitive-words*}. */
  public Router sensitiveWords(Vertx vertx) {
    Router router = new ListResource<>(new SensitiveWords()).routes(vertx);
    router.post("/import").handler(this::importWords);
    return router;
  }

  /** Mount on {@code /api/v1/wording-rules*}. */
  public Router wordingRules(Vertx vertx) {
    return new ListResource<>(new WordingRules()).routes(vertx);
  }

  /** Mount on {@code /api/v1/link-domains*}. */
  public Router linkDomains(Vertx vertx) {
    return new ListResource<>(new LinkDomains()).routes(vertx);
  }

  /** Mount on {@code /api/v1/content-checks*}. */
  public Router contentChecks(Vertx vertx) {
    Router router = Router.router(vertx);
    router.post("/").handler(this::runChecks);
    return router;
  }

  // One list resource, mounted three times

  /**
   * What one list does its own way: the fields of its entries, how they are stored and searched. Creating, listing,
   * reading, changing and deleting, who may do which, and the audit of every change are alike ({@link ListResource}).
   */
  private interface ListKind<T extends CheckListStore.Entry> {

    /** The list's name in its audit actions, {@code content.<name>.create}, and targets, {@code content_<name>}. */
    String name();

    /** What people call an entry, for a 404. */
    String label();

    /** Where the list's entries are stored. */
    CheckListStore.ListCollection<T> collection();

    /** A new entry from a create request; each problem is recorded on {@code input}. */
    T read(Input input, String id, Instant now);

    Future<List<T>> list(RoutingContext ctx, Page page);

    /** The list answer, with anything the list adds to it. */
    default JsonObject listed(JsonObject answer) {
      return answer;
    }
  }

  /** A list whose entries PATCH may change. */
  private interface ChangeableKind<T extends CheckListStore.Entry> extends ListKind<T> {

    /**
     * Reads a PATCH request: the change it makes to a stored entry. Problems of the request are recorded on
     * {@code input} at once; those of the changed entry as a whole when the change is applied.
     */
    BiFunction<T, Instant, T> change(Input input);
  }

  /** One list over HTTP: admins change it, reviewers may read it; every change is applied to the checks and audited. */
  private final class ListResource<T extends CheckListStore.Entry> {

    private final ListKind<T> kind;

    ListResource(ListKind<T> kind) {
      this.kind = kind;
    }

    Router routes(Vertx vertx) {
      Router router = Router.router(vertx);
      router.post("/").handler(this::create);
      router.get("/").handler(this::list);
      router.get("/:id").handler(this::read);
      if (kind instanceof ChangeableKind<T> changeable) {
        router.patch("/:id").handler(ctx -> update(ctx, changeable));
      }
      router.delete("/:id").handler(this::delete);
      return router;
    }

    private void create(RoutingContext ctx) {
      Principal principal = admin(ctx);
      Input input = Input.of(ctx);
      T entry = kind.read(input, Ids.newId(), clock.instant());
      input.validate();
      kind.collection().insert(entry)
        .compose(created -> changed(ctx, principal, "create", created.id(), null, created.auditSummary()).map(created))
        .onSuccess(created -> Reply.created(ctx, created.toJson()))
        .onFailure(ctx::fail);
    }

    private void list(RoutingContext ctx) {
      reader(ctx);
      Page page = Page.of(ctx);
      kind.list(ctx, page)
        .onSuccess(items -> Reply.ok(ctx, kind.listed(page.answer(items, T::toJson, T::id))))
        .onFailure(ctx::fail);
    }

    private void read(RoutingContext ctx) {
      reader(ctx);
      lookup(ctx).onSuccess(found -> Reply.ok(ctx, found.toJson())).onFailure(ctx::fail);
    }

    private void update(RoutingContext ctx, ChangeableKind<T> changeable) {
      Principal principal = admin(ctx);
      Input input = Input.of(ctx);
      BiFunction<T, Instant, T> change = changeable.change(input);
      input.validate();
      lookup(ctx)
        .compose(before -> {
          T after = change.apply(before, clock.instant());
          input.validate();
          return kind.collection().replace(before, after).compose(saved -> changed(ctx, principal, "update",
            saved.id(), before.auditSummary(), saved.auditSummary()).map(saved));
        })
        .onSuccess(saved -> Reply.ok(ctx, saved.toJson()))
        .onFailure(ctx::fail);
    }

    private void delete(RoutingContext ctx) {
      Principal principal = admin(ctx);
      lookup(ctx)
        .compose(entry -> kind.collection().delete(entry).compose(deleted -> changed(ctx, principal, "delete",
          entry.id(), entry.auditSummary(), null)))
        .onSuccess(done -> Reply.noContent(ctx))
        .onFailure(ctx::fail);
    }

    private Future<T> lookup(RoutingContext ctx) {
      return Ids.lookup(ctx.pathParam("id"), kind.collection()::find, kind.label());
    }

    /** Rebuilds this instance's checks and tells the others, then records the change. */
    private Future<AuditLog.Entry> changed(RoutingContext ctx, Principal principal, String verb, String targetId,
                                           JsonObject before, JsonObject after) {
      return checks.changed().compose(done -> audit.append(principal.actor(), "content." + kind.name() + "." + verb,
        targetType(kind.name()), targetId, before, after, RequestLog.id(ctx)));
    }
  }

  private static String targetType(String listName) {
    return "content_" + listName.replace('-', '_');
  }

  // Sensitive words

  private final class SensitiveWords implements ChangeableKind<SensitiveWord> {

    @Override
    public String name() {
      return "sensitive-word";
    }

    @Override
    public CheckListStore.ListCollection<SensitiveWord> collection() {
      return store.words();
    }

    @Override
    public String label() {
      return "敏感词";
    }

    @Override
    public SensitiveWord read(Input input, String id, Instant now) {
      WordDraft draft = WordDraft.read(input);
      return new SensitiveWord(id, draft.word, draft.level, draft.category, now, now, 1);
    }

    @Override
    public BiFunction<SensitiveWord, Instant, SensitiveWord> change(Input input) {
      if (input.has("word")) {
        input.error("word", "敏感词本身不可修改；请删除后新建");
      }
      String level = input.has("level") ? input.oneOf("level", LEVELS) : null;
      String category = input.optionalString("category", CATEGORY_MAX);
      return (before, now) -> new SensitiveWord(before.id(), before.word(),
        level == null ? before.level() : CheckListStore.levelOf(level),
        category == null ? before.category() : category, before.createdAt(), now, before.version() + 1);
    }

    @Override
    public Future<List<SensitiveWord>> list(RoutingContext ctx, Page page) {
      String query = query(ctx);
      String level = ctx.request().getParam("level");
      if (level != null && !LEVELS.contains(level)) {
        throw Problem.badRequest("invalid-parameter", "查询参数有误", "level 应为 block 或 warn。");
      }
      return store.listWords(page, query, level == null ? null : CheckListStore.levelOf(level));
    }
  }

  /**
   * Up to {@value #IMPORT_MAX} words at once. Every item is checked first and one bad item refuses the whole
   * request; words already listed, or repeated, are skipped and named. One audit entry records the import.
   */
  private void importWords(RoutingContext ctx) {
    Principal principal = admin(ctx);
    Input input = Input.of(ctx);
    List<WordDraft> drafts = WordDraft.readAll(input, ctx.body().asJsonObject().getValue("words"));
    input.validate();
    Instant now = clock.instant();
    List<SensitiveWord> offered = drafts.stream()
      .map(d -> new SensitiveWord(Ids.newId(), d.word, d.level, d.category, now, now, 1)).toList();
    store.importWords(offered)
      .eventually(() -> checks.changed())
      .compose(imported -> audit.append(principal.actor(), "content.sensitive-word.import", targetType("sensitive-word"),
        null, null, importSummary(imported), RequestLog.id(ctx)).map(imported))
      .onSuccess(imported -> Reply.ok(ctx, new JsonObject().put("created", imported.created().size())
        .put("duplicates", new JsonArray(imported.duplicates()))))
      .onFailure(ctx::fail);
  }

  // Wording rules

  private final class WordingRules implements ChangeableKind<WordingRule> {

    @Override
    public String name() {
      return "wording-rule";
    }

    @Override
    public CheckListStore.ListCollection<WordingRule> collection() {
      return store.wordings();
    }

    @Override
    public String label() {
      return "表述规则";
    }

    @Override
    public WordingRule read(Input input, String id, Instant now) {
      String wrong = input.string("wrong", WORDING_MAX);
      String right = input.string("right", WORDING_MAX);
      String note = input.optionalString("note", NOTE_MAX);
      checkWording(input, wrong, right);
      return new WordingRule(id, wrong, right, note, now, now, 1);
    }

    @Override
    public BiFunction<WordingRule, Instant, WordingRule> change(Input input) {
      String wrong = input.optionalString("wrong", WORDING_MAX);
      String right = input.optionalString("right", WORDING_MAX);
      String note = input.optionalString("note", NOTE_MAX);
      return (before, now) -> {
        WordingRule after = new WordingRule(before.id(), wrong == null ? before.wrong() : wrong,
          right == null ? before.right() : right, note == null ? before.note() : note, before.createdAt(), now,
          before.version() + 1);
        checkWording(input, after.wrong(), after.right());
        return after;
      };
    }

    @Override
    public Future<List<WordingRule>> list(RoutingContext ctx, Page page) {
      return store.listWordings(page, query(ctx));
    }
  }

  /** A wrong form inside its own right form would flag every correct use, so such a rule is refused. */
  private static void checkWording(Input input, String wrong, String right) {
    if (wrong == null || right == null) {
      return;
    }
    String wrongKey = CheckText.key(wrong);
    if (wrongKey.isEmpty()) {
      input.error("wrong", "不能只含不可见字符");
    } else if (CheckText.key(right).contains(wrongKey)) {
      input.error("right", "正确写法包含错误写法，正确的用法也会被标记；请把错误写法写得更完整");
    }
  }

  // Link domains: added and removed, never changed

  private final class LinkDomains implements ListKind<LinkDomain> {

    @Override
    public String name() {
      return "link-domain";
    }

    @Override
    public CheckListStore.ListCollection<LinkDomain> collection() {
      return store.domains();
    }

    @Override
    public String label() {
      return "允许的域名";
    }

    @Override
    public LinkDomain read(Input input, String id, Instant now) {
      String domain = domainName(input, input.string("domain", 253));
      String note = input.optionalString("note", NOTE_MAX);
      return new LinkDomain(id, domain, note, now);
    }

    @Override
    public Future<List<LinkDomain>> list(RoutingContext ctx, Page page) {
      return store.listDomains(page, query(ctx));
    }

    /** The domains allowed without being listed are shown with the list. */
    @Override
    public JsonObject listed(JsonObject answer) {
      return answer.put("builtIn", new JsonArray(ContentChecks.BUILT_IN_DOMAINS));
    }
  }

  /** A host name as links use it: lower case, an IDN in its ASCII form, no scheme, port or path. */
  private static String domainName(Input input, String value) {
    if (value == null) {
      return null;
    }
    String ascii;
    try {
      ascii = IDN.toASCII(value.toLowerCase(Locale.ROOT), IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      ascii = "";
    }
    if (!DOMAIN.matcher(ascii).matches()) {
      input.error("domain", "应为域名，如 www.people.com.cn（不含 http://、端口和路径）");
      return null;
    }
    return ascii;
  }

  // Running the checks on a draft

  /** The findings a submit would record, for editors to fix a draft first. The body is sanitized as on save. */
  private void runChecks(RoutingContext ctx) {
    Principal.of(ctx).require(Role.ADMIN, Role.EDITOR, Role.REVIEWER);
    Input input = Input.of(ctx);
    String title = input.optionalString("title", TITLE_MAX);
    Object rawBody = ctx.body().asJsonObject().getValue("body");
    if (rawBody != null && !(rawBody instanceof String)) {
      input.error("body", "应为字符串（HTML）");
    }
    input.validate();
    checks.checkDraft(title, (String) rawBody)
      .onSuccess(draft -> Reply.ok(ctx, new JsonObject()
        .put("findings", new JsonArray(draft.findings().stream().map(Finding::toJson).toList()))
        .put("blocked", draft.findings().stream().anyMatch(Finding::blocks))
        .put("title", title)
        .put("bodyText", draft.body().text())))
      .onFailure(ctx::fail);
  }

  // Shared steps

  private static Principal admin(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN);
    return principal;
  }

  private static void reader(RoutingContext ctx) {
    Principal.of(ctx).require(Role.ADMIN, Role.REVIEWER);
  }

  private static String query(RoutingContext ctx) {
    String q = ctx.request().getParam("q");
    if (q == null || q.isBlank()) {
      return null;
    }
    if (q.length() > QUERY_MAX) {
      throw Problem.badRequest("invalid-parameter", "查询参数有误", "q 至多 " + QUERY_MAX + " 个字符。");
    }
    return q.strip();
  }

  private static JsonObject importSummary(CheckListStore.Imported imported) {
    JsonArray block = new JsonArray();
    JsonArray warn = new JsonArray();
    imported.created().forEach(word -> (word.level() == Finding.Level.BLOCK ? block : warn).add(word.word()));
    return new JsonObject().put("created", imported.created().size()).put("duplicates", imported.duplicates().size())
      .put("block", block).put("warn", warn);
  }

  /** A sensitive word as a create or an import item gives it. */
  private record WordDraft(String word, Finding.Level level, String category) {

    static WordDraft read(Input input) {
      String word = input.string("word", WORD_MAX);
      String level = input.oneOf("level", LEVELS);
      String category = input.optionalString("category", CATEGORY_MAX);
      if (word != null && CheckText.key(word).isEmpty()) {
        input.error("word", "不能只含不可见字符");
      }
      return new WordDraft(word, level == null ? null : CheckListStore.levelOf(level), category);
    }

    /** The import's items; each item's problems are named {@code words[i].field}, at most 100 of them. */
    static List<WordDraft> readAll(Input input, Object value) {
      if (!(value instanceof JsonArray items) || items.isEmpty() || items.size() > IMPORT_MAX) {
        input.error("words", "应为 1 到 " + IMPORT_MAX + " 个 {\"word\", \"level\"} 对象的数组");
        return List.of();
      }
      List<WordDraft> drafts = new ArrayList<>(items.size());
      int errors = 0;
      for (int i = 0; i < items.size() && errors < MAX_IMPORT_ERRORS; i++) {
        String at = "words[" + i + "]";
        if (!(items.getValue(i) instanceof JsonObject item)) {
          input.error(at, "应为 {\"word\", \"level\"} 对象");
          errors++;
          continue;
        }
        Input own = Input.of(item);
        WordDraft draft = read(own);
        try {
          own.validate();
          drafts.add(draft);
        } catch (Problem problem) {
          for (Object error : problem.extensions().getJsonArray("errors")) {
            JsonObject e = (JsonObject) error;
            input.error(at + "." + e.getString("field"), e.getString("message"));
          }
          errors++;
        }
      }
      return drafts;
    }
  }
}
