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
 * started by scripts/run as an operator starts it (conf/jvm.options, the class-data archive), with the given
 * JVM options after those (plus BENCH_SERVER_JAVA_OPTS, e.g. a JFR recording while profiling), its log in the
 * data directory, and where its embedded MongoDB and its metrics listen read from that log.
 */
final class BenchServer {

  static final String ADMIN_PASSWORD = "Bench-Admin-Passw0rd";

  private BenchServer() {
  }

  static Process start(Path dataDir, int port, String... jvmOptions) throws IOException {
    List<String> options = new ArrayList<>(Files.readAllLines(Path.of("conf/jvm.options")).stream()
      .filter(line -> !line.isBlank() && !line.startsWith("#")).toList());
    options.addAll(List.of(jvmOptions));  // later options win over conf/jvm.options
    String extra = System.getenv("BENCH_SERVER_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      options.addAll(List.of(extra.trim().split("\\s+")));
    }
    // scripts/run execs java, so the process started here is the server's JVM itself (its pid, its memory).
    ProcessBuilder builder = new ProcessBuilder("scripts/run")
      .redirectErrorStream(true).redirectOutput(log(dataDir).toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("GOVMEDIA_"));
    builder.environment().put("GOVMEDIA_JAVA_OPTS", String.join(" ", options));
    // The one setting a benchmark may take from its caller: to measure what an fsync per commit costs.
    String sync = System.getenv("GOVMEDIA_MONGO_EMBEDDED_SYNC");
    if (sync != null) {
      builder.environment().put("GOVMEDIA_MONGO_EMBEDDED_SYNC", sync);
    }
    builder.environment().putAll(Map.of(
      "GOVMEDIA_HTTP_PORT", String.valueOf(port), "GOVMEDIA_HTTP_HOST", "127.0.0.1",
      "GOVMEDIA_DATA_DIR", dataDir.toString(), "GOVMEDIA_ADMIN_PASSWORD", ADMIN_PASSWORD,
      "GOVMEDIA_ACCESS_LOG_LEVEL", "WARN", "GOVMEDIA_METRICS_PORT", "0"));
    System.out.println("server log: " + log(dataDir) + "; JVM options: " + String.join(" ", options));
    return builder.start();
  }

  /** The most resident memory the server's JVM has used so far (VmHWM), in MiB. */
  static long peakRssMiB(Process server) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + server.pid() + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    }
    throw new IllegalStateException("no VmHWM in /proc/" + server.pid() + "/status");
  }

  /** Up to 3 minutes: after a build, scripts/run first records its class-data archive with a training start. */
  static void awaitReady(Client client) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 180_000;
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
    throw new IllegalStateException("server not ready within 180 s");
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
