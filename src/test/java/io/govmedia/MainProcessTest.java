package io.govmedia;

import io.govmedia.support.Client;
import io.govmedia.support.ServerProcess;
import io.govmedia.support.TestServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server as an operator runs it: its own JVM, embedded stores, stopped with SIGTERM. */
@DisplayName("The server process")
class MainProcessTest {

  @Test
  @DisplayName("starts on embedded stores, prints the one-time admin password once, and on SIGTERM stops Redis and keeps its data")
  void startStopRestart(@TempDir Path dataDir) throws Exception {
    Map<String, String> env = Map.of("GOVMEDIA_DATA_DIR", dataDir.toString(),
      "GOVMEDIA_HTTP_PORT", String.valueOf(TestServer.freePort()), "GOVMEDIA_HTTP_HOST", "127.0.0.1",
      "GOVMEDIA_METRICS_PORT", "0");

    ServerProcess first = ServerProcess.start(env);
    String password = first.output().stream().filter(line -> line.startsWith("    Gm-")).findFirst()
      .map(String::strip).orElseThrow(() -> new AssertionError("no one-time password in " + first.output()));
    assertTrue(new Client(first.port()).login("admin", password).length() > 20);
    List<ProcessHandle> redis = first.process().descendants()
      .filter(p -> p.info().command().orElse("").contains("redis-server")).toList();
    assertEquals(1, redis.size(), "one embedded redis-server runs as a child");
    assertTrue(first.stop(), "the server did not stop on SIGTERM");
    assertFalse(redis.get(0).isAlive(), "redis-server stopped with the server");
    assertTrue(Files.size(dataDir.resolve("mongo.mv")) > 0);

    ServerProcess second = ServerProcess.start(env);
    assertFalse(second.output().stream().anyMatch(line -> line.contains("one-time password")), "no second admin on restart");
    assertTrue(new Client(second.port()).login("admin", password).length() > 20, "the admin survives the restart");
    assertTrue(second.stop(), "the server did not stop on SIGTERM");
  }

  @Test
  @DisplayName("a bad setting stops the start with exit code 2 and a message naming it")
  void badSetting(@TempDir Path dataDir) throws Exception {
    Process process = ServerProcess.command(Map.of("GOVMEDIA_DATA_DIR", dataDir.toString(), "GOVMEDIA_HTTP_PORT", "eighty"))
      .start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, process.exitValue());
    assertTrue(output.contains("http.port (GOVMEDIA_HTTP_PORT)"), output);
  }
}
