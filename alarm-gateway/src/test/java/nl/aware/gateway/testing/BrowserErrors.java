package nl.aware.gateway.testing;

import org.openqa.selenium.WebDriver;

import java.util.ArrayList;
import java.util.List;

/** What counts as a page error in the consoles' browser tests: one rule for the staff and control-room pages. */
public final class BrowserErrors {
    private BrowserErrors() {
    }

    /**
     * Script errors and CSP violations the browser reported so far. Failed loads are left out: a 401 or
     * 404 the page handles, and the map tiles that cannot be reached here, are expected.
     */
    public static List<String> of(WebDriver driver) {
        List<String> errors = new ArrayList<>();
        driver.manage().logs().get("browser").forEach(entry -> {
            if (entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()
                    && !entry.getMessage().contains("Failed to load resource")) {
                errors.add(entry.getMessage());
            }
        });
        return errors;
    }
}
