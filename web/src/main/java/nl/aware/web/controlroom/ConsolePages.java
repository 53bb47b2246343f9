package nl.aware.web.controlroom;

import nl.aware.web.staff.Route;
import nl.aware.web.staff.StaffApiException;
import nl.aware.web.staff.StaffRequest;
import nl.aware.web.staff.StaffResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.netty.handler.codec.http.HttpMethod.GET;

/**
 * The console's static files under {@code /control/}, from this package's resources: a fixed list, read once,
 * nothing else served (no path is ever joined from what a client typed). Public, like the sign-in form they
 * show; everything they fetch needs a session.
 */
final class ConsolePages {
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "sse.js", "text/javascript; charset=utf-8",
            "listen.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8",
            "favicon.svg", "image/svg+xml",
            "favicon-alarm.svg", "image/svg+xml");

    private final Map<String, byte[]> bodies = new java.util.HashMap<>();

    ConsolePages() {
        for (String name : FILES.keySet()) {
            try (InputStream in = ConsolePages.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("console file " + name + " missing from the build");
                }
                bodies.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("console file " + name + " unreadable", e);
            }
        }
    }

    List<Route> routes() {
        return List.of(
                Route.open(GET, "/control/", "control.page", request -> file("index.html")),
                Route.open(GET, "/control/{file}", "control.page", this::named));
    }

    private CompletableFuture<StaffResponse> named(StaffRequest request) {
        String name = request.path("file");
        if (!FILES.containsKey(name)) {
            throw StaffApiException.notFound("no such page");
        }
        return file(name);
    }

    private CompletableFuture<StaffResponse> file(String name) {
        return CompletableFuture.completedFuture(StaffResponse.bytes(FILES.get(name), bodies.get(name)));
    }
}
