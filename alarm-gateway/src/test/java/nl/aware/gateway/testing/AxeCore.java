package nl.aware.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assertions;
import org.openqa.selenium.JavascriptExecutor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * axe-core from its WebJar (org.webjars.npm:axe-core, test scope), injected through the driver so a page's
 * strict CSP is not loosened for the check. The one accessibility check of both consoles' browser tests:
 * any serious or critical violation fails, listed; the whole result is written beside the screenshot.
 */
public final class AxeCore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AxeCore() {
    }

    /** Runs axe-core on the page the driver shows; writes {@code directory/NAME.axe.json}. */
    public static void check(JavascriptExecutor driver, Path directory, String name) throws IOException {
        driver.executeScript(source());
        Object result = driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "axe.run(document, {resultTypes: ['violations']})"
                        + ".then(r => done(JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
                        + " nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))))"
                        + ".catch(e => done('axe failed: ' + e));");
        String json = String.valueOf(result);
        Assertions.assertTrue(json.startsWith("["), json);
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(name + ".axe.json"), json);
        List<String> serious = new ArrayList<>();
        for (JsonNode violation : JSON.readTree(json)) {
            String impact = violation.path("impact").asText();
            if (impact.equals("serious") || impact.equals("critical")) {
                serious.add(impact + " " + violation.path("id").asText() + ": " + violation.path("help").asText()
                        + " at " + violation.path("nodes"));
            }
        }
        Assertions.assertTrue(serious.isEmpty(), name + ": axe-core found " + serious);
    }

    private static String source() {
        try (InputStream properties = AxeCore.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/axe-core/pom.properties")) {
            if (properties == null) {
                throw new IllegalStateException("axe-core is not on the test class path (org.webjars.npm:axe-core)");
            }
            Properties p = new Properties();
            p.load(properties);
            try (InputStream in = AxeCore.class.getResourceAsStream("/META-INF/resources/webjars/axe-core/"
                    + p.getProperty("version") + "/axe.min.js")) {
                if (in == null) {
                    throw new IllegalStateException("axe.min.js missing from the axe-core WebJar");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new IllegalStateException("axe-core WebJar unreadable", e);
        }
    }
}
