package org.vigil.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard driven in a real headless Chromium, the Debian package with its driver ({@code
 * .ci/setup} installs both). Nothing is downloaded: the browser and driver paths are given.
 */
final class DashboardBrowser implements AutoCloseable {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** Long enough for a view's API calls on a busy test machine; each wait is a condition. */
  private static final Duration STEP = Duration.ofSeconds(20);

  private final ChromeDriver driver;

  private DashboardBrowser(ChromeDriver driver) {
    this.driver = driver;
  }

  static DashboardBrowser open() throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException(
          "Chromium and its driver are needed at /usr/bin: run .ci/setup (installs chromium and"
              + " chromium-driver)");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,900",
        "--user-data-dir=" + Files.createTempDirectory("vigil-chromium"));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    return new DashboardBrowser(new ChromeDriver(service, options));
  }

  void logIn(String url, String username, String password) {
    driver.get(url);
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    WebElement name =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-username")));
    name.clear();
    name.sendKeys(username);
    driver.findElement(By.id("login-password")).sendKeys(password);
    driver.findElement(By.id("login-submit")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("current-user")));
  }

  /**
   * The text of the alerts table row whose source shows {@code sourceIp}, once it appears. The
   * queue is filtered to that source first, as an analyst would: it pages, so an older alert may
   * not be on its first page.
   */
  String alertRowText(String sourceIp, Duration within) {
    String page = driver.getCurrentUrl();
    int hash = page.indexOf('#');
    driver.get((hash < 0 ? page : page.substring(0, hash)) + "#/alerts?source.ip=" + sourceIp);
    return waitFor(within)
        .until(
            d -> {
              for (WebElement row : d.findElements(By.cssSelector("#alerts-table tbody tr"))) {
                String text = row.getText();
                if (text.contains("source.ip=" + sourceIp)) {
                  return text;
                }
              }
              return null;
            });
  }

  /** Opens an alert from the queue by its row's link, once the row appears. */
  void openAlert(String alertId, Duration within) {
    By link = By.cssSelector("#alerts-table tbody tr[data-alert-id='" + alertId + "'] a.rule-link");
    // Live updates redraw the rows: find and click in one step, again if the row was replaced.
    waitFor(within)
        .until(
            d -> {
              d.findElement(link).click();
              return true;
            });
    waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("alert-title")));
  }

  /** The open alert's id, from the page's address. */
  String openAlertId() {
    String url = driver.getCurrentUrl();
    return java.net.URLDecoder.decode(
        url.substring(url.indexOf("#/alerts/") + "#/alerts/".length()),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Assigns the open alert through the assign dropdown, then waits for the page to show it. */
  void assignOpenAlert(String username) {
    WebDriverWait wait = waitFor();
    wait.until(
        d ->
            !d.findElements(By.cssSelector("#alert-assignee option[value='" + username + "']"))
                .isEmpty());
    new Select(driver.findElement(By.id("alert-assignee"))).selectByValue(username);
    driver.findElement(By.id("alert-assign")).click();
    wait.until(
        ExpectedConditions.attributeToBe(By.id("alert-assignee-name"), "data-assignee", username));
  }

  void commentOnOpenAlert(String text) {
    WebDriverWait wait = waitFor();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("comment-text"))).sendKeys(text);
    driver.findElement(By.id("comment-submit")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("alert-comments"), text));
  }

  /** A workflow button (acknowledge, start, reopen) on the open alert; waits for the new status. */
  void moveOpenAlert(String action, String expectedStatus) {
    waitFor().until(ExpectedConditions.elementToBeClickable(By.id("alert-" + action))).click();
    waitFor()
        .until(
            ExpectedConditions.attributeToBe(By.id("alert-status"), "data-status", expectedStatus));
  }

  /** Closes the open alert through the close dialog with a resolution and reason. */
  void closeOpenAlert(String resolution, String reason) {
    WebDriverWait wait = waitFor();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("alert-close"))).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("close-dialog")));
    new Select(driver.findElement(By.id("close-resolution"))).selectByValue(resolution);
    driver.findElement(By.id("close-reason")).sendKeys(reason);
    driver.findElement(By.id("close-confirm")).click();
    wait.until(ExpectedConditions.attributeToBe(By.id("alert-status"), "data-status", "closed"));
  }

  /** The open alert's history table, once it holds {@code expected}. */
  String historyText(String expected) {
    waitFor()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(By.id("alert-history"), expected));
    return driver.findElement(By.id("alert-history")).getText();
  }

  String text(String id) {
    return waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id(id))).getText();
  }

  /** From the open alert to its evidence in the event search; the ids of the events listed. */
  List<String> pivotToEvidence() {
    waitFor().until(ExpectedConditions.elementToBeClickable(By.id("alert-pivot-events"))).click();
    return searchResultIds();
  }

  /** Runs a query in the event search over the last 24 hours; the ids of the events listed. */
  List<String> search(String url, String query) {
    driver.get(url + "#/search");
    WebElement box =
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("search-query")));
    box.clear();
    box.sendKeys(query);
    WebElement before = driver.findElement(By.id("search-results"));
    driver.findElement(By.id("search-submit")).click();
    // The view draws anew for the new query: wait for the old table to go.
    waitFor().until(ExpectedConditions.stalenessOf(before));
    return searchResultIds();
  }

  private List<String> searchResultIds() {
    By rows = By.cssSelector("#search-results tbody tr[data-event-id]");
    waitFor().until(ExpectedConditions.numberOfElementsToBeMoreThan(rows, 0));
    return driver.findElements(rows).stream().map(r -> r.getAttribute("data-event-id")).toList();
  }

  /**
   * Whether the queue, filtered to {@code sourceIp} in every status, comes back empty: the "no
   * alerts" note is shown only once a page has loaded without rows.
   */
  boolean queueEmptyFor(String url, String sourceIp) {
    driver.get(url + "#/alerts?source.ip=" + sourceIp + "&status=");
    return waitFor()
        .until(ExpectedConditions.visibilityOfElementLocated(By.id("alerts-empty")))
        .isDisplayed();
  }

  /** Runs a search and returns the total line ("0 events"), once the results have drawn. */
  String searchTotal(String url, String query) {
    driver.get(url + "#/search");
    WebElement box =
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("search-query")));
    box.clear();
    box.sendKeys(query);
    WebElement before = driver.findElement(By.id("search-results"));
    driver.findElement(By.id("search-submit")).click();
    waitFor().until(ExpectedConditions.stalenessOf(before));
    return waitFor()
        .until(
            d -> {
              String total = d.findElement(By.id("search-total")).getText();
              return total.isBlank() ? null : total;
            });
  }

  /** The text of the listed event's row. */
  String searchResultText(String eventId) {
    return driver
        .findElement(By.cssSelector("#search-results tbody tr[data-event-id='" + eventId + "']"))
        .getText();
  }

  /** From a listed event back to the alerts holding it; the ids of the alerts listed. */
  List<String> pivotToAlertsOf(String eventId) {
    driver
        .findElement(
            By.cssSelector(
                "#search-results tbody tr[data-event-id='" + eventId + "'] a.event-alerts"))
        .click();
    waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("chip-event-id")));
    By rows = By.cssSelector("#alerts-table tbody tr[data-alert-id]");
    waitFor().until(ExpectedConditions.numberOfElementsToBeMoreThan(rows, 0));
    return driver.findElements(rows).stream().map(r -> r.getAttribute("data-alert-id")).toList();
  }

  /** Picks a language in the header; waits until the navigation shows {@code alertsLabel}. */
  void switchLanguage(String language, String alertsLabel) {
    new Select(driver.findElement(By.id("lang-select"))).selectByValue(language);
    waitFor()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(By.id("nav-alerts"), alertsLabel));
  }

  /** Opens the rules page; the ids of the live rules it lists. */
  List<String> liveRuleIds(String url) {
    driver.get(url + "#/rules");
    By rows = By.cssSelector("#rules-table tbody tr[data-rule-id]");
    waitFor().until(ExpectedConditions.presenceOfElementLocated(rows));
    return driver.findElements(rows).stream()
        .map(row -> row.getDomAttribute("data-rule-id"))
        .toList();
  }

  /** Validates one DRL file in the rules page's deploy form; the problems it lists. */
  String validateRules(String fileName, String drl) {
    WebElement name =
        waitFor().until(ExpectedConditions.elementToBeClickable(By.id("rules-file-name")));
    name.clear();
    name.sendKeys(fileName);
    WebElement text = driver.findElement(By.id("rules-text"));
    text.clear();
    text.sendKeys(drl);
    driver.findElement(By.id("rules-validate")).click();
    return waitFor()
        .until(ExpectedConditions.visibilityOfElementLocated(By.id("rules-problems")))
        .getText();
  }

  /**
   * Generates an ad-hoc report on the reports page and returns the text of its row in the kept
   * reports, once it is listed, with the row's report id.
   */
  Map.Entry<String, String> generateReport(String url, String framework, String period) {
    go(url + "#/reports");
    WebElement button =
        waitFor().until(ExpectedConditions.elementToBeClickable(By.id("report-generate")));
    List<String> before = reportIds();
    new Select(driver.findElement(By.id("report-framework"))).selectByValue(framework);
    new Select(driver.findElement(By.id("report-period"))).selectByValue(period);
    button.click();
    String id =
        waitFor(Duration.ofMinutes(2))
            .until(
                d -> {
                  List<String> now = reportIds();
                  now.removeAll(before);
                  return now.isEmpty() ? null : now.get(0);
                });
    WebElement row =
        driver.findElement(By.cssSelector("#reports-table tbody tr[data-id='" + id + "']"));
    return Map.entry(id, row.getText());
  }

  /** The names of the definitions the reports page lists. */
  List<String> reportDefinitionNames() {
    return waitFor()
        .until(
            d -> {
              List<String> names = new ArrayList<>();
              for (WebElement row :
                  d.findElements(By.cssSelector("#report-definitions tbody tr[data-name]"))) {
                names.add(row.getAttribute("data-name"));
              }
              return names.isEmpty() ? null : names;
            });
  }

  private List<String> reportIds() {
    List<String> ids = new ArrayList<>();
    for (WebElement row : driver.findElements(By.cssSelector("#reports-table tbody tr[data-id]"))) {
      ids.add(row.getAttribute("data-id"));
    }
    return ids;
  }

  void logOut() {
    driver.findElement(By.id("logout")).click();
    waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-username")));
  }

  /** Whether the page currently has an element with this id, shown or not. */
  boolean has(String id) {
    return !driver.findElements(By.id(id)).isEmpty();
  }

  void go(String url) {
    driver.get(url);
  }

  private WebDriverWait waitFor() {
    return waitFor(STEP);
  }

  /** A wait that looks again when a view redraws the element it was reading. */
  private WebDriverWait waitFor(Duration within) {
    WebDriverWait wait = new WebDriverWait(driver, within);
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  void screenshot(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
