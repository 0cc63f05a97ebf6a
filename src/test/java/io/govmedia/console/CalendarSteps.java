package io.govmedia.console;

import io.govmedia.support.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** What a person does on the publishing calendar ({@code #/calendar}), for this area's tests and the end-to-end one. */
public final class CalendarSteps {

  public static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
  /** Long enough for the scheduler to take a slot and the fake channel to answer. */
  public static final Duration PUBLISH_WAIT = Duration.ofSeconds(60);

  private CalendarSteps() {
  }

  /** Opens the calendar's week (or month) around a Beijing day and waits for its grid. */
  public static void open(Browser b, LocalDate day, boolean month) {
    b.go("/calendar?date=" + day + (month ? "&view=month" : ""));
    b.waitFor(By.cssSelector(month ? "table.cal-month" : "table.cal-week"));
  }

  /**
   * On the calendar (opened first when another page shows): "安排发布", the approved post, the account (an official account as a 群发), the Beijing date
   * and time of {@code at} (to the second); waits until the dialog closed and the post's card is on the calendar.
   */
  public static void schedule(Browser b, String postTitle, String accountName, Instant at) {
    if (b.findAll(By.cssSelector(".calendar-page")).isEmpty()) {
      b.go("/calendar");
    }
    b.button("安排发布").click();
    WebElement posts = b.labelled("稿件（已通过审核）");
    b.waitUntil(d -> {
      boolean listed = new Select(posts).getOptions().stream().anyMatch(o -> o.getText().equals(postTitle));
      if (!listed) {
        d.findElements(By.xpath("//dialog[@open]//button[normalize-space(.)='加载更多']")).forEach(WebElement::click);
      }
      return listed;
    });
    new Select(posts).selectByVisibleText(postTitle);
    b.labelled(accountName).click();
    List<WebElement> mode = b.findAll(By.xpath("//dialog[@open]//label[normalize-space(.)='公众号发布方式']"));
    if (!mode.isEmpty()) {
      new Select(b.find(By.id(mode.get(0).getAttribute("for")))).selectByValue("mass");
    }
    ZonedDateTime local = at.atZone(BEIJING);
    AdminSteps.setValue(b, b.labelled("发布日期"), local.toLocalDate().toString());
    AdminSteps.setValue(b, b.labelled("发布时间（北京时间）"), local.format(DateTimeFormatter.ofPattern("HH:mm:ss")));
    b.button("确认排期").click();
    b.waitUntil(d -> d.findElements(By.xpath("//dialog[@open]")).isEmpty());
    b.waitFor(By.xpath(card(postTitle)));
  }

  /** Waits, on the open calendar and without reloading it, until the post's card shows {@code statusLabel}. */
  public static void waitForStatus(Browser b, String postTitle, String statusLabel) {
    b.waitUntil(PUBLISH_WAIT, d -> !d.findElements(By.xpath(card(postTitle)
      + "//span[contains(@class,'slot-status')][normalize-space(.)='" + statusLabel + "']")).isEmpty());
  }

  /** The XPath of the post's slot card. */
  public static String card(String postTitle) {
    return "//div[contains(@class,'slot-card')][.//span[@class='slot-title'][normalize-space(.)='" + postTitle + "']]";
  }

  /** Drags the post's card onto the week view's cell of a Beijing day and hour (HTML5 drag and drop events). */
  public static void dragToHour(Browser b, String postTitle, LocalDate day, int hour) {
    WebElement cell = b.find(By.cssSelector("td[data-date='" + day + "'][data-hour='" + hour + "']"));
    drag(b, b.find(By.xpath(card(postTitle))), cell);
  }

  /** The Beijing day and hour the post's card is shown in (week view): "2026-12-10|15". */
  public static String cellOf(Browser b, String postTitle) {
    WebElement cell = b.find(By.xpath(card(postTitle) + "/ancestor::td[1]"));
    return cell.getAttribute("data-date") + "|" + cell.getAttribute("data-hour");
  }

  private static void drag(Browser b, WebElement from, WebElement to) {
    // Selenium's pointer actions do not start HTML5 drags in Chromium: the page gets the events a real drag sends.
    b.script("""
      const [card, cell] = arguments;
      const data = new DataTransfer();
      const fire = (target, type) => target.dispatchEvent(new DragEvent(type,
        { bubbles: true, cancelable: true, dataTransfer: data }));
      fire(card, 'dragstart');
      fire(cell, 'dragenter');
      fire(cell, 'dragover');
      fire(cell, 'drop');
      fire(card, 'dragend');
      """, from, to);
  }
}
