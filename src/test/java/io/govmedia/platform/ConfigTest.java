package io.govmedia.platform;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Configuration")
class ConfigTest {

  @Test
  @DisplayName("with no file and no environment, the server runs on 8080 with embedded stores under ./data")
  void defaults() {
    Config config = Config.from(new JsonObject(), Map.of());
    assertEquals(8080, config.http().port());
    assertEquals(1_048_576, config.http().bodyLimitBytes());
    assertEquals(Path.of("./data"), config.dataDir());
    assertTrue(config.mongo().embedded());
    assertTrue(config.redis().embedded());
    assertEquals(Duration.ofMinutes(15), config.security().loginWindow());
    assertEquals(5, config.security().loginMaxFailures());
  }

  @Test
  @DisplayName("metrics are served on 127.0.0.1:9464 unless made public, and the embedded store syncs only when asked")
  void metricsAndSyncDefaults() {
    Config config = Config.from(new JsonObject(), Map.of());
    assertEquals(new Config.Metrics(false, "127.0.0.1", 9464), config.metrics());
    assertFalse(config.mongo().embeddedSync());

    Config changed = Config.from(new JsonObject(), Map.of("GOVMEDIA_METRICS_PUBLIC", "true", "GOVMEDIA_METRICS_HOST",
      "10.0.0.5", "GOVMEDIA_METRICS_PORT", "0", "GOVMEDIA_MONGO_EMBEDDED_SYNC", "true"));
    assertEquals(new Config.Metrics(true, "10.0.0.5", 0), changed.metrics());
    assertTrue(changed.mongo().embeddedSync());

    var port = assertThrows(Config.ConfigException.class,
      () -> Config.from(new JsonObject(), Map.of("GOVMEDIA_METRICS_PORT", "65536")));
    assertTrue(port.getMessage().contains("metrics.port (GOVMEDIA_METRICS_PORT)"), port.getMessage());
  }

  @Test
  @DisplayName("the shipped conf/govmedia.json is valid and matches the defaults")
  void shippedFile() {
    Config config = Config.load(Map.of(Config.CONFIG_FILE_ENV, "conf/govmedia.json"));
    assertEquals(Config.from(new JsonObject(), Map.of()), config);
  }

  @Test
  @DisplayName("environment variables override the file")
  void environmentWins() {
    JsonObject file = new JsonObject().put("http", new JsonObject().put("port", 9000)).put("dataDir", "/srv/file");
    Config config = Config.from(file, Map.of("GOVMEDIA_HTTP_PORT", "9100", "GOVMEDIA_DATA_DIR", "/srv/env",
      "GOVMEDIA_MONGO_URI", "mongodb://db1,db2,db3/?replicaSet=rs0", "GOVMEDIA_REDIS_URI", "redis://cache:6379"));
    assertEquals(9100, config.http().port());
    assertEquals(Path.of("/srv/env"), config.dataDir());
    assertFalse(config.mongo().embedded());
    assertEquals("redis://cache:6379", config.redis().uri().orElseThrow());
  }

  @Test
  @DisplayName("a bad value stops the start with a message naming the setting and its variable")
  void badValuesNamed() {
    var port = assertThrows(Config.ConfigException.class,
      () -> Config.from(new JsonObject(), Map.of("GOVMEDIA_HTTP_PORT", "80a")));
    assertTrue(port.getMessage().contains("http.port") && port.getMessage().contains("GOVMEDIA_HTTP_PORT"), port.getMessage());

    var range = assertThrows(Config.ConfigException.class,
      () -> Config.from(new JsonObject().put("http", new JsonObject().put("port", 70000)), Map.of()));
    assertTrue(range.getMessage().contains("between 0 and 65535"), range.getMessage());

    var limit = assertThrows(Config.ConfigException.class,
      () -> Config.from(new JsonObject(), Map.of("GOVMEDIA_HTTP_BODY_LIMIT", "-1")));
    assertTrue(limit.getMessage().contains("http.bodyLimitBytes"), limit.getMessage());

    var type = assertThrows(Config.ConfigException.class,
      () -> Config.from(new JsonObject().put("mongo", new JsonObject().put("database", 7)), Map.of()));
    assertTrue(type.getMessage().contains("mongo.database"), type.getMessage());
  }

  @Test
  @DisplayName("automatic assignment gives nobody more than 30 open cases unless GOVMEDIA_INBOX_ASSIGNMENT_CAP says otherwise")
  void assignmentCap() {
    assertEquals(30, Config.from(new JsonObject(), Map.of()).inbox().assignmentCap());
    assertEquals(12, Config.from(new JsonObject(), Map.of("GOVMEDIA_INBOX_ASSIGNMENT_CAP", "12")).inbox().assignmentCap());
    var zero = assertThrows(Config.ConfigException.class,
      () -> Config.from(new JsonObject(), Map.of("GOVMEDIA_INBOX_ASSIGNMENT_CAP", "0")));
    assertTrue(zero.getMessage().contains("inbox.assignmentCap"), zero.getMessage());
  }

  @Test
  @DisplayName("a URI with the wrong scheme is refused without echoing its password")
  void uriScheme() {
    var e = assertThrows(Config.ConfigException.class,
      () -> Config.from(new JsonObject(), Map.of("GOVMEDIA_REDIS_URI", "http://user:s3cret@cache:6379")));
    assertTrue(e.getMessage().contains("redis.uri"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
  }

  @Test
  @DisplayName("a config file named by GOVMEDIA_CONFIG must exist: a typo does not start on defaults")
  void namedFileMissing(@TempDir Path dir) {
    String missing = dir.resolve("govmedia-prod.json").toString();
    var e = assertThrows(Config.ConfigException.class, () -> Config.load(Map.of(Config.CONFIG_FILE_ENV, missing)));
    assertTrue(e.getMessage().contains(missing), e.getMessage());
  }

  @Test
  @DisplayName("a config file that is not JSON is refused with its name")
  void brokenFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("govmedia.json");
    Files.writeString(file, "{ \"http\": ");
    var e = assertThrows(Config.ConfigException.class, () -> Config.load(Map.of(Config.CONFIG_FILE_ENV, file.toString())));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }
}
