package io.govmedia.console;

import io.govmedia.support.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.util.List;

/** The reviewer's steps in the console, for the review pages' tests and the lead's end-to-end test. */
public final class ReviewSteps {

  private ReviewSteps() {
  }

  /** Opens the review queue and waits until it has loaded. */
  public static void openQueue(Browser b) {
    if (b.driver().getCurrentUrl().endsWith("#/review")) {
      b.go("/");  // the same address again would not load the queue anew
    }
    b.go("/review");
    b.waitFor(By.cssSelector(".review-queue table.data"));
  }

  /** Whether the signed-in reviewer's queue lists an item of this title (following "加载更多" to the end). */
  public static boolean queueShows(Browser b, String title) {
    openQueue(b);
    while (true) {
      if (!titleLinks(b, title).isEmpty()) {
        return true;
      }
      List<WebElement> more = b.findAll(By.xpath("//button[normalize-space(.)='加载更多']"));
      if (more.isEmpty()) {
        return false;
      }
      int before = b.findAll(By.cssSelector(".review-queue tbody tr")).size();
      more.get(0).click();
      b.waitUntil(d -> d.findElements(By.cssSelector(".review-queue tbody tr")).size() > before);
    }
  }

  /** Opens the queue, then the item of this title; waits for its page. */
  public static void openItem(Browser b, String title) {
    if (!queueShows(b, title)) {
      throw new AssertionError("the review queue does not list " + title + ":\n" + b.text());
    }
    titleLinks(b, title).get(0).click();
    b.waitFor(By.cssSelector(".review-item .review-item-title"));
  }

  /** Approves the item of this title with the comment, from the queue; waits for the toast and the queue again. */
  public static void approve(Browser b, String title, String comment) {
    decide(b, title, comment, "通过", "已通过：" + title);
  }

  /** Rejects the item of this title with the comment (required), from the queue. */
  public static void reject(Browser b, String title, String comment) {
    decide(b, title, comment, "退回", "已退回：" + title);
  }

  private static void decide(Browser b, String title, String comment, String button, String toast) {
    openItem(b, title);
    if (comment != null) {
      b.labelled("审核意见").sendKeys(comment);
    }
    b.button(button).click();
    b.waitFor(By.xpath("//div[contains(@class,'toast') and normalize-space(.)='" + toast + "']"));
    b.waitFor(By.cssSelector(".review-queue table.data"));
  }

  private static List<WebElement> titleLinks(Browser b, String title) {
    return b.findAll(By.xpath("//main//a[contains(@class,'review-title') and normalize-space(.)='" + title + "']"));
  }
}
