package io.govmedia.platform;

import de.bwaldvogel.mongo.MongoServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** mongo-java-server on an H2 file under the data directory, so data survives a restart. */
public final class EmbeddedMongo implements AutoCloseable {

  private final MongoServer server;
  private final InetSocketAddress address;

  private EmbeddedMongo(MongoServer server, InetSocketAddress address) {
    this.server = server;
    this.address = address;
  }

  public static EmbeddedMongo start(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + dataDir, e);
    }
    MongoServer server = new MongoServer(new FastKeyH2Backend(dataDir.resolve("mongo.mv").toString()));
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
