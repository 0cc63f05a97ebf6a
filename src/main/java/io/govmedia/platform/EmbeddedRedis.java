package io.govmedia.platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real redis-server process on a free loopback port: Debian's if one is on the PATH, else the binary that
 * ships inside embedded-redis. Nothing is saved to disk: Redis holds only caches, locks and counters here.
 */
public final class EmbeddedRedis implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);

  private final Path executable;
  private final int port;
  private Process process;

  private EmbeddedRedis(Path executable, int port) {
    this.executable = executable;
    this.port = port;
  }

  public static EmbeddedRedis start() {
    return start(freePort());
  }

  public static EmbeddedRedis start(int port) {
    EmbeddedRedis redis = new EmbeddedRedis(findExecutable(), port);
    redis.restart();
    return redis;
  }

  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Starts the process (again) on the same port; returns once it accepts connections. */
  public synchronized void restart() {
    if (process != null && process.isAlive()) {
      return;
    }
    List<String> command = new ArrayList<>(List.of(executable.toString(),
      "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
      "--daemonize", "no", "--loglevel", "notice"));
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + executable, e);
    }
    awaitReady();
  }

  /** Stops the process with SIGTERM and waits for it to exit. */
  @Override
  public synchronized void close() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  private void awaitReady() {
    Process started = process;
    CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> readUntilReady(started));
    try {
      if (!ready.get(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("redis-server exited before it was ready: " + executable);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting redis-server", e);
    } catch (ExecutionException | TimeoutException e) {
      started.destroyForcibly();
      throw new IllegalStateException("redis-server did not become ready on port " + port, e);
    }
  }

  /** Reads the server's output until it says it is ready; keeps draining afterwards so it never blocks. */
  private static boolean readUntilReady(Process process) {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    try {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.contains("Ready to accept connections") || line.contains("ready to accept connections")) {
          Thread drain = new Thread(() -> drain(out), "embedded-redis-output");
          drain.setDaemon(true);
          drain.start();
          return true;
        }
        log.debug("redis-server: {}", line);
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private static void drain(BufferedReader out) {
    try {
      String line;
      while ((line = out.readLine()) != null) {
        log.debug("redis-server: {}", line);
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  private static Path findExecutable() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "redis-server");
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    try {
      return ExecutableProvider.newJarResourceProvider().get().toPath();
    } catch (IOException e) {
      throw new UncheckedIOException("no redis-server on PATH and the bundled binary cannot be unpacked", e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }
}
