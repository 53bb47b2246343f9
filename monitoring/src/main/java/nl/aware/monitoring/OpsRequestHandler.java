package nl.aware.monitoring;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import nl.aware.monitoring.health.Readiness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Routes the three operations paths. Runs on the metrics server's worker thread (not an event loop):
 * scraping calls every gauge and readiness calls every check, either of which may take a moment.
 */
@ChannelHandler.Sharable
final class OpsRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(OpsRequestHandler.class);

    static final String METRICS = "/metrics";
    static final String LIVE = "/health/live";
    static final String READY = "/health/ready";

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String JSON = "application/json; charset=utf-8";
    private static final String PLAIN = "text/plain; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final Readiness readiness;

    OpsRequestHandler(PrometheusMeterRegistry registry, Readiness readiness) {
        this.registry = registry;
        this.readiness = readiness;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            respond(ctx, request, text(HttpResponseStatus.BAD_REQUEST, "bad request\n"), false);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        boolean known = path.equals(METRICS) || path.equals(LIVE) || path.equals(READY);
        if (!known) {
            respond(ctx, request, text(HttpResponseStatus.NOT_FOUND, "not found\n"), true);
            return;
        }
        if (!request.method().equals(HttpMethod.GET)) {
            FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET\n");
            response.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name());
            respond(ctx, request, response, true);
            return;
        }
        FullHttpResponse response = switch (path) {
            case METRICS -> scrape(ctx, request);
            case LIVE -> text(HttpResponseStatus.OK, "live\n");
            default -> ready();
        };
        respond(ctx, request, response, true);
    }

    private FullHttpResponse scrape(ChannelHandlerContext ctx, FullHttpRequest request) {
        String accept = request.headers().get(HttpHeaderNames.ACCEPT, "");
        String contentType = accept.contains("application/openmetrics-text") ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
        ByteBuf body = ctx.alloc().buffer(16 * 1024);
        try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
            registry.scrape(out, contentType);
        } catch (IOException | RuntimeException e) {
            body.release();
            log.error("metrics scrape failed", e);
            return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "scrape failed\n");
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return response;
    }

    private FullHttpResponse ready() {
        List<Readiness.Result> results = readiness.run();
        HttpResponseStatus status = Readiness.allUp(results) ? HttpResponseStatus.OK
                : HttpResponseStatus.SERVICE_UNAVAILABLE;
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        response.content().writeCharSequence(Readiness.json(results), StandardCharsets.UTF_8);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON);
        return response;
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        response.content().writeCharSequence(body, StandardCharsets.UTF_8);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, PLAIN);
        return response;
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response,
                                boolean mayKeepAlive) {
        boolean keepAlive = mayKeepAlive && HttpUtil.isKeepAlive(request);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("metrics connection from {} closed after an error", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
