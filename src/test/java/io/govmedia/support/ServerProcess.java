package io.govmedia.support;

import io.govmedia.Main;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server as an operator runs it: its own JVM on the test classpath, configured by the given environment only
 * (every other GOVMEDIA_ variable removed), started until it says where it listens.
 */
public final class ServerProcess {

  private final Process process;
  private final List<String> output = new ArrayList<>();
  private final int port;

  private ServerProcess(Map<String, String> env) throws Exception {
    process = command(env).start();
    try {
      port = CompletableFuture.supplyAsync(this::readUntilListening).get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();  // a server too slow to start must not outlive the test run
      throw e;
    }
  }

  public static ServerProcess start(Map<String, String> env) throws Exception {
    return new ServerProcess(env);
  }

  public static ProcessBuilder command(Map<String, String> env) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName())
      .redirectErrorStream(true);
    builder.environment().keySet().removeIf(key -> key.startsWith("GOVMEDIA_"));
    builder.environment().put("GOVMEDIA_CONFIG", "conf/govmedia.json");
    builder.environment().putAll(env);
    return builder;
  }

  public Process process() {
    return process;
  }

  public int port() {
    return port;
  }

  /** What the server printed so far. */
  public List<String> output() {
    synchronized (output) {
      return List.copyOf(output);
    }
  }

  /** The rest of the first printed line that starts with {@code prefix}. */
  public Optional<String> printed(String prefix) {
    return output().stream().filter(line -> line.startsWith(prefix)).findFirst().map(line -> line.substring(prefix.length()));
  }

  /** SIGTERM, as an operator stops it; true when it exited within 30 s. */
  public boolean stop() throws InterruptedException {
    process.destroy();
    return process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGKILL, as a crash or the OOM killer ends it; its children (the embedded redis-server) are killed too. */
  public void kill() throws InterruptedException {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    for (ProcessHandle child : children) {
      child.destroyForcibly();
      child.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(timeout -> child).join();
    }
  }

  private int readUntilListening() {
    BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (output) {
          output.add(line);
        }
        if (line.startsWith("govmedia: listening on http://")) {
          Thread drain = new Thread(() -> drain(reader), "server-process-output");
          drain.setDaemon(true);
          drain.start();
          return Integer.parseInt(line.replaceAll(".*:(\\d+) .*", "$1"));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    throw new AssertionError("the server exited before listening: " + output());
  }

  private void drain(BufferedReader reader) {
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (output) {
          output.add(line);
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }
}
