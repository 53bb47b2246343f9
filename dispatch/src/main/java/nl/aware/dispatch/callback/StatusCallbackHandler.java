package nl.aware.dispatch.callback;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
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
import io.netty.handler.ssl.SslHandler;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.dispatch.lifecycle.LifecycleGate;
import nl.aware.dispatch.police.PoliceMessages;
import nl.aware.dispatch.work.DispatchProjection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /police/v1/alerts/{alertId}/status} with {@code {"status": ..., "incidentRef": ...}}.
 * Answers 204 only once the report is durable in the log (late acknowledgement, as for devices).
 * Only the control room named for the alert's region may report on it. Event loop only.
 */
final class StatusCallbackHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(StatusCallbackHandler.class);

    private final Map<Region, String> reporters;
    private final DispatchProjection projection;
    private final LifecycleGate gate;

    StatusCallbackHandler(Map<Region, String> reporters, DispatchProjection projection, LifecycleGate gate) {
        this.reporters = reporters;
        this.projection = projection;
        this.gate = gate;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String path = request.uri();
        if (!path.startsWith(CallbackServer.PATH_PREFIX) || !path.endsWith("/status")) {
            respond(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "no such resource");
            return;
        }
        if (!HttpMethod.POST.equals(request.method())) {
            respond(ctx, keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST");
            return;
        }
        UUID alertId;
        AlertStatus status;
        String incidentRef;
        try {
            alertId = UUID.fromString(path.substring(CallbackServer.PATH_PREFIX.length(), path.length() - "/status".length()));
            JsonNode body = PoliceMessages.json().readTree(new ByteBufInputStream(request.content()));
            if (body == null || !body.path("status").isTextual()) {
                throw new IllegalArgumentException("body must be JSON with a \"status\" string");
            }
            status = AlertStatus.parse(body.get("status").asText());
            if (status == AlertStatus.VERIFIED) {
                throw new IllegalArgumentException("verified is recorded in the control-room console, not reported here");
            }
            incidentRef = body.path("incidentRef").asText("");
            if (incidentRef.length() > 128) {
                throw new IllegalArgumentException("incidentRef longer than 128 characters");
            }
        } catch (IllegalArgumentException | java.io.IOException e) {
            respond(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, e.getMessage() == null ? "unreadable body" : e.getMessage());
            return;
        }
        Optional<DispatchProjection.AlertView> alert = projection.alert(alertId);
        if (alert.isEmpty()) {
            respond(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "unknown alert " + alertId);
            return;
        }
        String reporter = reporterName(ctx);
        if (!reporter.equals(reporters.get(alert.get().region()))) {
            log.warn("status report on alert {} refused: client '{}' does not serve region {}", alertId, reporter,
                    alert.get().region().label());
            respond(ctx, keepAlive, HttpResponseStatus.FORBIDDEN, "this client does not serve the alert's region");
            return;
        }
        gate.report(new Event.AlertStatusReported(alertId, status, incidentRef, reporter))
                .whenCompleteAsync((outcome, failure) -> {
                    if (outcome instanceof LifecycleGate.Outcome.Recorded) {
                        log.info("alert {} {} (reported by {})", alertId, status.label(), reporter);
                        respond(ctx, keepAlive, HttpResponseStatus.NO_CONTENT, null);
                    } else if (outcome instanceof LifecycleGate.Outcome.Already) {
                        respond(ctx, keepAlive, HttpResponseStatus.NO_CONTENT, null); // a repeated report changes nothing
                    } else if (outcome instanceof LifecycleGate.Outcome.Refused refused) {
                        respond(ctx, keepAlive, HttpResponseStatus.CONFLICT, refused.reason(), refused.current());
                    } else if (outcome instanceof LifecycleGate.Outcome.UnknownAlert) {
                        respond(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "unknown alert " + alertId);
                    } else {
                        log.error("status report on alert {} not recorded: {}", alertId,
                                failure != null ? failure.toString() : String.valueOf(outcome));
                        respond(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, "not recorded, retry");
                    }
                }, ctx.executor());
    }

    private static String reporterName(ChannelHandlerContext ctx) throws SSLPeerUnverifiedException, InvalidNameException {
        X509Certificate certificate = (X509Certificate) ctx.pipeline().get(SslHandler.class).engine().getSession()
                .getPeerCertificates()[0];
        for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
            if ("CN".equalsIgnoreCase(rdn.getType())) {
                return rdn.getValue().toString();
            }
        }
        return "";
    }

    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String error) {
        respond(ctx, keepAlive, status, error, null);
    }

    /** {@code current}: the alert's state, named in a 409 so the control room can resynchronise. */
    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String error,
                                AlertStatus current) {
        FullHttpResponse response;
        if (error == null) {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        } else {
            var node = PoliceMessages.json().createObjectNode().put("error", error);
            if (current != null) {
                node.put("currentStatus", current.label());
            }
            byte[] body = node.toString().getBytes(StandardCharsets.UTF_8);
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
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
        log.debug("callback connection closed: {}", cause.toString());
        ctx.close();
    }
}
