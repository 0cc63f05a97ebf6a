package io.govmedia.platform;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@DisplayName("Sealing secrets under the master key")
class SecretsTest {

  private static final String CONTEXT = "account/0123456789abcdef01234567/appSecret";

  @TempDir
  Path dir;

  @Test
  @DisplayName("a sealed value is versioned, hides the plaintext, and opens back to it")
  void roundTrip() {
    Secrets secrets = withKey(randomKey());

    String sealed = secrets.seal("3f1c9aSecretValue0042", CONTEXT);

    assertTrue(sealed.startsWith("v1:"), sealed);
    assertFalse(sealed.contains("3f1c9aSecretValue0042"));
    assertEquals("3f1c9aSecretValue0042", secrets.open(sealed, CONTEXT));
    assertEquals("政务微信令牌", secrets.open(secrets.seal("政务微信令牌", CONTEXT), CONTEXT));
  }

  @Test
  @DisplayName("sealing the same secret twice gives different values, so equal secrets cannot be spotted at rest")
  void freshNonce() {
    Secrets secrets = withKey(randomKey());
    assertNotEquals(secrets.seal("sameSecretValue12", CONTEXT), secrets.seal("sameSecretValue12", CONTEXT));
  }

  @Test
  @DisplayName("a value copied to another record does not open there")
  void contextBound() {
    Secrets secrets = withKey(randomKey());
    String sealed = secrets.seal("3f1c9aSecretValue0042", CONTEXT);

    assertThrows(IllegalStateException.class, () -> secrets.open(sealed, "account/0123456789abcdef01234567/token"));
    assertThrows(IllegalStateException.class, () -> secrets.open(sealed, "account/ffffffffffffffffffffffff/appSecret"));
  }

  @Test
  @DisplayName("a tampered value, or one sealed under another key, does not open")
  void tamperedOrForeign() {
    Secrets secrets = withKey(randomKey());
    String sealed = secrets.seal("3f1c9aSecretValue0042", CONTEXT);
    byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
    raw[raw.length / 2] ^= 0x01;
    String tampered = "v1:" + Base64.getEncoder().encodeToString(raw);

    assertThrows(IllegalStateException.class, () -> secrets.open(tampered, CONTEXT));
    assertThrows(IllegalStateException.class, () -> withKey(randomKey()).open(sealed, CONTEXT));
    assertThrows(IllegalArgumentException.class, () -> secrets.open("3f1c9aSecretValue0042", CONTEXT));
  }

  @Test
  @DisplayName("a master key that is not Base64 stops start-up with a message naming GOVMEDIA_MASTER_KEY")
  void masterKeyNotBase64() {
    Config.ConfigException e = assertThrows(Config.ConfigException.class,
      () -> Secrets.fromConfig(Optional.of("not base64 at all!"), dir));
    assertTrue(e.getMessage().contains("GOVMEDIA_MASTER_KEY"), e.getMessage());
    assertFalse(e.getMessage().contains("not base64 at all!"), "the message repeats the key: " + e.getMessage());
  }

  @Test
  @DisplayName("a master key of the wrong length stops start-up with a message naming GOVMEDIA_MASTER_KEY")
  void masterKeyWrongLength() {
    String sixteenBytes = Base64.getEncoder().encodeToString(new byte[16]);
    Config.ConfigException e = assertThrows(Config.ConfigException.class,
      () -> Secrets.fromConfig(Optional.of(sixteenBytes), dir));
    assertTrue(e.getMessage().contains("GOVMEDIA_MASTER_KEY"), e.getMessage());
    assertFalse(e.getMessage().contains(sixteenBytes), "the message repeats the key: " + e.getMessage());
    assertFalse(Files.exists(dir.resolve("master.key")), "a key file was written although a key was given");
  }

  @Test
  @DisplayName("without a master key, a key file is created in the data directory and reused on the next start")
  void keyFile() throws Exception {
    Path dataDir = dir.resolve("data");

    Secrets first = Secrets.fromConfig(Optional.empty(), dataDir);
    String sealed = first.seal("3f1c9aSecretValue0042", CONTEXT);

    Path file = dataDir.resolve("master.key");
    assertTrue(Files.exists(file), "no master.key in " + dataDir);
    assertEquals(32, Base64.getDecoder().decode(Files.readString(file).strip()).length);
    String content = Files.readString(file);
    Secrets second = Secrets.fromConfig(Optional.empty(), dataDir);
    assertEquals("3f1c9aSecretValue0042", second.open(sealed, CONTEXT));
    assertEquals(content, Files.readString(file), "the key file was rewritten");
    assertArrayEquals(first.derive("access-token-signing"), second.derive("access-token-signing"));
  }

  @Test
  @DisplayName("a corrupt key file stops start-up with a message naming the file, not an unset variable")
  void corruptKeyFile() throws Exception {
    Files.writeString(dir.resolve("master.key"), "");

    Config.ConfigException e = assertThrows(Config.ConfigException.class, () -> Secrets.fromConfig(Optional.empty(), dir));

    assertTrue(e.getMessage().contains(dir.resolve("master.key").toString()), e.getMessage());
    assertFalse(e.getMessage().contains("setting GOVMEDIA_MASTER_KEY"), e.getMessage());
  }

  @Test
  @DisplayName("the generated key file is readable by its owner only")
  void keyFilePermissions() throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Secrets.fromConfig(Optional.empty(), dir);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("master.key"))));
  }

  @Test
  @DisplayName("the same key given as GOVMEDIA_MASTER_KEY opens what the key file sealed")
  void envKeyMatchesFile() throws Exception {
    String sealed = Secrets.fromConfig(Optional.empty(), dir).seal("3f1c9aSecretValue0042", CONTEXT);
    String key = Files.readString(dir.resolve("master.key")).strip();
    assertEquals("3f1c9aSecretValue0042", withKey(key).open(sealed, CONTEXT));
  }

  @Test
  @DisplayName("keys derived for other purposes differ from each other and depend on the master key")
  void derivedKeys() {
    String key = randomKey();
    Secrets secrets = withKey(key);
    assertFalse(java.util.Arrays.equals(secrets.derive("access-token-signing"), secrets.derive("other")));
    assertArrayEquals(secrets.derive("access-token-signing"), withKey(key).derive("access-token-signing"));
    assertFalse(java.util.Arrays.equals(secrets.derive("access-token-signing"),
      withKey(randomKey()).derive("access-token-signing")));
  }

  private Secrets withKey(String base64) {
    return Secrets.fromConfig(Optional.of(base64), dir);
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
