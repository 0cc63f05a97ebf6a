package io.govmedia.console;

import io.govmedia.support.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What an editor does in the console, step by step, for tests across areas (the lead's journey test among them). */
public final class EditorSteps {

  private static final Pattern POST_URL = Pattern.compile("#/posts/([0-9a-f]{24})");

  private EditorSteps() {
  }

  /**
   * Writes a new post through the editor: its title, {@code text} as the body (and as the Weibo text when the account
   * is a Weibo one), the account ticked as its channel, the image uploaded into the body and used as cover; saves
   * and answers the new post's id, read from the page's address.
   */
  public static String writePost(Browser b, String title, String text, Path image, String accountName) {
    b.go("/posts/new");
    b.labelled("标题").sendKeys(title);
    WebElement body = b.waitFor(By.cssSelector(".richtext-body"));
    body.click();
    body.sendKeys(text);
    b.waitFor(By.xpath("//fieldset[contains(@class,'channels')]//label[starts-with(normalize-space(.),'"
      + accountName + "（')]")).click();
    if (!b.findAll(By.xpath("//label[normalize-space(.)='微博正文']")).isEmpty()) {
      b.labelled("微博正文").sendKeys(text);
    }
    upload(b, "image", image);
    b.waitUntil(d -> !d.findElements(By.cssSelector(".cover-option input:checked")).isEmpty());
    b.button("保存").click();
    String id = b.waitUntil(d -> {
      Matcher found = POST_URL.matcher(d.getCurrentUrl());
      return found.find() ? found.group(1) : null;
    });
    b.waitUntil(d -> d.findElement(By.cssSelector(".status-line")).getText().contains("草稿"));
    return id;
  }

  /** A small PNG picture in a temporary file (red frame, white middle), for uploads. */
  public static Path picture() {
    try {
      Path image = java.nio.file.Files.createTempFile("govmedia-picture", ".png");
      java.awt.image.BufferedImage picture = new java.awt.image.BufferedImage(320, 200,
        java.awt.image.BufferedImage.TYPE_INT_RGB);
      java.awt.Graphics2D g = picture.createGraphics();
      g.setColor(new java.awt.Color(0xC8102E));
      g.fillRect(0, 0, 320, 200);
      g.setColor(java.awt.Color.WHITE);
      g.fillRect(40, 40, 240, 120);
      g.dispose();
      javax.imageio.ImageIO.write(picture, "png", image.toFile());
      image.toFile().deleteOnExit();
      return image;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Uploads a file through the body's toolbar ({@code kind}: image, video or audio) and waits for 100 %. */
  public static void upload(Browser b, String kind, Path file) {
    b.find(By.cssSelector(".richtext-toolbar input.upload-input[accept^='" + kind + "']"))
      .sendKeys(file.toAbsolutePath().toString());
    b.waitForText("上传完成 100%");
    b.waitUntil(d -> "100".equals(d.findElement(By.cssSelector(".upload-progress progress")).getAttribute("value")));
  }

  /** Submits the open editor's item for review and waits for the first stage to show. */
  public static void submit(Browser b) {
    b.waitUntil(d -> b.button("提交审核").isEnabled());
    b.button("提交审核").click();
    b.waitUntil(d -> d.findElement(By.cssSelector(".status-line")).getText().contains("审中"));
  }
}
