package io.govmedia.support;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver (named by path, so Selenium never downloads a
 * browser or driver), against the console of a running test server. Where either program is missing the test is
 * skipped with a loud notice ({@code .ci/run} installs both). One browser per test class; each {@link #signIn}
 * starts from a clean profile's cookies.
 */
public final class Browser implements AutoCloseable {

  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final ChromeDriver driver;
  private final Path profile;
  private final String base;

  private Browser(ChromeDriver driver, Path profile, String base) {
    this.driver = driver;
    this.profile = profile;
    this.base = base;
  }

  /** Skips the calling test (loudly) unless Debian's chromium and chromedriver are installed. */
  public static void assumeInstalled() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present) {
      System.err.println("""

        ************************************************************************************
        * CONSOLE BROWSER TESTS SKIPPED: /usr/bin/chromium or /usr/bin/chromedriver missing. *
        * Install Debian's packages: apt-get install -y chromium chromium-driver             *
        ************************************************************************************
        """);
    }
    Assumptions.assumeTrue(present, "Debian chromium and chromium-driver are not installed");
  }

  /** A headless browser at a laptop's size, against the server on {@code port}. */
  public static Browser open(int port) {
    return open(port, 1366, 900);
  }

  public static Browser open(int port, int width, int height) {
    assumeInstalled();
    try {
      Path profile = Files.createTempDirectory("govmedia-chromium");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--disable-extensions", "--mute-audio", "--lang=zh-CN", "--window-size=" + width + "," + height,
        "--user-data-dir=" + profile);
      LoggingPreferences logs = new LoggingPreferences();
      logs.enable(LogType.BROWSER, Level.ALL);
      options.setCapability("goog:loggingPrefs", logs);
      ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
      return new Browser(driver, profile, "http://127.0.0.1:" + port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public WebDriver driver() {
    return driver;
  }

  public String base() {
    return base;
  }

  /**
   * Opens the console signed out and signs in through its form; waits for the shell. Clears every cookie first:
   * WebDriver's own delete reaches only the current page's path, not the session cookie on /api/v1/auth/console.
   */
  public void signIn(String username, String password) {
    signOutEverywhere();
    driver.get(base + "/console/");
    WebElement user = waitFor(By.id("signin-username"));
    user.sendKeys(username);
    driver.findElement(By.id("signin-password")).sendKeys(password);
    driver.findElement(By.cssSelector(".signin-form button[type=submit]")).click();
    waitFor(By.cssSelector("header.topbar"));
  }

  /** Signs a test's staff member in (see {@link #signIn(String, String)}). */
  public void signIn(Client.Member member) {
    signIn(member.username(), member.password());
  }

  /** Forgets every cookie of the browser (the console's session included), as a new profile would. */
  public void signOutEverywhere() {
    driver.executeCdpCommand("Network.clearBrowserCookies", java.util.Map.of());
  }

  /** Goes to a console page by its hash path (e.g. "/calendar") and waits until it has loaded. */
  public void go(String path) {
    driver.get(base + "/console/#" + path);
    waitFor(By.cssSelector("header.topbar"));
    waitUntil(d -> d.findElements(By.cssSelector("main#main .loading")).isEmpty());
  }

  public WebElement waitFor(By locator) {
    return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
  }

  /** Waits until the page's text (in {@code main}) contains {@code text}. */
  public void waitForText(String text) {
    waitUntil(d -> d.findElement(By.tagName("body")).getText().contains(text));
  }

  public <T> T waitUntil(Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
      .until(condition::apply);
  }

  public <T> T waitUntil(Duration timeout, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, timeout).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
      .until(condition::apply);
  }

  public WebElement find(By locator) {
    return driver.findElement(locator);
  }

  public List<WebElement> findAll(By locator) {
    return driver.findElements(locator);
  }

  /** The button (or link) whose visible text is exactly {@code text}. */
  public WebElement button(String text) {
    return waitFor(By.xpath("//*[self::button or self::a][normalize-space(.)='" + text + "']"));
  }

  /** The form control labelled {@code label} (by its label element's text). */
  public WebElement labelled(String label) {
    return waitUntil(d -> {
      WebElement element = d.findElement(By.xpath("//label[normalize-space(.)='" + label + "']"));
      List<WebElement> control = d.findElements(By.id(element.getAttribute("for")));
      return control.isEmpty() ? null : control.get(0);
    });
  }

  public Object script(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  public String text() {
    return driver.findElement(By.tagName("body")).getText();
  }

  /** Writes {@code target/screenshots/<name>.png} (the README shows some of them). */
  public Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs axe-core on the page as shown now; fails on any serious or critical violation, naming each. */
  public void assertAccessible(String page) {
    Results results = new AxeBuilder().analyze(driver);
    List<Rule> bad = results.getViolations().stream()
      .filter(rule -> "serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact()))
      .toList();
    if (!bad.isEmpty()) {
      fail(page + ": accessibility violations:\n" + bad.stream().map(rule -> "- " + rule.getImpact() + " "
        + rule.getId() + ": " + rule.getHelp() + " at " + rule.getNodes().stream().limit(5)
        .map(node -> String.valueOf(node.getTarget())).collect(Collectors.joining(", ")))
        .collect(Collectors.joining("\n")));
    }
  }

  /**
   * Fails on errors the page logged since the last call (a script failure, a Content-Security-Policy refusal),
   * other than failed API calls the test caused on purpose ({@code allowed} substrings).
   */
  public void assertNoScriptErrors(String... allowed) {
    List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
      .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
      .filter(entry -> List.of(allowed).stream().noneMatch(entry.getMessage()::contains))
      // Opening the console while signed out asks once whether a session cookie is there: 401 when not.
      .filter(entry -> !entry.getMessage().contains("/api/v1/auth/console/refresh - Failed to load resource: the "
        + "server responded with a status of 401"))
      .toList();
    assertTrue(errors.isEmpty(), () -> "the page logged errors:\n" + errors.stream().map(LogEntry::getMessage)
      .collect(Collectors.joining("\n")));
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      } catch (IOException ignored) {
        // a temporary profile left behind is harmless
      }
    }
  }
}
