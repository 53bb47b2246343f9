package nl.aware.web.console;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The staff console's files: our own pages, scripts and styles from {@code nl/aware/web/console/} on the
 * class path, and the front-end libraries we allow from their WebJars. Nothing else on the class path
 * can be reached: a path is checked against a strict pattern, and a WebJar must be on the list.
 * Files are read once and kept (a few hundred KiB), so serving never touches the disk again.
 */
public final class ConsoleFiles {
    /** Where the console lives on the staff API's origin. */
    public static final String ROOT = "/console/";
    private static final String OWN = "nl/aware/web/console/";
    private static final String WEBJARS = "webjars/";
    /** WebJars the console may load; axe-core is only injected by the browser tests. */
    private static final Map<String, String> ALLOWED_WEBJARS = Map.of("leaflet/1.9.4/", "META-INF/resources/webjars/leaflet/1.9.4/");
    /** Letters, digits, dot, dash, underscore and slashes between names: no "..", no empty segment. */
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "json", "application/json",
            "ico", "image/x-icon");

    /** A file to send, or a reason it is not one. */
    public record Answer(HttpResponseStatus status, String contentType, byte[] body, String location) {
        static Answer file(String type, byte[] body) {
            return new Answer(HttpResponseStatus.OK, type, body, null);
        }

        static Answer redirect(String to) {
            return new Answer(HttpResponseStatus.SEE_OTHER, null, new byte[0], to);
        }

        static Answer notFound() {
            return new Answer(HttpResponseStatus.NOT_FOUND, TYPES.get("json"),
                    "{\"error\":\"no such console page\"}".getBytes(StandardCharsets.UTF_8), null);
        }
    }

    private final ClassLoader loader;
    private final ConsoleSettings settings;
    private final byte[] settingsJson;
    private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

    public ConsoleFiles(ConsoleSettings settings) {
        this(settings, ConsoleFiles.class.getClassLoader());
    }

    ConsoleFiles(ConsoleSettings settings, ClassLoader loader) {
        this.settings = settings;
        this.loader = loader;
        this.settingsJson = settings.json().getBytes(StandardCharsets.UTF_8);
    }

    /** True for the paths this class answers: {@code /}, {@code /console} and everything below it. */
    public static boolean handles(String path) {
        return path.equals("/") || path.equals("/console") || path.startsWith(ROOT);
    }

    /** What to answer for a GET of {@code path} (already known to be one {@link #handles} accepts). */
    public Answer answer(String path) {
        if (path.equals("/") || path.equals("/console")) {
            return Answer.redirect(ROOT);
        }
        String rest = path.substring(ROOT.length());
        if (rest.isEmpty()) {
            rest = "index.html";
        }
        if (rest.equals("settings.json")) {
            return Answer.file(TYPES.get("json"), settingsJson);
        }
        if (!SAFE_PATH.matcher(rest).matches()) {
            return Answer.notFound();
        }
        String type = TYPES.get(extension(rest));
        if (type == null) {
            return Answer.notFound();
        }
        String resource = resource(rest);
        if (resource == null) {
            return Answer.notFound();
        }
        return cache.computeIfAbsent(resource, this::read).map(body -> Answer.file(type, body)).orElseGet(Answer::notFound);
    }

    private static String resource(String rest) {
        if (!rest.startsWith(WEBJARS)) {
            return OWN + rest;
        }
        String inJar = rest.substring(WEBJARS.length());
        for (Map.Entry<String, String> allowed : ALLOWED_WEBJARS.entrySet()) {
            if (inJar.startsWith(allowed.getKey())) {
                return allowed.getValue() + inJar.substring(allowed.getKey().length());
            }
        }
        return null;
    }

    private Optional<byte[]> read(String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("console file unreadable: " + resource, e);
        }
    }

    private static String extension(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** The origin (scheme, host, port) of a URL template, for the CSP. */
    static String origin(String url) {
        URI uri = URI.create(url.replace("{z}", "0").replace("{x}", "0").replace("{y}", "0"));
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
