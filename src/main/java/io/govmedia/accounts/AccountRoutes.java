package io.govmedia.accounts;

import io.govmedia.auth.DepartmentStore;
import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Input;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.govmedia.platform.RequestLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/accounts}: admins register and change channel accounts. Others see the accounts they are
 * scoped to: an editor its {@code accountIds}; a replier, dispatcher or supervisor those of its departments.
 */
final class AccountRoutes {

  static final Pattern APP_ID = Pattern.compile("wx[0-9a-f]{16}");
  static final Pattern SECRET = Pattern.compile("[A-Za-z0-9]{16,64}");
  static final Pattern CALLBACK_TOKEN = Pattern.compile("[A-Za-z0-9]{3,32}");
  static final Pattern AES_KEY = Pattern.compile("[A-Za-z0-9]{43}");
  static final Pattern ORIGINAL_ID = Pattern.compile("gh_[0-9a-f]{12}");
  static final Pattern WEIBO_NUMBER = Pattern.compile("[0-9]{5,20}");
  static final Pattern WEIBO_TOKEN = Pattern.compile("[A-Za-z0-9._-]{10,256}");
  private static final Set<String> KINDS = Set.of("subscription", "service");
  private static final Set<String> STATUSES = Set.of("active", "suspended", "closed");

  private final AccountStore store;
  private final DepartmentStore departments;
  private final AccountAccess access;
  private final AuditLog audit;
  private final Clock clock;

  public AccountRoutes(AccountStore store, DepartmentStore departments, AccountAccess access, AuditLog audit,
                       Clock clock) {
    this.store = store;
    this.departments = departments;
    this.access = access;
    this.audit = audit;
    this.clock = clock;
  }

