package io.govmedia;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
      "GOVMEDIA_HTTP_PORT", String.valueOf(TestServer.freePort()), "GOVMEDIA_HTTP_HOST", "127.0.0.1");

    Started first = start(env);
    String password = first.output.stream().filter(line -> line.startsWith("    Gm-")).findFirst()
      .map(String::strip).orElseThrow(() -> new AssertionError("no one-time password in " + first.output));
    assertTrue(new Client(first.port).login("admin", password).length() > 20);
    List<ProcessHandle> redis = first.process.descendants().filter(p -> p.info().command().orElse("").contains("redis-server")).toList();
    assertEquals(1, redis.size(), "one embedded redis-server runs as a child");
    stop(first);
    assertFalse(redis.get(0).isAlive(), "redis-server stopped with the server");
    assertTrue(Files.size(dataDir.resolve("mongo.mv")) > 0);

    Started second = start(env);
    assertFalse(second.output.stream().anyMatch(line -> line.contains("one-time password")), "no second admin on restart");
    assertTrue(new Client(second.port).login("admin", password).length() > 20, "the admin survives the restart");
    stop(second);
  }

  @Test
  @DisplayName("a bad setting stops the start with exit code 2 and a message naming it")
  void badSetting(@TempDir Path dataDir) throws Exception {
    Process process = command(Map.of("GOVMEDIA_DATA_DIR", dataDir.toString(), "GOVMEDIA_HTTP_PORT", "eighty")).start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, process.exitValue());
    assertTrue(output.contains("http.port (GOVMEDIA_HTTP_PORT)"), output);
  }

  private record Started(Process process, int port, List<String> output) {}

  private static Started start(Map<String, String> env) throws Exception {
    Process process = command(env).start();
    List<String> output = new ArrayList<>();
    CompletableFuture<Integer> listening = CompletableFuture.supplyAsync(() -> readUntilListening(process, output));
    int port = listening.get(60, TimeUnit.SECONDS);
    return new Started(process, port, output);
  }

  private static int readUntilListening(Process process, List<String> output) {
    BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (output) {
          output.add(line);
        }
        if (line.startsWith("govmedia: listening on http://")) {
          String port = line.replaceAll(".*:(\\d+) .*", "$1");
          Thread drain = new Thread(() -> reader.lines().forEach(l -> { }));
          drain.setDaemon(true);
          drain.start();
          return Integer.parseInt(port);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    throw new AssertionError("the server exited before listening: " + output);
  }

  private static void stop(Started started) throws InterruptedException {
    started.process.destroy();  // SIGTERM
    assertTrue(started.process.waitFor(30, TimeUnit.SECONDS), "the server did not stop on SIGTERM");
  }

  private static ProcessBuilder command(Map<String, String> env) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName())
      .redirectErrorStream(true);
    builder.environment().keySet().removeIf(key -> key.startsWith("GOVMEDIA_"));
    builder.environment().put("GOVMEDIA_CONFIG", "conf/govmedia.json");
    builder.environment().putAll(env);
    return builder;
  }
}
