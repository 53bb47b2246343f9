package nl.aware.gateway.netty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.NackReason;
import nl.aware.core.state.DeviceRegistry;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The gateway's meters, names in one place. Tags are bounded enums (frame type, result, reason):
 * never a device id, a carrier or a location.
 */
public final class GatewayMetrics {
    public static final String FRAMES = "aware.gateway.frames";
    public static final String REJECTIONS = "aware.gateway.rejections";
    public static final String HANDSHAKE_FAILURES = "aware.gateway.tls.handshake.failures";
    public static final String CONNECTIONS = "aware.gateway.connections";
    public static final String ACK_LATENCY = "aware.gateway.ack.latency";
    public static final String READ_PAUSES = "aware.gateway.read.pauses";
    public static final String CLOSED = "aware.gateway.connections.closed";
    public static final String DEAD_CERTIFICATES = "aware.gateway.tls.dead.certificates";
    public static final String REFUSAL_RECORDS_SKIPPED = "aware.gateway.refusal.records.skipped";

    private final MeterRegistry registry;
    private final Map<FrameType, Counter> accepted = new EnumMap<>(FrameType.class);
    private final Map<FrameType, Counter> duplicates = new EnumMap<>(FrameType.class);
    private final Map<FrameType, Timer> ackLatency = new EnumMap<>(FrameType.class);
    private final Map<NackReason, Counter> rejections = new EnumMap<>(NackReason.class);
    private final Counter handshakeFailures;
    private final Counter readPauses;
    private final Counter idleClosed;
    private final Counter failedClosed;
    private final Counter frameDeadlineClosed;
    private final Map<DeviceRegistry.Standing, Counter> deadCertificates = new EnumMap<>(DeviceRegistry.Standing.class);
    private final Counter refusalRecordsSkipped;

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (FrameType type : FrameType.values()) {
            if (!type.fromDevice()) {
                continue;
            }
            String tag = type.name().toLowerCase();
            accepted.put(type, Counter.builder(FRAMES).description("Device frames answered with an ACK")
                    .tag("type", tag).tag("result", "accepted").register(registry));
            duplicates.put(type, Counter.builder(FRAMES).description("Device frames answered with an ACK")
                    .tag("type", tag).tag("result", "duplicate").register(registry));
            ackLatency.put(type, Timer.builder(ACK_LATENCY)
                    .description("From a verified frame to its ACK: counter rules plus durable append")
                    .tag("type", tag).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(0).plusNanos(50_000))
                    .maximumExpectedValue(Duration.ofSeconds(10)).register(registry));
        }
        for (NackReason reason : NackReason.values()) {
            rejections.put(reason, Counter.builder(REJECTIONS).description("Device frames refused with a NACK or a close")
                    .tag("reason", reason.name().toLowerCase()).register(registry));
        }
        handshakeFailures = Counter.builder(HANDSHAKE_FAILURES).description("TLS handshakes that failed or timed out")
                .register(registry);
        readPauses = Counter.builder(READ_PAUSES)
                .description("Times a connection stopped reading because the log or the socket was behind").register(registry);
        idleClosed = Counter.builder(CLOSED).tag("cause", "idle").description("Connections closed by the server")
                .register(registry);
        failedClosed = Counter.builder(CLOSED).tag("cause", "error").description("Connections closed by the server")
                .register(registry);
        frameDeadlineClosed = Counter.builder(CLOSED).tag("cause", "frame-deadline")
                .description("Connections closed by the server").register(registry);
        for (DeviceRegistry.Standing standing : DeviceRegistry.Standing.values()) {
            if (standing != DeviceRegistry.Standing.ACTIVE) {
                deadCertificates.put(standing, Counter.builder(DEAD_CERTIFICATES)
                        .description("Handshakes refused because the device certificate is not the device's current one")
                        .tag("standing", standing.name().toLowerCase()).register(registry));
            }
        }
        refusalRecordsSkipped = Counter.builder(REFUSAL_RECORDS_SKIPPED)
                .description("Refusals not written to the log because their certificate or address had its record this minute")
                .register(registry);
    }

    public void accepted(FrameType type, boolean duplicate, long nanos) {
        (duplicate ? duplicates : accepted).get(type).increment();
        ackLatency.get(type).record(Duration.ofNanos(nanos));
    }

    public void rejected(NackReason reason) {
        rejections.get(reason).increment();
    }

    public void handshakeFailed() {
        handshakeFailures.increment();
    }

    public void pausedReading() {
        readPauses.increment();
    }

    public void idleClosed() {
        idleClosed.increment();
    }

    public void connectionFailed() {
        failedClosed.increment();
    }

    public void frameDeadlineClosed() {
        frameDeadlineClosed.increment();
    }

    public void deadCertificate(DeviceRegistry.Standing standing) {
        deadCertificates.get(standing).increment();
    }

    public void refusalRecordSkipped() {
        refusalRecordsSkipped.increment();
    }

    public void connections(IntSupplier open) {
        Gauge.builder(CONNECTIONS, open::getAsInt).description("Open device connections").register(registry);
    }
}
