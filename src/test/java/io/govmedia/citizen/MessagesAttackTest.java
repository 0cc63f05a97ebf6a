package io.govmedia.citizen;

import io.govmedia.support.Client;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a hostile or broken client sends the message routes: bodies cut, empty, oversized or with bad characters,
 * lists too long, another citizen's images, files that are not images. Every one is a 4xx with nothing stored.
 */
@DisplayName("Attacks on the mini-program's message routes")
class MessagesAttackTest {

  static MiniappDesk desk;

  @BeforeAll
  static void start() {
    desk = MiniappDesk.get();
  }

  private static Client.Response raw(MiniappDesk.Citizen who, String path, String body) {
    return desk.client.raw("POST", path, who.token(), "application/json",
      body.getBytes(StandardCharsets.UTF_8), Map.of("X-Forwarded-For", "10.0.2.1"));
  }

  @Test
  @DisplayName("empty, cut-off and non-object bodies, a lone surrogate and a control character are 400 and store nothing")
  void brokenBodies() {
    MiniappDesk.Citizen citizen = desk.citizen();
    List<String> codes = List.of("", "{\"category\":\"complaint\",\"content\":", "[1]",
        "{\"category\":\"complaint\",\"content\":\"路灯\\ud800坏了\",\"consentToPublish\":true}",
        "{\"category\":\"complaint\",\"content\":\"路灯\\u0000坏了\",\"consentToPublish\":true}")
      .stream().map(body -> raw(citizen, "/mp/v1/messages", body))
      .map(r -> r.status() + " " + r.problemCode()).toList();

    assertEquals(List.of("400 invalid-json", "400 invalid-json", "400 invalid-json", "400 invalid-characters",
      "400 invalid-characters"), codes);
    assertEquals(0, desk.client.get("/mp/v1/messages", citizen.token()).items().size());
  }

  @Test
  @DisplayName("2,001 characters, ten images, an unknown category, a bad phone and a missing consent are each named in a 400 invalid-body")
  void fieldsChecked() {
    MiniappDesk.Citizen citizen = desk.citizen();
    JsonArray ten = new JsonArray();
    for (int i = 0; i < 10; i++) {
      ten.add("abcdefghijklmnopqrstu" + i);
    }
    Client.Response refused = desk.send(citizen, new JsonObject().put("category", "gossip")
      .put("content", "字".repeat(2001)).put("assetIds", ten).put("contactPhone", "12345"));
    Client.Response longest = desk.send(citizen, MiniappDesk.message("😀".repeat(2000)));

    assertEquals(List.of(400, "invalid-body"), List.of(refused.status(), refused.problemCode()), refused::toString);
    List<String> fields = refused.json().getJsonArray("errors").stream()
      .map(e -> ((JsonObject) e).getString("field")).sorted().toList();
    assertEquals(List.of("assetIds", "category", "consentToPublish", "contactPhone", "content"), fields);
    assertEquals(201, longest.status(), "2,000 code points (4,000 UTF-16 units) are within the limit: " + longest);
  }

  @Test
  @DisplayName("an image id of another citizen, or one never uploaded, is 400 unknown-asset and the message is not filed")
  void othersImages() {
    MiniappDesk.Citizen owner = desk.citizen();
    MiniappDesk.Citizen thief = desk.citizen();
    String image = Images.uploaded(desk, owner);

    Client.Response stolen = desk.send(thief, MiniappDesk.message("用别人的图 " + Client.unique())
      .put("assetIds", new JsonArray().add(image)));
    Client.Response invented = desk.send(thief, MiniappDesk.message("编的图 " + Client.unique())
      .put("assetIds", new JsonArray().add("AAAAAAAAAAAAAAAAAAAAAA")));

    assertEquals(List.of(400, "unknown-asset"), List.of(stolen.status(), stolen.problemCode()), stolen::toString);
    assertEquals(List.of(400, "unknown-asset"), List.of(invented.status(), invented.problemCode()), invented::toString);
    assertEquals(0, desk.client.get("/mp/v1/messages", thief.token()).items().size());
  }

  @Test
  @DisplayName("an image already on one message cannot go on another case (a later verdict withholds it on one case only): 400 asset-used")
  void oneCasePerImage() {
    MiniappDesk.Citizen citizen = desk.citizen();
    String image = Images.uploaded(desk, citizen);
    Client.Response first = desk.send(citizen, MiniappDesk.message("第一条 " + Client.unique())
      .put("assetIds", new JsonArray().add(image)));
    Client.Response second = desk.send(citizen, MiniappDesk.message("第二条 " + Client.unique())
      .put("assetIds", new JsonArray().add(image)));
    assertEquals(201, first.status(), first::toString);
    assertEquals(List.of(400, "asset-used"), List.of(second.status(), second.problemCode()), second::toString);
  }

  @Test
  @DisplayName("a citizen's image is no library asset: the staff asset routes (read, signed link, delete) answer 404 for it, even to an admin")
  void citizenImagesOutsideTheLibrary() {
    String image = Images.uploaded(desk, desk.citizen());
    Client.Response read = desk.client.get("/api/v1/assets/" + image, desk.admin);
    Client.Response signed = desk.client.post("/api/v1/assets/" + image + "/signed-url", desk.admin, new JsonObject());
    Client.Response deleted = desk.client.raw("DELETE", "/api/v1/assets/" + image, desk.admin, null, null);
    assertEquals(List.of(404, 404, 404), List.of(read.status(), signed.status(), deleted.status()),
      read + " / " + signed + " / " + deleted);
  }

  @Test
  @DisplayName("a file that is not an image is refused 415 whatever its name, and an upload without a session is 401")
  void onlyImages() {
    MiniappDesk.Citizen citizen = desk.citizen();
    Client.Response pdf = Images.upload(desk, citizen.token(), "photo.jpg",
      "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
    Client.Response anonymous = Images.upload(desk, null, "a.png", Images.png());
    Client.Response forged = Images.upload(desk, "forged-token", "a.png", Images.png());

    assertEquals(List.of(415, "unsupported-media-type"), List.of(pdf.status(), pdf.problemCode()), pdf::toString);
    assertEquals(List.of(401, "session-invalid"), List.of(anonymous.status(), anonymous.problemCode()));
    assertEquals(List.of(401, "session-invalid"), List.of(forged.status(), forged.problemCode()));
  }

  @Test
  @DisplayName("a body over the size limit is refused 413 before it is read")
  void oversized() {
    MiniappDesk.Citizen citizen = desk.citizen();
    ByteArrayOutputStream big = new ByteArrayOutputStream();
    big.writeBytes("{\"category\":\"complaint\",\"consentToPublish\":true,\"content\":\"".getBytes(StandardCharsets.UTF_8));
    big.writeBytes("字".repeat(400_000).getBytes(StandardCharsets.UTF_8));
    big.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));

    Client.Response refused = raw(citizen, "/mp/v1/messages", big.toString(StandardCharsets.UTF_8));

    assertEquals(413, refused.status(), refused::toString);
    assertTrue(refused.json().getString("title").matches(".*\\p{IsHan}.*"), refused::toString);
  }
}
