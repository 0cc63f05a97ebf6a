package io.govmedia.bench;

import io.govmedia.support.Client;
import io.govmedia.support.ServerProcess;
import io.govmedia.support.TestServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One server instance of the scheduler benchmark: its own JVM on the test classpath (as {@link ServerProcess}
 * starts it) with the JVM options of conf/jvm.options plus BENCH_SERVER_JAVA_OPTS (e.g. a JFR recording), pointed
 * at the benchmark's stores by URI, its output in a log file of the data directory.
 */
final class SchedulerInstance implements AutoCloseable {

  final String name;
  final Process process;
  final Client client;
  final Path log;

  private SchedulerInstance(String name, Process process, Client client, Path log) {
    this.name = name;
    this.process = process;
    this.client = client;
    this.log = log;
  }

  static SchedulerInstance start(String name, Path dataDir, Map<String, String> env) throws IOException {
    int port = TestServer.freePort();
    Map<String, String> all = new HashMap<>(env);
    all.put("GOVMEDIA_HTTP_PORT", String.valueOf(port));
    ProcessBuilder builder = ServerProcess.command(all);
    List<String> options = new ArrayList<>(Files.readAllLines(Path.of("conf/jvm.options")).stream()
      .filter(line -> !line.isBlank() && !line.startsWith("#")).toList());
    String extra = System.getenv("BENCH_SERVER_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      options.addAll(List.of(extra.replace("{name}", name).trim().split("\\s+")));  // later options win
    }
    builder.command().addAll(1, options);
    Path log = dataDir.resolve("server-" + name + ".log");
    builder.redirectOutput(log.toFile());
    System.out.println("instance " + name + ": log " + log + "; JVM options: " + String.join(" ", options));
    return new SchedulerInstance(name, builder.start(), new Client(port), log);
  }

  void awaitReady() throws InterruptedException {
    BenchServer.awaitReady(client);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
