package io.govmedia.console;

import io.govmedia.support.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.util.List;

/**
 * What a person does on the administration pages, step by step, for tests across areas: each step works through the
 * page as shown (labels, buttons) and waits for the page's own confirmation.
 */
public final class AdminSteps {

  private AdminSteps() {
  }

  /** Creates a department on #/admin/departments; {@code parentPath} as the parent list shows it ("上级 / 下级"), or null. */
  public static void createDepartment(Browser browser, String name, String parentPath) {
    browser.go("/admin/departments");
    type(browser.labelled("部门名称"), name);
    if (parentPath != null) {
      browser.waitUntil(d -> !new Select(browser.labelled("上级部门")).getOptions().stream()
        .filter(o -> o.getText().equals(parentPath)).toList().isEmpty());
      new Select(browser.labelled("上级部门")).selectByVisibleText(parentPath);
    }
    browser.button("新建部门").click();
    browser.waitForText("已新建部门“" + name + "”");
  }

  /**
   * Creates a staff member on #/admin/staff with roles by their Chinese names (编辑, 审核员…) and departments by their
   * paths.
   */
  public static void createStaff(Browser browser, String username, String displayName, String password,
                                 List<String> roleNames, List<String> departmentPaths) {
    browser.go("/admin/staff");
    browser.button("新建工作人员").click();
    type(browser.labelled("用户名"), username);
    type(browser.labelled("显示名称"), displayName);
    type(browser.labelled("初始密码"), password);
    roleNames.forEach(role -> browser.labelled(role).click());
    departmentPaths.forEach(path -> browser.labelled(path).click());
    browser.find(By.cssSelector("dialog[open] button[type=submit]")).click();
    browser.waitForText("已新建工作人员 " + displayName);
  }

  /** Adds a sensitive word on #/admin/words, blocking or only warning. */
  public static void addSensitiveWord(Browser browser, String word, boolean block) {
    browser.go("/admin/words");
    type(browser.labelled("敏感词"), word);
    new Select(browser.labelled("级别")).selectByValue(block ? "block" : "warn");
    browser.button("添加敏感词").click();
    browser.waitForText("已添加敏感词“" + word + "”");
  }

  /** Clicks "加载更多" until the page shows {@code text} (lists come in pages). */
  public static void loadUntil(Browser browser, String text) {
    browser.waitUntil(d -> {
      if (browser.text().contains(text)) {
        return true;
      }
      List<WebElement> more = d.findElements(By.xpath("//button[normalize-space(.)='加载更多']"));
      if (!more.isEmpty() && more.get(0).isEnabled()) {
        more.get(0).click();
      }
      return false;
    });
  }

  /** Replaces a text control's content as a person would (select all, type). */
  public static void type(WebElement input, String text) {
    input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
    input.sendKeys(text);
  }

  /** Sets a control's value the way the browser's own picker would (date inputs take no typed ISO dates). */
  public static void setValue(Browser browser, WebElement input, String value) {
    browser.script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
      + "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", input, value);
  }
}
