package nl.aware.simulator.controlroom;

import nl.aware.gateway.testing.BrowserErrors;
import nl.aware.gateway.testing.AxeCore;
import nl.aware.gateway.testing.TestAuthenticator;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * One operator's real Chromium (headless) on the control-room console. It trusts exactly the test server's
 * certificate, pinned by its public key, not "any certificate". Signs in the way a person does: the password,
 * then the code from the authenticator app ({@link TestAuthenticator}), enrolling it at the first sign-in.
 */
final class ConsoleBrowser implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);
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
                "--window-size=1280,1000", "--user-data-dir=" + profile, "--autoplay-policy=no-user-gesture-required",
                "--no-first-run", "--disable-background-networking", "--lang=nl-NL",
                "--ignore-certificate-errors-spki-list=" + spki(serverCertificate));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        driver.get(origin + "/control/");
        return new ConsoleBrowser(driver, service, name);
    }

    private static String spki(X509Certificate certificate) throws NoSuchAlgorithmException {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(certificate.getPublicKey().getEncoded()));
    }

    ChromeDriver driver() {
        return driver;
    }

    private WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    WebElement waitFor(By by) {
        return waiting().until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private void type(By by, String text) {
        WebElement element = waitFor(by);
        element.clear();
        element.sendKeys(text);
    }

    void click(By by) {
        waiting().until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    /** The password step: account name and password, then "Doorgaan". */
    void password(String username, String password) {
        type(By.name("username"), username);
        type(By.name("password"), password);
        click(By.id("signin-continue"));
    }

    /**
     * Signs in with the password and the second factor, as the server asks: the enrolment (QR code and secret,
     * then the recovery codes, kept by the authenticator) at the first sign-in, the code afterwards.
     */
    void signIn(String username, String password, TestAuthenticator authenticator) throws IOException {
        signIn(username, password, authenticator, null);
    }

    /** As {@link #signIn}, photographing and axe-checking each sign-in step as {@code photographAs-step}. */
    void signIn(String username, String password, TestAuthenticator authenticator, String photographAs)
            throws IOException {
        if (photographAs != null) {
            waitFor(By.name("username"));
            check(photographAs + "-password");
        }
        password(username, password);
        waiting().until(d -> !d.findElements(By.id("totp-secret")).isEmpty()
                || !d.findElements(By.id("code-continue")).isEmpty());
        if (!driver.findElements(By.id("totp-secret")).isEmpty()) {
            String secret = waitFor(By.id("totp-secret")).getText().replace(" ", "");
            if (photographAs != null) {
                check(photographAs + "-enrol");
            }
            type(By.name("code"), authenticator.of(username).enrol(secret, null));
            click(By.id("enrol-continue"));
            WebElement codes = waitFor(By.id("recovery-codes"));
            List<String> kept = new ArrayList<>();
            codes.findElements(By.tagName("li")).forEach(li -> kept.add(li.getText().trim()));
            if (kept.isEmpty()) {
                throw new AssertionError("the enrolment showed no recovery codes");
            }
            authenticator.of(username).recoveryCodes(kept);
            if (photographAs != null) {
                check(photographAs + "-recovery-codes");
            }
            click(By.id("codes-kept"));
        } else {
            if (photographAs != null) {
                check(photographAs + "-code");
            }
            type(By.name("code"), authenticator.codeNow(username));
            click(By.id("code-continue"));
        }
        waitUntilSignedIn();
    }

    /** The password, then "I do not have my phone" and one of the recovery codes kept at the enrolment. */
    void signInWithRecoveryCode(String username, String password, String recoveryCode) {
        password(username, password);
        click(By.id("use-recovery"));
        type(By.name("recoveryCode"), recoveryCode);
        click(By.cssSelector("#signin-steps form button[type=submit]"));
        waitUntilSignedIn();
    }

    void waitUntilSignedIn() {
        waiting().until(d -> "yes".equals(body("signed-in")));
    }

    boolean signInShown() {
        return "no".equals(body("signed-in")) && !driver.findElements(By.name("username")).isEmpty();
    }

    String body(String attribute) {
        return driver.findElement(By.tagName("body")).getDomAttribute("data-" + attribute);
    }

    String text(By by) {
        return waitFor(by).getText();
    }

    /** The text of an element as it is now, shown or not (empty when it is hidden or has none). */
    String textNow(By by) {
        return reread(() -> driver.findElement(by).getText());
    }

    String title() {
        return driver.getTitle();
    }

    String favicon() {
        return driver.findElement(By.id("favicon")).getDomAttribute("href");
    }

    /** The state shown for this alert, or null when the alert is not on screen. */
    String state(String alertId) {
        return reread(() -> {
            List<WebElement> rows = driver.findElements(By.cssSelector("tr[data-alert-id='" + alertId + "']"));
            return rows.isEmpty() ? null : rows.get(0).getDomAttribute("data-state");
        });
    }

    /**
     * Finds and reads again when the page replaced the element in between (it re-renders the rows on every
     * event, e.g. the burst after a reconnect): what is asked for is what the page shows now.
     */
    private static <T> T reread(Supplier<T> findAndRead) {
        for (int attempt = 1; ; attempt++) {
            try {
                return findAndRead.get();
            } catch (StaleElementReferenceException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    int rows() {
        return driver.findElements(By.cssSelector("#rows tr")).size();
    }

    void acknowledge(String alertId) {
        click(By.cssSelector("tr[data-alert-id='" + alertId + "'] button.ack"));
    }

    void openAlert(String alertId) {
        click(By.cssSelector("tr[data-alert-id='" + alertId + "'] button.open"));
    }

    boolean staleWarningShown() {
        return driver.findElement(By.id("stale")).isDisplayed();
    }

    void screenshot(String what) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve("control-room-" + name + "-" + what + ".png"),
                driver.getScreenshotAs(OutputType.BYTES));
    }

    /** A screenshot, and axe-core on the page: no serious or critical violation. */
    void check(String what) throws IOException {
        screenshot(what);
        AxeCore.check(driver, SCREENSHOTS, "control-room-" + name + "-" + what);
    }

    /** Script errors and CSP violations the browser reported (failed loads, such as unreachable tiles, left out). */
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
