package nl.aware.web.console;

import io.netty.handler.codec.http.HttpResponseStatus;
import nl.aware.http.SecurityHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's files from the class path: what is served, with which type, and what is not. */
class ConsoleFilesTest {
    private final ConsoleFiles files = new ConsoleFiles(ConsoleSettings.DEFAULTS);

    @Test
    void rootAndConsoleWithoutSlash_redirectToTheConsole() {
        for (String path : new String[] {"/", "/console"}) {
            ConsoleFiles.Answer answer = files.answer(path);
            assertEquals(HttpResponseStatus.SEE_OTHER, answer.status(), path);
            assertEquals("/console/", answer.location(), path);
        }
    }

    @Test
    void consoleRoot_isTheIndexPage_asHtml() {
        ConsoleFiles.Answer answer = files.answer("/console/");
        assertEquals(HttpResponseStatus.OK, answer.status());
        assertEquals("text/html; charset=utf-8", answer.contentType());
        String html = new String(answer.body(), StandardCharsets.UTF_8);
        assertTrue(html.contains("<script type=\"module\" src=\"app.js\"></script>"), html);
    }

    @Test
    void ownScriptsAndStyles_haveTheirTypes() {
        assertEquals("text/javascript; charset=utf-8", files.answer("/console/app.js").contentType());
        assertEquals("text/javascript; charset=utf-8", files.answer("/console/pages/start.js").contentType());
        assertEquals("text/css; charset=utf-8", files.answer("/console/console.css").contentType());
    }

    @Test
    void leafletComesFromItsWebJar() {
        ConsoleFiles.Answer answer = files.answer("/console/webjars/leaflet/1.9.4/dist/leaflet.js");
        assertEquals(HttpResponseStatus.OK, answer.status());
        assertTrue(answer.body().length > 100_000, "the whole library");
    }

    @Test
    void pagesOutsideTheConsoleAndUnlistedWebJars_areNotFound() {
        for (String path : new String[] {"/console/../logback.xml", "/console/pages/../../staff/StaffApiServer.class",
                "/console/webjars/axe-core/4.6.3/axe.min.js", "/console/nl/aware/web/console/ConsoleFiles.class",
                "/console/.hidden.js", "/console/pages//start.js", "/console/missing.js", "/console/ConsoleFiles.class",
                "/console/webjars/leaflet/1.9.4/../../axe-core/4.6.3/axe.min.js"}) {
            assertEquals(HttpResponseStatus.NOT_FOUND, files.answer(path).status(), path);
        }
    }

    @Test
    void settings_nameTheTileSource() {
        String json = new String(files.answer("/console/settings.json").body(), StandardCharsets.UTF_8);
        assertTrue(json.contains("service.pdok.nl/brt/achtergrondkaart"), json);
    }

    @Test
    void contentSecurityPolicy_isStrict_andAllowsOnlyTheTileHostBesidesSelf() {
        String csp = ConsoleSettings.DEFAULTS.securityHeaders().asMap().get(SecurityHeaders.CONTENT_SECURITY_POLICY);
        assertTrue(csp.startsWith("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https://service.pdok.nl;"), csp);
        assertTrue(csp.endsWith("frame-ancestors 'none'"), csp);
        assertFalse(csp.contains("unsafe"), csp);
        String own = new ConsoleSettings("https://tiles.kadera.example:8443/{z}/{x}/{y}.png", "").securityHeaders().asMap()
                .get(SecurityHeaders.CONTENT_SECURITY_POLICY);
        assertTrue(own.contains("img-src 'self' data: https://tiles.kadera.example:8443;"), own);
    }

    @Test
    void tileSetting_mustBeAnHttpsTemplate() {
        assertThrows(IllegalArgumentException.class, () -> new ConsoleSettings("http://tiles.example/{z}/{x}/{y}.png", ""));
        assertThrows(IllegalArgumentException.class, () -> new ConsoleSettings("https://tiles.example/tile.png", ""));
        assertThrows(IllegalArgumentException.class, () -> new ConsoleSettings("https:///{z}/{x}/{y}", ""));
    }

    @Test
    void noConsoleFileHasInlineScriptOrStyle() {
        String html = new String(files.answer("/console/").body(), StandardCharsets.UTF_8);
        assertFalse(html.contains("style="), "no inline style attribute");
        assertFalse(html.contains("<style"), "no style element");
        assertFalse(html.matches("(?s).*<script(?![^>]*\\bsrc=)[^>]*>.*"), "every script has a src");
        for (String script : new String[] {"app.js", "dom.js", "api.js", "map.js", "i18n.js", "session.js", "pages/signin.js",
                "pages/start.js", "pages/carriers.js", "pages/credentials.js", "pages/devices.js", "pages/alerts.js",
                "pages/trail.js", "pages/accounts.js"}) {
            String js = new String(files.answer("/console/" + script).body(), StandardCharsets.UTF_8);
            assertFalse(js.contains("innerHTML"), script + ": text only, never markup");
            assertFalse(js.contains("eval("), script);
        }
    }
}
