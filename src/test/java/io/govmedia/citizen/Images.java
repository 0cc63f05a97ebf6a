package io.govmedia.citizen;

import io.govmedia.support.Client;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Citizens' image uploads for the tests: a small real PNG, sent as the mini-program sends it (multipart, field file). */
final class Images {

  private Images() {
  }

  static byte[] png() {
    BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(new Color(200, 16, 46));
    g.fillRect(0, 0, 40, 30);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static Client.Response upload(MiniappDesk desk, String token, String filename, byte[] file) {
    return desk.client.upload("/mp/v1/assets", token, filename, file);
  }


  /** A PNG the citizen uploaded: its id. */
  static String uploaded(MiniappDesk desk, MiniappDesk.Citizen who) {
    Client.Response created = upload(desk, who.token(), "现场.png", png());
    assertEquals(201, created.status(), created::toString);
    return created.json().getString("id");
  }
}
