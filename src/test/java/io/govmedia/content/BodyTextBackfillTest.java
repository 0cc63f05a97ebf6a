package io.govmedia.content;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.govmedia.Main;
import io.govmedia.support.Client;
import io.govmedia.support.StoreAccess;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

@DisplayName("Items saved before bodyText existed get it at the next start")
class BodyTextBackfillTest {

  @Test
  @DisplayName("a document stored without bodyText shows it, rendered from its body, and search holds that text, once another instance has started")
  void filledAtStart() throws Exception {
    Client client = TestServer.get().client();
    String admin = client.adminToken();
    String department = client.department(admin, "档案局", null);
    String editor = client.staffToken(admin, List.of("editor"), List.of(department), List.of());
    Client.Response created = client.post("/api/v1/documents", editor, new JsonObject().put("title", "档案查阅利用办法")
      .put("docNumber", "档〔2026〕" + Client.unique() + "号").put("issuer", "市档案局").put("departmentId", department)
      .put("category", "档案管理").put("body", "<p>第一条 为规范<b>档案查阅</b>，制定本办法。</p><p>第二条 适用范围。</p>")
      .put("effectiveAt", "2026-03-01T00:00:00+08:00"));
    assertEquals(201, created.status(), created::toString);
    String id = created.json().getString("id");
    String expected = created.json().getString("bodyText");
    String path = "/api/v1/documents/" + id;

    StoreAccess.first(StoreAccess.collection(ItemKind.DOCUMENT.collection())
      .updateOne(Filters.eq("_id", id), Updates.unset("bodyText")));
    StoreAccess.first(StoreAccess.collection("search_entries")
      .updateOne(Filters.eq("_id", "document:" + id), Updates.set("text", "")));
    assertNull(client.get(path, editor).json().getString("bodyText"), "as stored by an older version");

    try (Main.Running another = TestServer.get().startAnother(Map.of())) {
      eventually(() -> client.get(path, editor).json().getString("bodyText"), expected);
      eventually(() -> StoreAccess.first(StoreAccess.collection("search_entries").find(Filters.eq("_id", "document:" + id)))
        .getString("text"), expected);
    }
    JsonObject after = client.get(path, editor).json();
    assertEquals(1, after.getInteger("version"), "filling the text is no edit");
    assertEquals(created.json().getString("updatedAt"), after.getString("updatedAt"));
  }

  static void eventually(Supplier<String> read, String expected) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    String last;
    while (!expected.equals(last = read.get())) {
      if (System.currentTimeMillis() > deadline) {
        fail("expected " + expected + " within 10 s, last read " + last);
      }
      Thread.sleep(20);
    }
  }
}
