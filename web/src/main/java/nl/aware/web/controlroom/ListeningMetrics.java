package nl.aware.web.controlroom;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The live-listening meter (docs/monitoring.md): how long an AUDIO frame took from its receipt by the server to
 * its event being written for a listening console. No tags: nothing about the device, carrier or operator.
 *
 * <p>It starts at the frame's receive time as the intake stamped it ({@code FrameAccepted.receiveTimeMs}, the
 * injected clock, after TLS and the signature check): a finer monotonic stamp would have to travel in the logged
 * event. So the figure has millisecond resolution and is on the same clock as every other receive time.
 */
final class ListeningMetrics {
    static final String DELIVERY = "aware.listen.delivery";

    private final Timer delivery;
    private final Clock clock;

    ListeningMetrics(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        this.delivery = Timer.builder(DELIVERY)
                .description("From an AUDIO frame's receipt by the server to its event written for a listening console")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    /** One frame written to one console's stream; {@code receiveTimeMs} is the server's receive time of the frame. */
    void delivered(long receiveTimeMs) {
        // Never negative: the clock may be stepped back between receipt and delivery.
        delivery.record(Math.max(0, clock.millis() - receiveTimeMs), TimeUnit.MILLISECONDS);
    }
}
