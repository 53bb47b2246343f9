package nl.aware.web.staff;

import io.netty.handler.codec.http.HttpMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The staff API's routes. Which route needs which permission is written here and nowhere else
 * ({@link StaffRoutes#table} builds it); {@link StaffRequestHandler} enforces it for every request.
 */
public final class RouteTable {

    /** A request's route and its path parameters. */
    public record Match(Route route, Map<String, String> parameters) {
    }

    /** What a lookup found: a match, a path with other methods, or nothing. */
    public sealed interface Lookup {
        record Found(Match match) implements Lookup {
        }

        record WrongMethod(List<HttpMethod> allowed) implements Lookup {
        }

        record NotFound() implements Lookup {
        }
    }

    private final List<Route> routes;

    private RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Route> routes() {
        return routes;
    }

    public Lookup find(HttpMethod method, String path) {
        List<String> segments = List.of(path.substring(1).split("/", -1));
        List<HttpMethod> others = new ArrayList<>();
        for (Route route : routes) {
            Map<String, String> parameters = route.match(segments);
            if (parameters == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Lookup.Found(new Match(route, parameters));
            }
            others.add(route.method());
        }
        return others.isEmpty() ? new Lookup.NotFound() : new Lookup.WrongMethod(others);
    }

    /** Collects routes; refuses two routes for the same method and pattern. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        public Builder add(Route route) {
            for (Route existing : routes) {
                if (existing.method().equals(route.method()) && existing.segments().equals(route.segments())) {
                    throw new IllegalArgumentException("two routes for " + route.method() + " " + route.pattern());
                }
            }
            routes.add(route);
            return this;
        }

        public RouteTable build() {
            return new RouteTable(routes);
        }
    }
}
