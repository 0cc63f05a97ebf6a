package io.govmedia.support;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.govmedia.platform.Mongo;
import org.bson.Document;
import org.reactivestreams.Publisher;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocking access to the test servers' MongoDB, for tests that check what was (or was not) stored. */
public final class StoreAccess {

  private static MongoClient client;

  private StoreAccess() {
  }

  /** A collection of the shared server's database. */
  public static MongoCollection<Document> collection(String name) {
    return collection("govmedia_test", name);
  }

  public static synchronized MongoCollection<Document> collection(String database, String name) {
    if (client == null) {
      client = MongoClients.create(TestServer.get().mongoUri());
      Runtime.getRuntime().addShutdownHook(new Thread(client::close));
    }
    return client.getDatabase(database).getCollection(name);
  }

  public static <T> List<T> all(Publisher<T> publisher) {
    try {
      return Mongo.all(publisher).await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("MongoDB did not answer in time", e);
    }
  }

  public static <T> T first(Publisher<T> publisher) {
    List<T> items = all(publisher);
    return items.isEmpty() ? null : items.get(0);
  }
}
