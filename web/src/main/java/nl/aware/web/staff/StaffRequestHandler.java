package nl.aware.web.staff;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import nl.aware.core.staff.AccessOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * Every staff request passes here: find the route, authenticate the bearer token, check the route's
 * permission against the session's role, record the access when the route says so, run the route.
 * Denials leave through {@link #deny} only: it writes the audit record, counts it, and answers 401 or
 * 403. Runs on the staff API's worker threads (added with an executor group), never the event loop.
 */
@ChannelHandler.Sharable
final class StaffRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
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
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String source = source(ctx.channel().remoteAddress());
        RouteTable.Lookup lookup = routes.find(request.method(), uri.path());
        if (lookup instanceof RouteTable.Lookup.NotFound) {
            respond(ctx, keepAlive, StaffResponse.error(HttpResponseStatus.NOT_FOUND, "no such resource: " + uri.path()));
            return;
        }
        if (lookup instanceof RouteTable.Lookup.WrongMethod wrong) {
            StaffResponse response = StaffResponse.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use "
                    + wrong.allowed().stream().map(Object::toString).collect(Collectors.joining(" or ")));
            respond(ctx, keepAlive, response);
            return;
        }
        RouteTable.Match match = ((RouteTable.Lookup.Found) lookup).match();
        Route route = match.route();
        String subject = subject(match.parameters(), uri);
        StaffSessions.Session session = null;
        if (route.permission() != null) {
            Optional<StaffSessions.Session> live = sessions.use(bearerToken(request));
            if (live.isEmpty()) {
                deny(ctx, keepAlive, Denial.NO_SESSION, "", source, route, subject);
                return;
            }
            session = live.get();
            if (!session.role().grants(route.permission())) {
                deny(ctx, keepAlive, Denial.WRONG_ROLE, session.username(), source, route, subject);
                return;
            }
        }
        StaffRequest staffRequest = new StaffRequest(session, match.parameters(), withLastEventId(uri, request),
                ByteBufUtil.getBytes(request.content()), source);
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
        }, ctx.executor()).thenCompose(f -> f).whenComplete((response, failure) ->
                respond(ctx, keepAlive, failure == null ? response : failed(route, failure)));
    }

    /**
     * A reconnecting EventSource says where it stopped in the {@code Last-Event-ID} header: the same as the
     * query's {@code after}, which wins when both are given.
     */
    private static Map<String, java.util.List<String>> withLastEventId(QueryStringDecoder uri, FullHttpRequest request) {
        String lastEventId = request.headers().get("Last-Event-ID");
        if (lastEventId == null || uri.parameters().containsKey("after")) {
            return uri.parameters();
        }
        Map<String, java.util.List<String>> query = new java.util.LinkedHashMap<>(uri.parameters());
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
    private void deny(ChannelHandlerContext ctx, boolean keepAlive, Denial denial, String username, String source,
                      Route route, String subject) {
        log.info("staff {} refused ({}) for {} from {}", route.action(), denial, username.isEmpty() ? "-" : username,
                source);
        StaffResponse response = StaffResponse.error(denial.status, denial.message);
        audit.record(username, source, route.action(), subject, denial.outcome).whenComplete((ignored, failure) -> {
            if (failure != null) {
                log.error("refused staff {} not recorded in the audit trail: {}", route.action(), failure.toString());
            }
            respond(ctx, keepAlive, response);
        });
    }

    private static StaffResponse failed(Route route, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof StaffApiException api) {
            return StaffResponse.error(api.status(), api.getMessage());
        }
        log.error("staff {} failed", route.action(), cause);
        return StaffResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error (details in the server log)");
    }

    /** Path parameters name the subject; a route without any is about its query (filters), if any. */
    private static String subject(Map<String, String> parameters, QueryStringDecoder uri) {
        if (!parameters.isEmpty()) {
            return String.join("/", parameters.values());
        }
        String raw = uri.rawQuery();
        return raw == null ? "" : raw;
    }

    private static String bearerToken(FullHttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return header.substring(BEARER.length()).trim();
    }

    private static String source(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(address);
    }

    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, StaffResponse staffResponse) {
        if (staffResponse.stream() != null) {
            // Transport hook: a streaming answer takes the connection over (EventStreamChannel).
            ctx.executor().execute(() -> staffResponse.stream().open(EventStreamChannel.start(ctx)));
            return;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, staffResponse.status(),
                Unpooled.wrappedBuffer(staffResponse.body()));
        if (staffResponse.contentType() != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, staffResponse.contentType());
        }
        if (staffResponse.status().equals(HttpResponseStatus.UNAUTHORIZED)) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"aware-staff\"");
        }
        // Personal data must not linger in caches; a browser console must not sniff types.
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        response.headers().set("X-Content-Type-Options", "nosniff");
        if (staffResponse.contentType() != null && staffResponse.contentType().startsWith("text/html")) {
            // A page: scripts and styles from this origin only, never framed, no referrer leaving it.
            response.headers().set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                    + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
            response.headers().set("Referrer-Policy", "no-referrer");
            response.headers().set("Strict-Transport-Security", "max-age=31536000");
        }
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("staff API connection closed: {}", cause.toString());
        ctx.close();
    }
}
