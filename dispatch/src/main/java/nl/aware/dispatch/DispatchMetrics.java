package nl.aware.dispatch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import nl.aware.core.event.Region;
import nl.aware.dispatch.work.Priority;

import java.time.Duration;
import java.util.function.Supplier;

/** Dispatch meters. Tags: region, priority, target route, outcome — bounded, never personal. */
public final class DispatchMetrics {
    public static final String QUEUE_DEPTH = "aware.dispatch.queue.depth";
    public static final String ATTEMPTS = "aware.dispatch.attempts";
    public static final String ESCALATIONS = "aware.dispatch.escalations";
    public static final String SHED = "aware.dispatch.shed";
    public static final String POLICE_ACCEPTED_LATENCY = "aware.dispatch.police.accepted.latency";

    private final MeterRegistry registry;

    public DispatchMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void queueDepth(Region region, Priority priority, Supplier<Number> depth) {
        Gauge.builder(QUEUE_DEPTH, depth).description("Dispatch work waiting, by region and priority")
                .tag("region", region.label()).tag("priority", priority.name().toLowerCase()).register(registry);
    }

    void attempt(String target, boolean delivered) {
        Counter.builder(ATTEMPTS).description("Delivery attempts by route and outcome")
                .tag("target", target).tag("outcome", delivered ? "delivered" : "failed").register(registry).increment();
    }

    void escalated(Region region) {
        Counter.builder(ESCALATIONS).description("Alerts escalated because the police had not accepted them in time")
                .tag("region", region.label()).register(registry).increment();
    }

    void shed(Priority priority) {
        Counter.builder(SHED).description("Low-priority dispatch work dropped under overload or refusal")
                .tag("priority", priority.name().toLowerCase()).register(registry).increment();
    }

    void policeAccepted(Region region, long receiveTimeMs, long nowMs) {
        Timer.builder(POLICE_ACCEPTED_LATENCY).description("From receiving a PANIC to the police accepting its alert")
                .tag("region", region.label()).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry).record(Duration.ofMillis(Math.max(0, nowMs - receiveTimeMs)));
    }
}
