package nl.aware.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.monitoring.metrics.CertificateExpiryMetrics;
import nl.aware.monitoring.metrics.MeterBinders;
import nl.aware.monitoring.supervision.DeviceSupervisor;
import nl.aware.monitoring.supervision.SupervisionSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A registry holding every meter a running AWARE node exposes: the binders of this module, a real
 * event log's meters, device supervision, certificate expiry, and the gateway's, dispatch's and the staff API's meters
 * registered under their real names and tags (those modules depend on this one's neighbours, not on
 * it, so their names are repeated here; {@code docs/monitoring.md} lists them).
 */
final class OpsRegistry implements AutoCloseable {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MeterBinders binders;
    private final EventLog log;
    private final DeviceSupervisor supervisor;

    OpsRegistry(Path logDirectory) throws IOException {
        binders = MeterBinders.bindTo(registry);
        log = EventLog.open(EventLogOptions.defaults(logDirectory), registry, record -> { });
        log.append(1, new byte[] {1, 2, 3}).join();
        supervisor = new DeviceSupervisor(SupervisionSettings.DEFAULTS, registry);
        CertificateAuthority ca = CertificateAuthority.create("Ops test CA", Duration.ofDays(30));
        CertificateExpiryMetrics.of(Map.of("device-ca", ca.certificate()), Clock.systemUTC()).bindTo(registry);
        gatewayMeters();
        staffMeters();
        dispatchMeters();
        Timer.builder("aware.listen.delivery") // web's ListeningMetrics
                .description("From an AUDIO frame's receipt by the server to its event written for a listening console")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry).record(Duration.ofMillis(4));
    }

    private void gatewayMeters() {
        for (String type : new String[] {"panic", "location", "heartbeat", "status", "test", "cancel"}) {
            for (String result : new String[] {"accepted", "duplicate"}) {
                Counter.builder("aware.gateway.frames").description("Device frames answered with an ACK")
                        .tag("type", type).tag("result", result).register(registry).increment();
            }
            Timer.builder("aware.gateway.ack.latency")
                    .description("From a verified frame to its ACK: counter rules plus durable append")
                    .tag("type", type).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(50_000)).maximumExpectedValue(Duration.ofSeconds(10))
                    .register(registry).record(Duration.ofMillis(3));
        }
        Counter.builder("aware.gateway.rejections").description("Device frames refused with a NACK or a close")
                .tag("reason", "bad_signature").register(registry);
        Counter.builder("aware.gateway.tls.handshake.failures").description("TLS handshakes that failed or timed out")
                .register(registry);
        Counter.builder("aware.gateway.read.pauses")
                .description("Times a connection stopped reading because the log or the socket was behind").register(registry);
        Counter.builder("aware.gateway.connections.closed").tag("cause", "idle")
                .description("Connections closed by the server").register(registry);
        Gauge.builder("aware.gateway.connections", () -> 2).description("Open device connections").register(registry);
    }

    private void staffMeters() {
        for (nl.aware.core.staff.AccessOutcome outcome : nl.aware.core.staff.AccessOutcome.values()) {
            Counter.builder("aware.staff.access").description("Staff API logins and requests, by outcome")
                    .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
        }
        Counter.builder("aware.staff.access.unrecorded")
                .description("Anonymous staff API attempts over the audit budget, counted but not written to the log")
                .register(registry);
    }

    private void dispatchMeters() {
        Gauge.builder("aware.console.operators", () -> 0)
                .description("Operators signed in to the control-room console (a live queue open), by region")
                .tag("region", "twente").register(registry);
        Gauge.builder("aware.dispatch.receivers", () -> 1)
                .description("1 for a region's configured receivers (external, console or both)")
                .tag("region", "twente").tag("receivers", "console").register(registry);
        for (String priority : new String[] {"panic", "alert_update", "test", "notice"}) {
            Gauge.builder("aware.dispatch.queue.depth", () -> 0)
                    .description("Dispatch work waiting, by region and priority")
                    .tag("region", "ijsselland").tag("priority", priority).register(registry);
        }
        Counter.builder("aware.dispatch.attempts").description("Delivery attempts by route and outcome")
                .tag("target", "ijsselland/primary").tag("outcome", "delivered").register(registry).increment();
        Counter.builder("aware.dispatch.attempts").description("Delivery attempts by route and outcome")
                .tag("target", "ijsselland/primary").tag("outcome", "failed").register(registry);
        Counter.builder("aware.dispatch.escalations")
                .description("Alerts escalated because the police had not accepted them in time")
                .tag("region", "ijsselland").register(registry);
        Counter.builder("aware.dispatch.refused").description("PANIC work a police receiver refused as invalid (4xx)")
                .tag("region", "ijsselland").register(registry);
        Counter.builder("aware.dispatch.shed").description("Low-priority dispatch work dropped under overload or refusal")
                .tag("priority", "test").register(registry);
        Timer.builder("aware.dispatch.police.accepted.latency")
                .description("From receiving a PANIC to the police accepting its alert")
                .tag("region", "ijsselland").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry).record(Duration.ofMillis(800));
    }

    @Override
    public void close() {
        supervisor.close();
        log.close();
        binders.close();
    }
}
