package nl.aware.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import nl.aware.monitoring.health.Health;
import nl.aware.monitoring.health.HealthCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsServerTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<MetricsServer> servers = new ArrayList<>();

    @AfterEach
    void close() {
        servers.forEach(MetricsServer::close);
    }

    private MetricsServer start(List<HealthCheck> checks) throws Exception {
        MetricsServer server = MetricsServer.start(InetAddress.getLoopbackAddress(), 0, registry, checks);
        servers.add(server);
        return server;
    }

    private static HealthCheck check(String name, AtomicBoolean up) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Health check() {
                return up.get() ? Health.up("fine") : Health.down("broken");
            }
        };
    }

    @Test
    void scrape_showsCounterAndTimerMovedByTheExactAmounts() throws Exception {
        Counter presses = Counter.builder("aware.test.presses").description("test").tag("region", "twente")
                .register(registry);
        Timer latency = Timer.builder("aware.test.latency").description("test").register(registry);
        MetricsServer server = start(List.of());
        String before = Http.get(server.address(), "/metrics").body();

        presses.increment(3);
        latency.record(Duration.ofMillis(250));
        latency.record(Duration.ofMillis(500));
        String after = Http.get(server.address(), "/metrics").body();

        String counter = "aware_test_presses_total{region=\"twente\"}";
        assertEquals(3.0, Http.value(after, counter) - Http.value(before, counter));
        assertEquals(2.0, Http.value(after, "aware_test_latency_seconds_count")
                - Http.value(before, "aware_test_latency_seconds_count"));
        assertEquals(0.75, Http.value(after, "aware_test_latency_seconds_sum")
                - Http.value(before, "aware_test_latency_seconds_sum"), 1e-9);
    }

    @Test
    void scrape_isPrometheusTextFormat() throws Exception {
        MetricsServer server = start(List.of());

        HttpResponse<String> response = Http.get(server.address(), "/metrics");

        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8",
                response.headers().firstValue("content-type").orElseThrow());
    }

    @Test
    void scrapeAskingForOpenMetrics_getsOpenMetricsEndingInEof() throws Exception {
        Counter.builder("aware.test.presses").description("test").register(registry).increment();
        MetricsServer server = start(List.of());

        HttpResponse<String> response = Http.send(server.address(), HttpRequest.newBuilder(
                Http.uri(server.address(), "/metrics")).header("Accept", "application/openmetrics-text; version=1.0.0"));

        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("application/openmetrics-text"));
        assertTrue(response.body().endsWith("# EOF\n"), response.body());
    }

    @Test
    void liveness_is200WhileTheProcessRuns() throws Exception {
        MetricsServer server = start(List.of(check("event-log", new AtomicBoolean(false))));

        assertEquals(200, Http.get(server.address(), "/health/live").statusCode());
    }

    @Test
    void readiness_is503NamingTheCheckThatIsDown() throws Exception {
        MetricsServer server = start(List.of(check("event-log", new AtomicBoolean(true)),
                check("police-ijsselland", new AtomicBoolean(false))));

        HttpResponse<String> response = Http.get(server.address(), "/health/ready");

        assertEquals(503, response.statusCode());
        assertEquals("{\"status\":\"down\",\"checks\":["
                + "{\"name\":\"event-log\",\"status\":\"up\",\"reason\":\"fine\"},"
                + "{\"name\":\"police-ijsselland\",\"status\":\"down\",\"reason\":\"broken\"}]}", response.body());
    }

    @Test
    void readiness_is200WhenEveryCheckIsUp() throws Exception {
        AtomicBoolean police = new AtomicBoolean(false);
        MetricsServer server = start(List.of(check("police-ijsselland", police)));
        police.set(true);

        HttpResponse<String> response = Http.get(server.address(), "/health/ready");

        assertEquals(200, response.statusCode());
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("content-type").orElseThrow());
        assertTrue(response.body().startsWith("{\"status\":\"up\""), response.body());
    }

    @Test
    void readiness_isDownWhenACheckThrows() throws Exception {
        HealthCheck throwing = new HealthCheck() {
            @Override
            public String name() {
                return "redis";
            }

            @Override
            public Health check() {
                throw new IllegalStateException("boom");
            }
        };
        MetricsServer server = start(List.of(throwing));

        HttpResponse<String> response = Http.get(server.address(), "/health/ready");

        assertEquals(503, response.statusCode());
        assertTrue(response.body().contains("\"reason\":\"check failed: IllegalStateException\""), response.body());
    }

    @Test
    void eachReadinessCheck_isAlsoAGaugeOnTheScrape() throws Exception {
        MetricsServer server = start(List.of(check("event-log", new AtomicBoolean(true)),
                check("police-ijsselland", new AtomicBoolean(false))));

        String scrape = Http.get(server.address(), "/metrics").body();

        assertEquals(1.0, Http.value(scrape, "aware_health_up{check=\"event-log\"}"));
        assertEquals(0.0, Http.value(scrape, "aware_health_up{check=\"police-ijsselland\"}"));
    }

    @Test
    void unknownPath_is404() throws Exception {
        MetricsServer server = start(List.of());

        assertEquals(404, Http.get(server.address(), "/admin").statusCode());
    }

    @Test
    void postToMetrics_is405AllowingGet() throws Exception {
        MetricsServer server = start(List.of());

        HttpResponse<String> response = Http.send(server.address(), HttpRequest.newBuilder(
                Http.uri(server.address(), "/metrics")).POST(HttpRequest.BodyPublishers.ofString("x")));

        assertEquals(405, response.statusCode());
        assertEquals("GET", response.headers().firstValue("allow").orElseThrow());
    }

    @Test
    void serverStartedOnPortZero_reportsItsRealLoopbackAddress() throws Exception {
        MetricsServer server = start(List.of());

        assertTrue(server.address().getPort() > 0);
        assertTrue(server.address().getAddress().isLoopbackAddress());
    }
}
