package org.vigil.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard driven in a real headless Chromium, the Debian package with its driver ({@code
 * .ci/setup} installs both). Nothing is downloaded: the browser and driver paths are given.
 */
final class DashboardBrowser implements AutoCloseable {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

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
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-username")))
        .sendKeys(username);
    driver.findElement(By.id("login-password")).sendKeys(password);
    driver.findElement(By.id("login-submit")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("current-user")));
  }

  /** The text of the alerts table row whose source shows {@code sourceIp}, once it appears. */
  String alertRowText(String sourceIp, Duration within) {
    WebDriverWait wait = new WebDriverWait(driver, within);
    return wait.until(
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
