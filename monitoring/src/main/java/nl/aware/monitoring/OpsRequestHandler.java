package nl.aware.monitoring;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import nl.aware.http.HttpAnswer;
import nl.aware.http.HttpExchange;
import nl.aware.http.HttpService;
import nl.aware.monitoring.health.Readiness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Routes the three operations paths. Runs on the metrics server's worker thread (not an event loop):
 * scraping calls every gauge and readiness calls every check, either of which may take a moment.
 */
final class OpsRequestHandler implements HttpService {
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
    public void serve(HttpExchange exchange) {
        String path = exchange.path();
        if (!path.equals(METRICS) && !path.equals(LIVE) && !path.equals(READY)) {
            exchange.respond(text(HttpResponseStatus.NOT_FOUND, "not found\n"));
            return;
        }
        if (!exchange.method().equals(HttpMethod.GET)) {
            exchange.respond(text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET\n")
                    .withHeader(HttpHeaderNames.ALLOW.toString(), HttpMethod.GET.name()));
            return;
        }
        exchange.respond(switch (path) {
            case METRICS -> scrape(exchange.headers().get(HttpHeaderNames.ACCEPT, ""));
            case LIVE -> text(HttpResponseStatus.OK, "live\n");
            default -> ready();
        });
    }

    private HttpAnswer scrape(String accept) {
        String contentType = accept.contains("application/openmetrics-text") ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        try {
            registry.scrape(body, contentType);
        } catch (IOException | RuntimeException e) {
            log.error("metrics scrape failed", e);
            return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "scrape failed\n");
        }
        return HttpAnswer.bytes(HttpResponseStatus.OK, contentType, body.toByteArray());
    }

    private HttpAnswer ready() {
        List<Readiness.Result> results = readiness.run();
        HttpResponseStatus status = Readiness.allUp(results) ? HttpResponseStatus.OK
                : HttpResponseStatus.SERVICE_UNAVAILABLE;
        return HttpAnswer.text(status, JSON, Readiness.json(results));
    }

    private static HttpAnswer text(HttpResponseStatus status, String body) {
        return HttpAnswer.text(status, PLAIN, body);
    }
}
