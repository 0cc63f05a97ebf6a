package io.govmedia.platform;

import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.vertx.core.Future;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import static com.mongodb.client.model.Filters.eq;

/**
 * Seals secrets at rest with AES-256-GCM under the master key. Each sealed value is bound to where it lives
 * (its context, e.g. {@code account/<id>/appSecret}), so a value copied to another record does not open.
 */
public final class Secrets {

  private static final Logger log = LoggerFactory.getLogger(Secrets.class);
  private static final String VERSION = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String KEY_CHECK_ID = "master-key-check";
  private static final String KEY_CHECK_PLAIN = "govmedia master key check v1";

  private final SecretKeySpec key;

  private Secrets(byte[] masterKey) {
    this.key = new SecretKeySpec(masterKey, "AES");
  }

  /**
   * The master key from GOVMEDIA_MASTER_KEY (32 bytes, Base64), or else from a key file in the data directory,
   * generated on first use with a loud warning: whoever holds that file can open every secret.
   */
  public static Secrets fromConfig(Optional<String> masterKey, Path dataDir) {
    if (masterKey.isPresent()) {
      return new Secrets(decodeKey(masterKey.get(), "setting GOVMEDIA_MASTER_KEY"));
    }
    Path file = dataDir.resolve("master.key");
    try {
      if (!Files.exists(file)) {
        createKeyFile(dataDir, file);
      }
      log.warn("**********************************************************************");
      log.warn("GOVMEDIA_MASTER_KEY is not set: secrets are sealed with the key file {}.", file.toAbsolutePath());
      log.warn("Anyone who can read that file can open every AppSecret and token. In production set");
      log.warn("GOVMEDIA_MASTER_KEY (32 random bytes, Base64) from a secret store and keep it out of backups.");
      log.warn("**********************************************************************");
      return new Secrets(decodeKey(Files.readString(file).strip(), "master key file " + file.toAbsolutePath()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the master key file " + file, e);
    }
  }

  /** {@code source} names where the key came from, so that a bad one is blamed on the right thing. */
  static byte[] decodeKey(String encoded, String source) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(encoded.strip());
    } catch (IllegalArgumentException e) {
      throw new Config.ConfigException(source + " must be Base64 (32 random bytes)");
    }
    if (key.length != 32) {
      throw new Config.ConfigException(source + " must decode to 32 bytes, got " + key.length);
    }
    return key;
  }

  /**
   * Proves this key is the one the database's secrets were sealed with: the first start stores a sealed check
   * value; every later start (of any instance) must open it. A mismatch stops the start, before anything is
   * sealed under the wrong key or a token signed that other instances would refuse.
   */
  public Future<Void> checkAgainst(MongoDatabase db) {
    MongoCollection<Document> settings = db.getCollection("settings");
    return Mongo.first(settings.find(eq("_id", KEY_CHECK_ID))).compose(existing -> {
      if (existing == null) {
        return Mongo.first(settings.insertOne(new Document("_id", KEY_CHECK_ID)
            .append("sealed", seal(KEY_CHECK_PLAIN, KEY_CHECK_ID))))
          .<Void>mapEmpty()
          .recover(failure -> Mongo.isDuplicateKey(failure) ? checkAgainst(db) : Future.failedFuture(failure));
      }
      try {
        return KEY_CHECK_PLAIN.equals(open(existing.getString("sealed"), KEY_CHECK_ID))
          ? Future.succeededFuture()
          : Future.failedFuture(keyMismatch());
      } catch (RuntimeException e) {
        return Future.failedFuture(keyMismatch());
      }
    });
  }

  private static Config.ConfigException keyMismatch() {
    return new Config.ConfigException("setting GOVMEDIA_MASTER_KEY (or the data directory's master.key) is not the key "
      + "this database's secrets were sealed with; every instance must use the same master key");
  }

  public String seal(String plaintext, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, context);
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
      return VERSION + Base64.getEncoder().encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /** Opens a sealed value; fails when it was tampered with, sealed under another key or for another context. */
  public String open(String sealed, String context) {
    if (sealed == null || !sealed.startsWith(VERSION)) {
      throw new IllegalArgumentException("not a sealed value");
    }
    byte[] all = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
    try {
      byte[] nonce = java.util.Arrays.copyOf(all, NONCE_BYTES);
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, nonce, context);
      return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealed value does not open under the master key (context " + context + ")", e);
    }
  }

  /** A key for another purpose (token signing), derived so that the master key itself is used only for sealing. */
  public byte[] derive(String purpose) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      return mac.doFinal(("govmedia/" + purpose).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private Cipher cipher(int mode, byte[] nonce, String context) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(128, nonce));
    cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }

  /**
   * Writes a fresh key to a temporary file created owner-only, then moves it into place: the key is never
   * readable by others, and a crash never leaves a half-written key file behind.
   */
  private static void createKeyFile(Path dataDir, Path file) throws IOException {
    Files.createDirectories(dataDir);
    byte[] fresh = new byte[32];
    RANDOM.nextBytes(fresh);
    Path temp;
    try {
      temp = Files.createTempFile(dataDir, "master.key", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      log.warn("cannot restrict permissions of {}: the file system has no POSIX permissions", file);
      temp = Files.createTempFile(dataDir, "master.key", ".tmp");
    }
    Files.writeString(temp, Base64.getEncoder().encodeToString(fresh));
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      Files.deleteIfExists(temp);  // another instance on the same data directory won the race: use its key
    }
  }
}
