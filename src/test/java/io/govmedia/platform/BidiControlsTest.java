package io.govmedia.platform;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bidirectional-text controls reorder what a reader sees: "张三\u202E四李" shows as another name. Names and titles
 * refuse them; long free text, where an Arabic or Hebrew quotation may need them, keeps them.
 */
@DisplayName("Bidirectional-text controls")
class BidiControlsTest {

  private static final int[] CONTROLS = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069,
    0x200E, 0x200F, 0x061C};

  static Client client;
  static String admin;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
  }

  @Test
  @DisplayName("a staff member whose display name carries U+202E is refused 400 invalid-characters, and nothing is created")
  void displayName() {
    String username = "u" + Client.unique();
    JsonObject staff = new JsonObject().put("username", username).put("displayName", "张三\u202E四李")
      .put("password", "Staff-Passw0rd-" + Client.unique()).put("roles", new JsonArray().add("editor"))
      .put("departmentIds", new JsonArray()).put("accountIds", new JsonArray());

    Client.Response refused = client.post("/api/v1/staff", admin, staff);

    assertEquals(400, refused.status(), refused::toString);
    assertEquals("invalid-characters", refused.problemCode());
    assertEquals("displayName", refused.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    Client.Response clean = client.post("/api/v1/staff", admin, staff.copy().put("displayName", "张三"));
    assertEquals(201, clean.status(), "the username was not taken by the refused request: " + clean);
  }

  @Test
  @DisplayName("every bidirectional-text control (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) is refused in a department name")
  void everyControlInNames() {
    for (int control : CONTROLS) {
      String name = "办公室" + Character.toString(control) + Client.unique();
      Client.Response refused = client.post("/api/v1/departments", admin, new JsonObject().put("name", name));
      assertEquals(400, refused.status(), Integer.toHexString(control) + ": " + refused);
      assertEquals("invalid-characters", refused.problemCode(), Integer.toHexString(control));
    }
  }

  @Test
  @DisplayName("a document body quoting Arabic with its direction marks is accepted and kept, while its title may not carry them")
  void freeTextKeepsThem() {
    String department = client.department(admin, "外事办", null);
    String editor = client.staffToken(admin, List.of("editor"), List.of(department), List.of());
    String quote = "\u202B«مرحبا»\u202C\u200F";
    JsonObject document = new JsonObject().put("title", "对外交流合作管理办法")
      .put("docNumber", "外办〔2026〕" + (100 + new Random().nextInt(800)) + "号").put("issuer", "市外事办公室")
      .put("departmentId", department).put("category", "外事").put("body", "<p>欢迎词：" + quote + "。</p>");

    Client.Response created = client.post("/api/v1/documents", editor, document);
    Client.Response spoofedTitle = client.post("/api/v1/documents", editor,
      document.copy().put("title", "对外交流\u202E合作管理办法"));

    assertEquals(201, created.status(), created::toString);
    assertTrue(client.get("/api/v1/documents/" + created.json().getString("id"), editor).json().getString("body")
      .contains(quote), "the quotation keeps its direction marks");
    assertEquals(400, spoofedTitle.status(), spoofedTitle::toString);
    assertEquals("invalid-characters", spoofedTitle.problemCode());
  }
}
