package nl.aware.gateway.console;

import nl.aware.core.staff.Base32;
import nl.aware.core.staff.Totp;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A person at the console: signs in with a password and the second factor as the server asks
 * (enrolling an authenticator at the first sign-in, keeping the secret like an app would), signs out.
 */
final class Staff {
    private final Browser browser;
    private final Map<String, String> secrets = new HashMap<>();
    private final Map<String, Long> usedSteps = new HashMap<>();
    /** Whether the last sign-in went through a second factor (false only against a server without one). */
    private boolean secondFactorAsked;
    /** When set, the second-factor pages of the next sign-in are photographed and checked with axe-core. */
    private String photographAs;

    Staff(Browser browser) {
        this.browser = browser;
    }

    /** Signs in like {@link #signIn}, photographing the second-factor pages as {@code name-enrol}, {@code name-code} … */
    void signInPhotographed(String username, String password, String name) throws Exception {
        photographAs = name;
        try {
            signIn(username, password);
        } finally {
            photographAs = null;
        }
    }

    private void photograph(String page) {
        if (photographAs == null) {
            return;
        }
        try {
            browser.screenshot(photographAs + "-" + page);
            browser.checkAccessibility(photographAs + "-" + page);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Signs in from the sign-in page and waits for the start page. */
    void signIn(String username, String password) throws InterruptedException {
        browser.waitForHeading("Aanmelden");
        browser.type(By.name("username"), username);
        browser.type(By.name("password"), password);
        browser.click(By.id("signin-continue"));
        browser.waitFor(By.cssSelector("#page-heading"));
        secondFactorAsked = false;
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), Duration.ofSeconds(15))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d ->
                !d.findElements(By.id("totp-secret")).isEmpty() || !d.findElements(By.id("code-continue")).isEmpty()
                        || d.findElement(By.id("page-heading")).getText().equals("Start"));
        if (!browser.driver().findElements(By.id("totp-secret")).isEmpty()) {
            enrol(username);
        } else if (!browser.driver().findElements(By.id("code-continue")).isEmpty()) {
            code(username);
        }
        browser.waitForHeading("Start");
    }

    private void enrol(String username) throws InterruptedException {
        secondFactorAsked = true;
        String secret = browser.text(By.id("totp-secret")).replace(" ", "");
        secrets.put(username, secret);
        photograph("enrol");
        browser.type(By.name("code"), freshCode(username));
        browser.click(By.id("enrol-continue"));
        WebElement codes = browser.waitFor(By.id("recovery-codes"));
        List<WebElement> items = codes.findElements(By.tagName("li"));
        if (items.isEmpty()) {
            throw new AssertionError("enrolment showed no recovery codes");
        }
        photograph("recovery-codes");
        browser.click(By.id("codes-kept"));
    }

    private void code(String username) throws InterruptedException {
        secondFactorAsked = true;
        if (!secrets.containsKey(username)) {
            throw new AssertionError(username + " was asked for a code but never enrolled in this test");
        }
        photograph("code");
        browser.type(By.name("code"), freshCode(username));
        browser.click(By.id("code-continue"));
    }

    /** A code the server has not seen yet (a code is never accepted twice): waits for the next step if needed. */
    private String freshCode(String username) throws InterruptedException {
        long step = Totp.step(Instant.now());
        Long used = usedSteps.get(username);
        while (used != null && step <= used) {
            Thread.sleep(500);
            step = Totp.step(Instant.now());
        }
        usedSteps.put(username, step);
        return Totp.code(Base32.decode(secrets.get(username)), step, Totp.DIGITS);
    }

    boolean secondFactorAsked() {
        return secondFactorAsked;
    }

    void signOut() {
        browser.click(By.id("signout"));
        browser.waitForHeading("Aanmelden");
    }

    /** Follows a link of the main menu and waits for its page. */
    void menu(String item) {
        browser.click(By.linkText(item));
        browser.waitForHeading(item);
    }
}
