package nl.aware.gateway.console;

import nl.aware.gateway.testing.BrowserErrors;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Real headless Chromium (Debian's chromium and chromium-driver) driven by Selenium, for the staff
 * console. It trusts exactly one certificate: the test server's, pinned by its public key
 * ({@code --ignore-certificate-errors-spki-list}), never a blanket "ignore certificate errors".
 * Screenshots go to {@code target/screenshots/}; {@link #checkAccessibility} runs axe-core from its WebJar.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path downloads;
    private final String origin;

    private Browser(ChromeDriver driver, ChromeDriverService service, Path downloads, String origin) {
        this.driver = driver;
        this.service = service;
        this.downloads = downloads;
        this.origin = origin;
    }

    /**
     * Fails (on CI, where {@code .ci/run} installs them) or skips (on a developer's machine) when
     * Chromium or its driver is missing, saying which.
     */
    static void requireChromium() {
        String missing = !Files.isExecutable(CHROMIUM) ? CHROMIUM + " (Debian package chromium)"
                : !Files.isExecutable(CHROMEDRIVER) ? CHROMEDRIVER + " (Debian package chromium-driver)" : null;
        if (missing == null) {
            return;
        }
        String message = "the staff console's browser tests need " + missing + "; .ci/run installs it";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
    }

    /** Opens Chromium for the console at {@code origin}, trusting only {@code serverCertificate}. */
    static Browser open(String origin, X509Certificate serverCertificate, Path work) throws IOException {
        requireChromium();
        Path downloads = Files.createDirectories(work.resolve("downloads"));
        Path profile = Files.createDirectories(work.resolve("chromium-profile"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--window-size=1280,1400", "--lang=nl-NL",
                "--user-data-dir=" + profile, "--ignore-certificate-errors-spki-list=" + spkiPin(serverCertificate));
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", downloads.toAbsolutePath().toString());
        prefs.put("download.prompt_for_download", false);
        prefs.put("intl.accept_languages", "nl-NL,nl");
        options.setExperimentalOption("prefs", prefs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        return new Browser(driver, service, downloads, origin);
    }

    /** The base64 SHA-256 of the certificate's SubjectPublicKeyInfo: what Chromium pins. */
    static String spkiPin(X509Certificate certificate) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(certificate.getPublicKey().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    /** A wait that looks again when the page replaced the element it was looking at. */
    private WebDriverWait waiting(Duration within) {
        WebDriverWait wait = new WebDriverWait(driver, within);
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    void get(String path) {
        driver.get(origin + path);
    }

    WebElement waitFor(By by) {
        return waiting(WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    WebElement waitFor(By by, Duration within) {
        return waiting(within).pollingEvery(Duration.ofMillis(50))
                .until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    void waitForText(By by, String text) {
        waiting(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    /** The page heading, once the page with this heading is shown. */
    void waitForHeading(String text) {
        waitForText(By.id("page-heading"), text);
    }

    void type(By by, String text) {
        WebElement element = waitFor(by);
        element.clear();
        element.sendKeys(text);
    }

    void click(By by) {
        waiting(WAIT).until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    String text(By by) {
        return waitFor(by).getText();
    }

    /** Writes {@code target/screenshots/NAME.png}. */
    Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return file;
    }

    /** axe-core on the page shown: fails on any serious or critical violation ({@link nl.aware.gateway.testing.AxeCore}). */
    void checkAccessibility(String name) throws IOException {
        nl.aware.gateway.testing.AxeCore.check(driver, SCREENSHOTS, name);
    }

    /** A file the browser downloaded whose name ends with {@code suffix}, once complete. */
    Path downloaded(String suffix) {
        Path[] found = new Path[1];
        waiting(WAIT).until(d -> {
            try (Stream<Path> files = Files.list(downloads)) {
                found[0] = files.filter(f -> f.getFileName().toString().endsWith(suffix)).findFirst().orElse(null);
                return found[0] != null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return found[0];
    }

    /**
     * Script errors and CSP violations the browser reported so far. Failed loads are left out: a 401 or
     * 404 the console handles, and the map tiles that cannot be reached here, are expected.
     */
    List<String> consoleErrors() {
        return BrowserErrors.of(driver);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
