package nl.aware.web.staff;

import io.netty.handler.codec.http.HttpMethod;
import nl.aware.core.staff.Permission;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One line of the route table: method and path pattern ({@code {name}} matches one segment), the
 * action name the access trail records, the permission needed ({@code null}: public, only login),
 * and whether every allowed call is itself recorded before it is served ({@link Audit#RECORDED}: reads of
 * personal data, exports, logout, the trail).
 */
public record Route(HttpMethod method, String pattern, String action, Permission permission, Audit audit,
                    Handler handler) {

    /** Whether an allowed call is written to the access trail before it runs. Denials always are. */
    public enum Audit { RECORDED, NOT_RECORDED }

    /** Runs on a staff API worker thread, never an event loop; may block briefly (e.g. hashing). */
    @FunctionalInterface
    public interface Handler {
        CompletableFuture<StaffResponse> handle(StaffRequest request);
    }

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(handler, "handler");
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("route pattern must start with '/': " + pattern);
        }
    }

    /** The only kind of public route: authentication itself. */
    public static Route open(HttpMethod method, String pattern, String action, Handler handler) {
        return new Route(method, pattern, action, null, Audit.NOT_RECORDED, handler);
    }

    public static Route of(HttpMethod method, String pattern, String action, Permission permission, Audit audit,
                           Handler handler) {
        return new Route(method, pattern, action, Objects.requireNonNull(permission, "permission"), audit, handler);
    }

    List<String> segments() {
        return List.of(pattern.substring(1).split("/", -1));
    }

    /** The path parameters when {@code path} fits this pattern, else null. */
    Map<String, String> match(List<String> pathSegments) {
        List<String> mine = segments();
        if (mine.size() != pathSegments.size()) {
            return null;
        }
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        for (int i = 0; i < mine.size(); i++) {
            String want = mine.get(i);
            String got = pathSegments.get(i);
            if (want.startsWith("{") && want.endsWith("}")) {
                if (got.isEmpty()) {
                    return null;
                }
                parameters.put(want.substring(1, want.length() - 1), got);
            } else if (!want.equals(got)) {
                return null;
            }
        }
        return parameters;
    }
}
