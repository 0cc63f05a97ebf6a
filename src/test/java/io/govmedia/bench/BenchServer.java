package io.govmedia.bench;

import io.govmedia.support.Client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged server (target/govmedia.jar) in its own JVM on its embedded stores, as benchmarks drive it:
 * started with the given JVM options (plus BENCH_SERVER_JAVA_OPTS, e.g. a JFR recording while profiling),
 * its log in the data directory, and where its embedded MongoDB listens read from that log.
 */
final class BenchServer {

  static final String ADMIN_PASSWORD = "Bench-Admin-Passw0rd";

  private BenchServer() {
  }

  static Process start(Path dataDir, int port, String... jvmOptions) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(List.of(jvmOptions));
    String extra = System.getenv("BENCH_SERVER_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.addAll(List.of("-jar", "target/govmedia.jar"));
    ProcessBuilder builder = new ProcessBuilder(command)
      .redirectErrorStream(true).redirectOutput(log(dataDir).toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("GOVMEDIA_"));
    builder.environment().putAll(Map.of(
      "GOVMEDIA_HTTP_PORT", String.valueOf(port), "GOVMEDIA_HTTP_HOST", "127.0.0.1",
      "GOVMEDIA_DATA_DIR", dataDir.toString(), "GOVMEDIA_ADMIN_PASSWORD", ADMIN_PASSWORD,
      "GOVMEDIA_ACCESS_LOG_LEVEL", "WARN", "GOVMEDIA_METRICS_PORT", "0"));
    System.out.println("server log: " + log(dataDir));
    return builder.start();
  }

  static void awaitReady(Client client) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      try {
        if (client.get("/ready", null).status() == 200) {
          return;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("server not ready within 60 s");
  }

  /** The embedded MongoDB's URI, as the server printed it at start. */
  static String embeddedMongoUri(Path dataDir) throws IOException {
    return printed(dataDir, "govmedia: embedded MongoDB at ").split(",")[0];
  }

  /** The port of the server's management listener, which serves /metrics (it starts on any free port). */
  static int metricsPort(Path dataDir) throws IOException {
    return Integer.parseInt(printed(dataDir, "govmedia: metrics on http://").replaceAll(".*:(\\d+)/metrics.*", "$1"));
  }

  private static String printed(Path dataDir, String prefix) throws IOException {
    for (String line : Files.readAllLines(log(dataDir))) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length());
      }
    }
    throw new IllegalStateException("the server did not print a line starting with '" + prefix + "'");
  }

  private static Path log(Path dataDir) {
    return dataDir.resolve("server.log");
  }
}
