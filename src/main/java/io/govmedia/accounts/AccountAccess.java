package io.govmedia.accounts;

import io.govmedia.auth.DepartmentStore;
import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Problem;
import io.vertx.core.Future;

import java.util.Set;

/**
 * Who may reach an account. Admins reach all. Editors reach the accounts in their {@code accountIds} and may
 * manage them (menus, auto-replies, posts). Repliers, dispatchers and supervisors read the accounts owned by
 * their departments and the departments below. Every feature that works on an account asks here.
 */
public final class AccountAccess {

  private final AccountStore accounts;
  private final DepartmentStore departments;

  public AccountAccess(AccountStore accounts, DepartmentStore departments) {
    this.accounts = accounts;
    this.departments = departments;
  }

  /** The account, if the principal may read it: 404 when unknown, 403 when outside its scope. */
  public Future<Account> readable(Principal principal, String accountId) {
    return Ids.lookup(accountId, accounts::find, "账号").compose(account -> canRead(principal, account)
      .compose(ok -> ok ? Future.succeededFuture(account) : Future.failedFuture(outOfScope())));
  }

  /** The account, if the principal may change what it publishes: admins, and editors scoped to it. */
  public Future<Account> manageable(Principal principal, String accountId) {
    return Ids.lookup(accountId, accounts::find, "账号").compose(account ->
      principal.isAdmin() || principal.has(Role.EDITOR) && principal.accountIds().contains(account.id())
        ? Future.succeededFuture(account)
        : Future.failedFuture(outOfScope()));
  }

  Future<Boolean> canRead(Principal principal, Account account) {
    if (principal.isAdmin() || principal.accountIds().contains(account.id())) {
      return Future.succeededFuture(true);
    }
    return departmentScope(principal).map(scope -> scope.contains(account.departmentId()));
  }

  /** Departments whose accounts a replier, dispatcher or supervisor may see; editors are scoped by account only. */
  Future<Set<String>> departmentScope(Principal principal) {
    if (!principal.hasAny(Role.REPLIER, Role.DISPATCHER, Role.SUPERVISOR)) {
      return Future.succeededFuture(Set.of());
    }
    return departments.reach(principal);
  }

  private static Problem outOfScope() {
    return Problem.forbidden("该账号不在您的授权范围内。");
  }
}
