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
  @DisplayName("case answer limits default to DOMAIN §2 and can be changed per category or for urgent cases, within 1 to 60 working days")
  void inboxLimits() {
    Config config = Config.from(new JsonObject(), Map.of());
    assertEquals(5, config.inbox().limits().get("consultation"));
    assertEquals(1, config.inbox().limits().get("urgent"));
    assertEquals(20, config.inbox().limits().get("disclosure_request"));
    assertEquals(Duration.ofSeconds(30), config.inbox().sweepEvery());

    Config changed = Config.from(new JsonObject().put("inbox", new JsonObject().put("limits",
      new JsonObject().put("complaint", 10))), Map.of("GOVMEDIA_INBOX_LIMITS", "{\"urgent\": 2}"));
    assertEquals(2, changed.inbox().limits().get("urgent"), "the environment wins");
    assertEquals(7, changed.inbox().limits().get("complaint"), "the file's value is replaced as a whole by the environment's");
    Config fromFile = Config.from(new JsonObject().put("inbox", new JsonObject().put("limits",
      new JsonObject().put("complaint", 10))), Map.of());
    assertEquals(10, fromFile.inbox().limits().get("complaint"));
    assertEquals(5, fromFile.inbox().limits().get("consultation"));

    for (String bad : new String[] {"{\"complaint\": 0}", "{\"petition\": 5}", "{\"complaint\": 1.5}", "not json"}) {
      var refused = assertThrows(Config.ConfigException.class,
        () -> Config.from(new JsonObject(), Map.of("GOVMEDIA_INBOX_LIMITS", bad)));
      assertTrue(refused.getMessage().contains("inbox.limits (GOVMEDIA_INBOX_LIMITS)"), refused.getMessage());
    }
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
  @DisplayName("the inbox polls every 180 s by default; template messages are read per AppID, a malformed one named")
  void inboxSettings() {
    Config defaults = Config.from(new JsonObject(), Map.of());
    Config set = Config.from(new JsonObject(), Map.of("GOVMEDIA_INBOX_POLL_SECONDS", "60",
      "GOVMEDIA_INBOX_WECHAT_TEMPLATES", "{\"wx0123\": {\"templateId\": \"T1\", \"numberField\": \"character_string1\","
        + " \"summaryField\": \"thing2\"}}"));
    var missingField = assertThrows(Config.ConfigException.class, () -> Config.from(new JsonObject()
      .put("inbox", new JsonObject().put("wechatTemplates", new JsonObject().put("wx0123", new JsonObject()
        .put("templateId", "T1")))), Map.of()));

    assertEquals(Duration.ofSeconds(180), defaults.inbox().poll());
    assertEquals(7, defaults.inbox().commentDays());
    assertEquals(Map.of(), defaults.inbox().wechatTemplates());
    assertEquals(Duration.ofSeconds(60), set.inbox().poll());
    assertEquals(new Config.WeChatTemplate("T1", "character_string1", "thing2"), set.inbox().wechatTemplates().get("wx0123"));
    assertTrue(missingField.getMessage().contains("inbox.wechatTemplates"), missingField.getMessage());
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
