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
