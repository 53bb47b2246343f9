package nl.aware.simulator.controlroom;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * One operator's real Chromium (headless) on the control-room console. It trusts exactly the test server's
 * certificate, pinned by its public key, not "any certificate".
 */
final class ConsoleBrowser implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final String name;

    private ConsoleBrowser(ChromeDriver driver, ChromeDriverService service, String name) {
        this.driver = driver;
        this.service = service;
        this.name = name;
    }

    static ConsoleBrowser open(String name, String origin, X509Certificate serverCertificate, Path profile)
            throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,800", "--user-data-dir=" + profile, "--autoplay-policy=no-user-gesture-required",
                "--ignore-certificate-errors-spki-list=" + spki(serverCertificate));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.get(origin + "/control/");
        return new ConsoleBrowser(driver, service, name);
    }

    private static String spki(X509Certificate certificate) throws NoSuchAlgorithmException {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(certificate.getPublicKey().getEncoded()));
    }

    void signIn(String username, String password) {
        driver.findElement(By.id("username")).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("signin-button")).click();
    }

    String body(String attribute) {
        return driver.findElement(By.tagName("body")).getDomAttribute("data-" + attribute);
    }

    String title() {
        return driver.getTitle();
    }

    String favicon() {
        return driver.findElement(By.id("favicon")).getDomAttribute("href");
    }

    /** The state shown for this alert, or null when the alert is not on screen. */
    String state(String alertId) {
        List<WebElement> rows = driver.findElements(By.cssSelector("tr[data-alert-id='" + alertId + "']"));
        return rows.isEmpty() ? null : rows.get(0).getDomAttribute("data-state");
    }

    int rows() {
        return driver.findElements(By.cssSelector("#rows tr")).size();
    }

    void acknowledge(String alertId) {
        driver.findElement(By.cssSelector("tr[data-alert-id='" + alertId + "'] button.ack")).click();
    }

    boolean staleWarningShown() {
        return driver.findElement(By.id("stale")).isDisplayed();
    }

    void screenshot(String what) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve("control-room-" + name + "-" + what + ".png"),
                driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        driver.quit();
        service.stop();
    }
}
