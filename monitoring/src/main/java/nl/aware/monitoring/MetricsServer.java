package nl.aware.monitoring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import nl.aware.http.HttpServer;
import nl.aware.http.HttpServerSettings;
import nl.aware.monitoring.health.HealthCheck;
import nl.aware.monitoring.health.Readiness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * The operations HTTP endpoint: {@code GET /metrics} (Prometheus text exposition), {@code GET
 * /health/live} and {@code GET /health/ready}. Plain HTTP/1.1 on its own port, loopback by default: it
 * carries no personal data (bounded labels only), and is meant for a Prometheus on the same host or a
 * private management network, never the device-facing interface. Served by the toolkit
 * ({@link HttpServer}: connection cap, request deadline, one way to answer).
 *
 * <p>Threads: one event loop accepts and parses; the handler (scrape, health checks) runs on one
 * separate worker thread, so a slow gauge or probe never stalls the event loop.
 */
public final class MetricsServer implements AutoCloseable {
    /** 1 while a readiness check is up, 0 while down; tag {@code check} is the check's name. */
    public static final String HEALTH_UP = "aware.health.up";

    /** Our requests have no body. */
    static final int MAX_REQUEST_BODY = 1024;
    /** A scraper or two and a probe: a small cap keeps a flood on this port from costing the server much. */
    static final int MAX_CONNECTIONS = 32;

    private final HttpServer http;

    private MetricsServer(HttpServer http) {
        this.http = http;
    }

    /**
     * Binds and starts serving.
     *
     * @param bindAddress where to listen: loopback unless a private management network scrapes it
     * @param port        TCP port, 0 for any free port (see {@link #address()})
     * @param registry    the registry every module registers its meters on
     * @param checks      readiness conditions; ready when all are up (and when there are none). Each is
     *                    also exposed as gauge {@value #HEALTH_UP}{check=name} on the registry
     * @throws IOException when the address cannot be bound
     */
    public static MetricsServer start(InetAddress bindAddress, int port, PrometheusMeterRegistry registry,
                                      List<HealthCheck> checks) throws IOException {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(registry, "registry");
        Readiness readiness = new Readiness(checks);
        for (HealthCheck check : readiness.checks()) {
            Gauge.builder(HEALTH_UP, check, c -> Readiness.run(c).up() ? 1 : 0)
                    .description("Readiness check state: 1 up, 0 down (see GET /health/ready for the reason)")
                    .tag("check", check.name()).register(registry);
        }
        HttpServerSettings settings = HttpServerSettings.of("metrics and health endpoint", bindAddress, port, null)
                .withMaxConnections(MAX_CONNECTIONS).withMaxBodyBytes(MAX_REQUEST_BODY);
        return new MetricsServer(HttpServer.start(settings, workers -> new OpsRequestHandler(registry, readiness))
                .meteredIn(registry, "operations"));
    }

    /** The bound address (with the real port when started with port 0). */
    public InetSocketAddress address() {
        return http.address();
    }

    @Override
    public void close() {
        http.close();
    }
}
