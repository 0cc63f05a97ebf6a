package io.govmedia.platform;

import de.bwaldvogel.mongo.MongoServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * mongo-java-server on an H2 file under the data directory, so data survives a restart; every write is in the
 * file before it is answered (see {@link FastKeyH2Backend}), so it also survives a killed process.
 */
public final class EmbeddedMongo implements AutoCloseable {

  private final MongoServer server;
  private final InetSocketAddress address;

  /** The embedded server's connection threads (the driver's pool opens up to 100 connections per client). */
  private static final int WORKER_THREADS = 64;

  private EmbeddedMongo(MongoServer server, InetSocketAddress address) {
    this.server = server;
    this.address = address;
  }

  /** Without fsync: a killed process loses nothing answered; a power loss may lose the last moments. */
  public static EmbeddedMongo start(Path dataDir) {
    return start(dataDir, false);
  }

  /** With {@code sync}, each commit is also forced to the disk, so that a power loss loses nothing answered. */
  public static EmbeddedMongo start(Path dataDir, boolean sync) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + dataDir, e);
    }
    MongoServer server = new MongoServer(new FastKeyH2Backend(dataDir.resolve("mongo.mv").toString(), sync));
    // Each write command waits on its connection's thread for the group commit that stores it (FastKeyH2Backend):
    // a commit covers only the writes waiting at that moment, so with Netty's default of two threads per core, four
    // writes at most shared one, and the embedded store took some 1,000 writes a second. Many threads, mostly
    // waiting, let one commit cover many writes; the collections' own locks still run the work one at a time.
    server.bind(new InetSocketAddress("127.0.0.1", 0), 1, WORKER_THREADS);
    return new EmbeddedMongo(server, server.getLocalAddress());
  }

  public String uri() {
    return "mongodb://127.0.0.1:" + address.getPort();
  }

  /** Closes clients, then the H2 file, flushing it. */
  @Override
  public void close() {
    server.shutdownNow();
  }
}
