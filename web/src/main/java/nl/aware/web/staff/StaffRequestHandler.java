package nl.aware.web.staff;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import nl.aware.core.concurrent.Futures;
import nl.aware.core.staff.AccessOutcome;
import nl.aware.http.HttpExchange;
import nl.aware.http.HttpService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Every staff request passes here: find the route, check its path ids ({@link StaffIds}), authenticate
 * the bearer token, check the route's permission against the session's role, record the access when the
 * route says so, run the route. Denials leave through {@link #deny} only: it writes the audit record,
 * counts it, and answers 401 or 403. Runs on the staff API's worker threads (the toolkit's
 * {@link nl.aware.http.ServiceHandler} calls it there), never the event loop.
 */
final class StaffRequestHandler implements HttpService {
    private static final Logger log = LoggerFactory.getLogger(StaffRequestHandler.class);
    private static final String BEARER = "Bearer ";

    /** Why a request was refused before its route ran. */
    enum Denial {
        /** No token, or not a live one: 401, log in (again). */
        NO_SESSION(HttpResponseStatus.UNAUTHORIZED, AccessOutcome.UNAUTHENTICATED, "no valid session: log in"),
        /** The role does not grant the route's permission: 403. */
        WRONG_ROLE(HttpResponseStatus.FORBIDDEN, AccessOutcome.FORBIDDEN, "your role may not do this");

        final HttpResponseStatus status;
        final AccessOutcome outcome;
        final String message;

        Denial(HttpResponseStatus status, AccessOutcome outcome, String message) {
            this.status = status;
            this.outcome = outcome;
            this.message = message;
        }
    }

    private final RouteTable routes;
    private final StaffSessions sessions;
    private final StaffAudit audit;

    StaffRequestHandler(RouteTable routes, StaffSessions sessions, StaffAudit audit) {
        this.routes = routes;
        this.sessions = sessions;
        this.audit = audit;
    }