  public Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.post("/").handler(this::create);
    router.get("/").handler(this::list);
    router.get("/:id").handler(this::get);
    router.patch("/:id").handler(this::update);
    return router;
  }

  private void create(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN);
    Input input = Input.of(ctx);
    AccountType type = AccountType.parse(input.oneOf("type", AccountType.NAMES)).orElse(null);
    String name = input.string("name", 64);
    String departmentId = input.matching("departmentId", Ids.FORMAT, "部门 id");
    String overrideReason = input.optionalText("overrideReason", 500);
    if (type == null) {
      input.validate();
    }
    Draft draft = Draft.read(input, type, null);
    input.validate();
    String id = Ids.newId();
    Instant now = clock.instant();
    Account account = new Account(id, type, name, departmentId, Account.Status.ACTIVE, draft.kind, draft.appId,
      draft.originalId, draft.callbackMode, draft.appKey, draft.uid, draft.tokenExpiresAt, seal(id, draft.secrets, Map.of()),
      overrideReason, now, now, 1);
    departments.requireExisting(departmentId, "departmentId", "所属部门不存在")
      .compose(ok -> store.insert(account))
      .compose(created -> audit.append(principal.actor(), "account.create", "account", id, null,
        created.auditSummary(), RequestLog.id(ctx)).map(created))
      .onSuccess(created -> Reply.created(ctx, created.toJson(clock.instant())))
      .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    Page page = Page.of(ctx);
    String type = ctx.request().getParam("type");
    if (type != null && !AccountType.NAMES.contains(type)) {
      throw Problem.badRequest("invalid-parameter", "查询参数有误", "type 应为 wechat_mp / wechat_miniapp / weibo。");
    }
    Future<Set<String>> departmentScope = principal.isAdmin() ? Future.succeededFuture(null) : access.departmentScope(principal);
    departmentScope
      .compose(scope -> store.list(page, principal.isAdmin() ? null : principal.accountIds(), scope, type))
      .onSuccess(items -> Reply.ok(ctx, page.answer(items, account -> account.toJson(clock.instant()), Account::id)))
      .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    access.readable(Principal.of(ctx), ctx.pathParam("id"))
      .onSuccess(account -> Reply.ok(ctx, account.toJson(clock.instant())))
      .onFailure(ctx::fail);
  }

  private void update(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN);
    Input input = Input.of(ctx);
    String name = input.optionalString("name", 64);
    String departmentId = input.optionalMatching("departmentId", Ids.FORMAT, "部门 id");
    String status = input.has("status") ? input.oneOf("status", STATUSES) : null;
    String overrideReason = input.optionalText("overrideReason", 500);
    for (String identity : List.of("type", "appId", "appKey", "uid")) {
      if (input.has(identity)) {
        input.error(identity, "账号的平台身份不可修改；如需更换，请新建账号");
      }
    }
    input.validate();
    Long expected = Input.ifMatch(ctx);
    load(ctx.pathParam("id"))
      .compose(before -> {
        Input.requireVersion(expected, before.version());
        Draft draft = Draft.read(input, before.type(), before);
        input.validate();
        Account after = new Account(before.id(), before.type(), name == null ? before.name() : name,
          departmentId == null ? before.departmentId() : departmentId,
          status == null ? before.status() : Account.Status.valueOf(status.toUpperCase(Locale.ROOT)),
          draft.kind == null ? before.kind() : draft.kind, before.appId(),
          draft.originalId == null ? before.originalId() : draft.originalId,
          draft.callbackMode == null ? before.callbackMode() : draft.callbackMode, before.appKey(), before.uid(),
          draft.tokenExpiresAt == null ? before.tokenExpiresAt() : draft.tokenExpiresAt,
          seal(before.id(), draft.secrets, before.sealedSecrets()),
          overrideReason == null ? before.overrideReason() : overrideReason,
          before.createdAt(), clock.instant(), before.version() + 1,
          draft.tokenExpiresAt == null ? before.tokenIssuedAt() : null);
        return departments.requireExisting(departmentId, "departmentId", "所属部门不存在")
          .compose(ok -> store.replace(before, after))
          .compose(saved -> audit.append(principal.actor(), "account.update", "account", saved.id(),
            before.auditSummary(), saved.auditSummary(), RequestLog.id(ctx)).map(saved));
      })
      .onSuccess(saved -> Reply.ok(ctx, saved.toJson(clock.instant())))
      .onFailure(ctx::fail);
  }

  /**
   * Type-specific fields, read against the stored account ({@code before}, null on create). On create the
   * platform's identity, its essential secrets and (for an official account) the callback mode are required.
   */
  private record Draft(String kind, String appId, String originalId, CallbackMode callbackMode, String appKey,
                       String uid, Instant tokenExpiresAt, Map<String, String> secrets) {

    static Draft read(Input input, AccountType type, Account before) {
      boolean creating = before == null;
      Map<String, String> secrets = new HashMap<>();
      return switch (type) {
        case WECHAT_MP -> {
          String kind = creating ? input.oneOf("kind", KINDS) : input.has("kind") ? input.oneOf("kind", KINDS) : null;
          String appId = creating ? input.matching("appId", APP_ID, " wx 加 16 位十六进制字符") : null;
          putSecret(input, secrets, "appSecret", SECRET, creating);
          putSecret(input, secrets, "token", CALLBACK_TOKEN, creating);
          putSecret(input, secrets, "aesKey", AES_KEY, false);
          String originalId = creating ? input.matching("originalId", ORIGINAL_ID, " gh_ 加 12 位十六进制字符")
            : input.optionalMatching("originalId", ORIGINAL_ID, " gh_ 加 12 位十六进制字符");
          CallbackMode mode = callbackMode(input, creating);
          if (mode != null && mode.encrypts() && !secrets.containsKey("aesKey")
            && (creating || !before.sealedSecrets().containsKey("aesKey"))) {
            // Without the key every delivery in these modes would be refused: say so now, not at the first message.
            input.error("callbackMode", "兼容模式和安全模式需要设置 aesKey（消息加解密密钥 EncodingAESKey）");
          }
          yield new Draft(kind, appId, originalId, mode, null, null, null, secrets);
        }
        case WECHAT_MINIAPP -> {
          String appId = creating ? input.matching("appId", APP_ID, " wx 加 16 位十六进制字符") : null;
          putSecret(input, secrets, "appSecret", SECRET, creating);
          putSecret(input, secrets, "token", CALLBACK_TOKEN, false);  // the message push's; sign-in needs neither
          putSecret(input, secrets, "aesKey", AES_KEY, false);
          String originalId = input.optionalMatching("originalId", ORIGINAL_ID, " gh_ 加 12 位十六进制字符");
          yield new Draft(null, appId, originalId, callbackMode(input, false), null, null, null, secrets);
        }
        case WEIBO -> {
          String appKey = creating ? input.matching("appKey", WEIBO_NUMBER, "数字 App Key") : null;
          String uid = creating ? input.matching("uid", WEIBO_NUMBER, "数字 uid") : null;
          putSecret(input, secrets, "appSecret", SECRET, creating);
          putSecret(input, secrets, "accessToken", WEIBO_TOKEN, false);
          Instant expiresAt = input.optionalInstant("tokenExpiresAt");
          if (secrets.containsKey("accessToken") && expiresAt == null) {
            input.error("tokenExpiresAt", "提供 accessToken 时必须同时提供其过期时间");
          }
          yield new Draft(null, null, null, null, appKey, uid, expiresAt, secrets);
        }
      };
    }

    private static CallbackMode callbackMode(Input input, boolean required) {
      return required || input.has("callbackMode") ? CallbackMode.parse(input.oneOf("callbackMode", CallbackMode.NAMES))
        : null;
    }

    private static void putSecret(Input input, Map<String, String> secrets, String name, Pattern format, boolean required) {
      String value = required ? input.matching(name, format, "平台提供的值")
        : input.optionalMatching(name, format, "平台提供的值");
      if (value != null) {
        secrets.put(name, value);
      }
    }
  }

  private Map<String, String> seal(String accountId, Map<String, String> plain, Map<String, String> existing) {
    Map<String, String> sealed = new HashMap<>(existing);
    plain.forEach((name, value) -> sealed.put(name, store.seal(accountId, name, value)));
    return Map.copyOf(sealed);
  }

  private Future<Account> load(String id) {
    return Ids.lookup(id, store::find, "账号");
  }
}
