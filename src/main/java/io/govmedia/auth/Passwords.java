package io.govmedia.auth;

import io.govmedia.platform.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Argon2id password hashes in the PHC string format, computed on a named worker pool: a hash takes tens of
 * milliseconds and 19 MiB on purpose, which must never run on an event loop.
 */
final class Passwords {

  /** OWASP's Argon2id baseline: m = 19 MiB, t = 2, p = 1. */
  static final int MEMORY_KIB = 19_456;
  static final int ITERATIONS = 2;
  static final int PARALLELISM = 1;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private static final int MAX_PENDING = 64;

  private final WorkerExecutor workers;
  private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
  /** Verified against when the username is unknown, so that the answer takes as long as for a known one. */
  private final String decoy;

  public Passwords(Vertx vertx) {
    this.workers = vertx.createSharedWorkerExecutor("govmedia-password-hashing", 2);
    this.decoy = hashNow("decoy-" + RANDOM.nextLong());
  }

  public Future<String> hash(String password) {
    return bounded(() -> hashNow(password));
  }

  public Future<Boolean> verify(String password, String storedHash) {
    String target = storedHash == null ? decoy : storedHash;
    return bounded(() -> verifyNow(password, target) && storedHash != null);
  }

  /** A flood of logins must not queue unbounded work (and memory) in front of the staff who need to sign in. */
  private <T> Future<T> bounded(java.util.concurrent.Callable<T> work) {
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      return Future.failedFuture(new Problem(503, "auth-busy", "登录服务繁忙，请稍后再试", null)
        .with("retryAfterSeconds", 2));
    }
    return workers.executeBlocking(work, false).onComplete(done -> pending.decrementAndGet());
  }

  /** Our password rule: 10 to 128 characters with at least three of lower case, upper case, digits and symbols. */
  public static String strengthProblem(String password) {
    if (password.length() < 10 || password.length() > 128) {
      return "密码长度应为 10 到 128 个字符";
    }
    int classes = 0;
    classes += password.chars().anyMatch(Character::isLowerCase) ? 1 : 0;
    classes += password.chars().anyMatch(Character::isUpperCase) ? 1 : 0;
    classes += password.chars().anyMatch(Character::isDigit) ? 1 : 0;
    classes += password.chars().anyMatch(c -> !Character.isLetterOrDigit(c)) ? 1 : 0;
    return classes >= 3 ? null : "密码应至少包含大写字母、小写字母、数字、符号中的三类";
  }

  static void requireStrong(String field, String password) {
    String problem = strengthProblem(password);
    if (problem != null) {
      throw Problem.badRequest("weak-password", "密码强度不足", field + "：" + problem);
    }
  }

  static String hashNow(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] hash = argon2(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM);
    return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$" + B64.encodeToString(salt)
      + "$" + B64.encodeToString(hash);
  }

  static boolean verifyNow(String password, String phc) {
    String[] parts = phc.split("\\$");
    if (parts.length != 6 || !"argon2id".equals(parts[1])) {
      return false;
    }
    int memory = 0;
    int iterations = 0;
    int parallelism = 0;
    for (String param : parts[3].split(",")) {
      String[] kv = param.split("=");
      switch (kv[0]) {
        case "m" -> memory = Integer.parseInt(kv[1]);
        case "t" -> iterations = Integer.parseInt(kv[1]);
        case "p" -> parallelism = Integer.parseInt(kv[1]);
        default -> {
          return false;
        }
      }
    }
    byte[] expected = B64D.decode(parts[5]);
    byte[] actual = argon2(password, B64D.decode(parts[4]), memory, iterations, parallelism);
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] argon2(String password, byte[] salt, int memoryKib, int iterations, int parallelism) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
      .withVersion(Argon2Parameters.ARGON2_VERSION_13)
      .withMemoryAsKB(memoryKib)
      .withIterations(iterations)
      .withParallelism(parallelism)
      .withSalt(salt)
      .build());
    byte[] out = new byte[HASH_BYTES];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