    @Override
    public void serve(HttpExchange exchange) {
        String source = exchange.client();
        RouteTable.Lookup lookup = routes.find(exchange.method(), exchange.path());
        if (lookup instanceof RouteTable.Lookup.NotFound) {
            respond(exchange, StaffResponse.error(HttpResponseStatus.NOT_FOUND, "no such resource"));
            return;
        }
        if (lookup instanceof RouteTable.Lookup.WrongMethod wrong) {
            StaffResponse response = StaffResponse.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use "
                    + wrong.allowed().stream().map(Object::toString).collect(Collectors.joining(" or ")));
            respond(exchange, response);
            return;
        }
        RouteTable.Match match = ((RouteTable.Lookup.Found) lookup).match();
        Route route = match.route();
        Map<String, String> ids;
        try {
            ids = StaffIds.canonical(match.parameters());
        } catch (StaffApiException e) {
            respond(exchange, StaffResponse.error(e.status(), e.getMessage())); // nothing typed reaches the trail
            return;
        }
        StaffSessions.Session session = null;
        String bearer = bearerToken(exchange);
        String token = bearer != null ? bearer : cookieToken(exchange);
        if (!acceptableBody(exchange, route, bearer == null && token != null)) {
            respond(exchange, StaffResponse.error(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "send the body as Content-Type: application/json"));
            return;
        }
        if (route.permission() != null) {
            Optional<StaffSessions.Session> live = sessions.use(token);
            if (live.isEmpty()) {
                // Nobody known: the trail keeps the canonical ids of the path, never the query as typed.
                deny(exchange, Denial.NO_SESSION, "", source, route, StaffSubject.of(ids, Map.of()));
                return;
            }
            session = live.get();
            if (!session.role().grants(route.permission())) {
                deny(exchange, Denial.WRONG_ROLE, session.username(), source, route,
                        StaffSubject.of(ids, exchange.query().parameters()));
                return;
            }
        }
        String subject = StaffSubject.of(ids, exchange.query().parameters());
        StaffRequest staffRequest = new StaffRequest(session, ids, withLastEventId(exchange), exchange.body(),
                source);
        CompletableFuture<?> recorded = route.audit() == Route.Audit.RECORDED
                ? audit.record(session.username(), source, route.action(), subject, AccessOutcome.ALLOWED)
                : CompletableFuture.completedFuture(null);
        recorded.handleAsync((ignored, failure) -> {
            if (failure != null) {
                log.error("staff {} by {} not served: the access could not be recorded: {}", route.action(),
                        staffRequest.username(), failure.toString());
                return CompletableFuture.completedFuture(StaffResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "not served: the access could not be recorded in the audit trail; retry"));
            }
            return run(route, staffRequest);
        }, exchange.executor()).thenCompose(f -> f).whenComplete((response, failure) ->
                respond(exchange, failure == null ? response : failed(route, failure)));
    }

    /**
     * A reconnecting EventSource says where it stopped in the {@code Last-Event-ID} header: the same as the
     * query's {@code after}, which wins when both are given.
     */
    private static Map<String, java.util.List<String>> withLastEventId(HttpExchange exchange) {
        Map<String, java.util.List<String>> parameters = exchange.query().parameters();
        String lastEventId = exchange.headers().get("Last-Event-ID");
        if (lastEventId == null || parameters.containsKey("after")) {
            return parameters;
        }
        Map<String, java.util.List<String>> query = new java.util.LinkedHashMap<>(parameters);
        query.put("after", java.util.List.of(lastEventId.trim()));
        return query;
    }

    private static CompletableFuture<StaffResponse> run(Route route, StaffRequest request) {
        try {
            return route.handler().handle(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The one way out for refused requests: audited, counted, answered. */
    private void deny(HttpExchange exchange, Denial denial, String username, String source, Route route,
                      String subject) {
        log.info("staff {} refused ({}) for {} from {}", route.action(), denial, username.isEmpty() ? "-" : username,
                source);
        StaffResponse response = StaffResponse.error(denial.status, denial.message);
        audit.record(username, source, route.action(), subject, denial.outcome).whenComplete((ignored, failure) -> {
            if (failure != null) {
                log.error("refused staff {} not recorded in the audit trail: {}", route.action(),
                        Futures.cause(failure).toString());
            }
            respond(exchange, response);
        });
    }

    /** A route's refusal keeps its own fixed sentence; anything else is a 500 whose details stay in the server log. */
    private static StaffResponse failed(Route route, Throwable failure) {
        Throwable cause = Futures.cause(failure);
        if (cause instanceof StaffApiException api) {
            return StaffResponse.error(api.status(), api.getMessage());
        }
        log.error("staff {} failed", route.action(), cause);
        return StaffResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error (details in the server log)");
    }

    /**
     * Only JSON acts: the login routes always, and with the session cookie every request that changes
     * something (a body, or any media type that an HTML form can send). Another website can make a browser
     * post a form but not JSON, so a form can neither lock staff out by failed logins nor act in a session.
     */
    private static boolean acceptableBody(HttpExchange exchange, Route route, boolean cookieSession) {
        boolean reads = exchange.method().equals(io.netty.handler.codec.http.HttpMethod.GET)
                || exchange.method().equals(io.netty.handler.codec.http.HttpMethod.HEAD);
        // A read carries no body to judge (a browser's GET of a page sends no Content-Type); a bearer
        // request cannot be forged by another origin's form.
        if (reads || (route.permission() != null && !cookieSession)) {
            return true;
        }
        String type = exchange.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null) {
            return route.permission() != null && exchange.body().length == 0;
        }
        String media = type.split(";", 2)[0].trim();
        return media.equalsIgnoreCase(StaffResponse.APPLICATION_JSON);
    }

    /** The session cookie the browser console uses ({@code aware_session}); null when absent. */
    private static String cookieToken(HttpExchange exchange) {
        String header = exchange.headers().get(HttpHeaderNames.COOKIE);
        if (header == null) {
            return null;
        }
        for (io.netty.handler.codec.http.cookie.Cookie cookie
                : io.netty.handler.codec.http.cookie.ServerCookieDecoder.STRICT.decodeAll(header)) {
            if (cookie.name().equals(SessionRoutes.COOKIE) && !cookie.value().isEmpty()) {
                return cookie.value();
            }
        }
        return null;
    }

    private static String bearerToken(HttpExchange exchange) {
        String header = exchange.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return header.substring(BEARER.length()).trim();
    }

    private static void respond(HttpExchange exchange, StaffResponse response) {
        if (response.stream() != null) {
            // A streaming answer takes the connection over (the control room's live queue).
            response.stream().open(exchange.openEventStream());
            return;
        }
        exchange.respond(response.toAnswer());
    }
}
