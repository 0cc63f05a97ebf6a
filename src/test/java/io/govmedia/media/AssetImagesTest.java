package io.govmedia.media;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import io.govmedia.platform.Failures;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("Media images: a store failure is not the image's fault")
class AssetImagesTest {

  @Test
  @DisplayName("an image whose bytes MongoDB cannot deliver is answered 503 store-unavailable, not 422 unreadable-image")
  void storeFailureIsA503() throws Exception {
    Vertx vertx = Vertx.vertx();
    MongoClient unreachable = MongoClients.create(MongoClientSettings.builder()
      .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + TestServer.freePort()))
      .applyToClusterSettings(b -> b.serverSelectionTimeout(300, TimeUnit.MILLISECONDS))
      .build());
    AssetImages images = new AssetImages(vertx);
    try {
      AssetStore store = new AssetStore(unreachable.getDatabase("govmedia_test"));
      AssetFile photo = new AssetFile(AssetIds.newId(), 50_000, AssetWriter.CHUNK_SIZE, Instant.now(), "image/jpeg",
        "0".repeat(64), "photo.jpg");
      // The upload route's failure path in miniature: the inspection's failure goes to the one error handler.
      Router router = Router.router(vertx);
      router.get("/inspect").handler(ctx -> images.inspect(store, photo).onSuccess(inspected -> ctx.end()).onFailure(ctx::fail));
      router.route().failureHandler(Failures::handle);
      HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);

      Client.Response answer = new Client(server.actualPort()).get("/inspect", null);

      assertEquals(503, answer.status(), answer::toString);
      assertEquals("store-unavailable", answer.problemCode());
    } finally {
      images.close();
      unreachable.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
