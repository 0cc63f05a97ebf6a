package io.govmedia.auth;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Staff passwords")
class PasswordsTest {

  static Vertx vertx;
  static Passwords passwords;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    passwords = new Passwords(vertx);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  @DisplayName("are stored as salted Argon2id hashes at OWASP's work factor, and verify only the right password")
  void argon2id() throws Exception {
    String hash = passwords.hash("Correct-Horse-9").await(10, TimeUnit.SECONDS);
    assertTrue(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), hash);
    assertFalse(hash.contains("Correct-Horse-9"));
    assertNotEquals(hash, passwords.hash("Correct-Horse-9").await(10, TimeUnit.SECONDS), "each hash has its own salt");
    assertTrue(passwords.verify("Correct-Horse-9", hash).await(10, TimeUnit.SECONDS));
    assertFalse(passwords.verify("correct-horse-9", hash).await(10, TimeUnit.SECONDS));
    assertFalse(passwords.verify("Correct-Horse-9", null).await(10, TimeUnit.SECONDS), "an unknown user never matches");
  }

  @Test
  @DisplayName("are hashed off the event loop: the caller gets a future at once while the hash takes its time")
  void offTheEventLoop() throws Exception {
    CompletableFuture<long[]> timings = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      long start = System.nanoTime();
      var hash = passwords.hash("Correct-Horse-9");
      long returned = System.nanoTime() - start;
      hash.onSuccess(h -> timings.complete(new long[] {returned, System.nanoTime() - start}));
    });
    long[] nanos = timings.get(10, TimeUnit.SECONDS);
    assertTrue(nanos[0] * 10 < nanos[1], "the event loop waited " + nanos[0] / 1000 + " us of " + nanos[1] / 1000 + " us");
  }

  @Test
  @DisplayName("must be 10+ characters with three kinds of character")
  void strength() {
    assertNotNull(Passwords.strengthProblem("Short-1"));
    assertNotNull(Passwords.strengthProblem("alllowercaseletters"));
    assertNotNull(Passwords.strengthProblem("lowercase-with-dash"), "two kinds only");
    assertNull(Passwords.strengthProblem("Lower-and-Upper"));
    assertNull(Passwords.strengthProblem("政务新媒体Passw0rd"));
  }
}
