package io.govmedia.auth;

import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Config;
import io.govmedia.platform.Ids;
import io.vertx.core.Future;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * With no staff in the store, creates {@code admin} with GOVMEDIA_ADMIN_PASSWORD, or with a random password
 * printed once to the console (never to the log). Two instances starting together race on the unique
 * username; the loser finds the admin already there.
 */
final class FirstAdmin {

  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  private FirstAdmin() {
  }

  public static Future<Void> ensure(StaffStore staff, Passwords passwords, AuditLog audit, Clock clock,
                                    Optional<String> configured) {
    return staff.count().compose(count -> {
      if (count > 0) {
        return Future.succeededFuture();
      }
      String weak = configured.map(Passwords::strengthProblem).orElse(null);
      if (weak != null) {
        return Future.failedFuture(new Config.ConfigException("setting GOVMEDIA_ADMIN_PASSWORD is too weak: " + weak));
      }
      String password = configured.orElseGet(FirstAdmin::randomPassword);
      var now = clock.instant();
      return passwords.hash(password)
        .map(hash -> new Staff(Ids.newId(), "admin", "系统管理员", hash, Set.of(Role.ADMIN), List.of(), List.of(),
          List.of(), false, true, now, now, 1))
        .compose(staff::insert)
        // Shown as soon as it exists: if anything after this fails, the password is not lost with it.
        .onSuccess(admin -> announce(configured.isPresent(), password))
        .compose(admin -> audit.append(AuditLog.Actor.SYSTEM, "staff.bootstrap", "staff", admin.id(), null,
          admin.auditSummary(), "startup"))
        .<Void>mapEmpty()
        .recover(failure -> failure instanceof io.govmedia.platform.Problem p && "duplicate-username".equals(p.code())
          ? Future.succeededFuture()
          : Future.failedFuture(failure));
    });
  }

  private static void announce(boolean fromEnvironment, String password) {
    if (fromEnvironment) {
      System.out.println("govmedia: created the first administrator 'admin' with GOVMEDIA_ADMIN_PASSWORD.");
    } else {
      System.out.println("govmedia: created the first administrator 'admin' with the one-time password:");
      System.out.println();
      System.out.println("    " + password);
      System.out.println();
      System.out.println("govmedia: it is shown only now. Sign in and change it (POST /api/v1/auth/password).");
    }
  }

  private static String randomPassword() {
    SecureRandom random = new SecureRandom();
    StringBuilder out = new StringBuilder("Gm-");
    for (int i = 0; i < 20; i++) {
      out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return out.append("-9").toString();
  }
}
