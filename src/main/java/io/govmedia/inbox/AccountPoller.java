package io.govmedia.inbox;

import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountType;
import io.vertx.core.Future;

/** Reads what citizens wrote on one account since its cursor and hands each message to the intake, once. */
interface AccountPoller {

  /** The cursor's and the lease's name: {@code inbox_cursors} holds {@code accountId:kind}. */
  String kind();

  AccountType type();

  /** Hands over what is new and moves the cursor past it; answers how many messages were handed over. */
  Future<Integer> poll(Account account);
}
