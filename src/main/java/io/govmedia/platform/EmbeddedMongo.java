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
    server.bind("127.0.0.1", 0);
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
