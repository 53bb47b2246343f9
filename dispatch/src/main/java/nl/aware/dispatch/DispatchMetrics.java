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
    public static final String CONSOLE_OPERATORS = "aware.console.operators";
    public static final String RECEIVERS = "aware.dispatch.receivers";
    public static final String ATTEMPTS = "aware.dispatch.attempts";
    public static final String ESCALATIONS = "aware.dispatch.escalations";
    public static final String ESCALATIONS_ARMED = "aware.dispatch.escalations.armed";
    public static final String ACCEPTANCES_UNRECORDED = "aware.dispatch.acceptances.unrecorded";
    public static final String SHED = "aware.dispatch.shed";
    public static final String REFUSED = "aware.dispatch.refused";
    public static final String POLICE_ACCEPTED_LATENCY = "aware.dispatch.police.accepted.latency";

    private final MeterRegistry registry;

    public DispatchMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Creates every labelled counter at 0 before anything happens: a series born at 1 shows no
     * {@code increase()}, so the first escalation after a start would not fire its alert.
     */
    void prime(java.util.Collection<Region> regions, java.util.Collection<String> targets) {
        for (Region region : regions) {
            escalations(region);
            refused(region);
        }
        for (String target : targets) {
            attempts(target, true);
            attempts(target, false);
        }
        for (Priority priority : Priority.values()) {
            if (priority.sheddable()) {
                shedCounter(priority);
            }
        }
    }

    void consoleOperators(Region region, Supplier<Number> operators) {
        Gauge.builder(CONSOLE_OPERATORS, operators)
                .description("Operators signed in to the control-room console (a live queue open), by region")
                .tag("region", region.label()).register(registry);
    }

    void escalationsArmed(Supplier<Number> armed) {
        Gauge.builder(ESCALATIONS_ARMED, armed)
                .description("Alerts not yet accepted by the police, each with its escalation to Kadera armed")
                .register(registry);
    }

    void acceptancesUnrecorded(Supplier<Number> unrecorded) {
        Gauge.builder(ACCEPTANCES_UNRECORDED, unrecorded)
                .description("Alerts the police accepted whose delivery record the log has not yet applied")
                .register(registry);
    }

    void receivers(Region region, Receivers receivers) {
        Gauge.builder(RECEIVERS, () -> 1).description("1 for a region's configured receivers (external, console or both)")
                .tag("region", region.label()).tag("receivers", receivers.label()).register(registry);
    }

    void queueDepth(Region region, Priority priority, Supplier<Number> depth) {
        Gauge.builder(QUEUE_DEPTH, depth).description("Dispatch work waiting, by region and priority")
                .tag("region", region.label()).tag("priority", priority.name().toLowerCase()).register(registry);
    }

    void attempt(String target, boolean delivered) {
        attempts(target, delivered).increment();
    }

    private Counter attempts(String target, boolean delivered) {
        return Counter.builder(ATTEMPTS).description("Delivery attempts by route and outcome (escalations included)")
                .tag("target", target).tag("outcome", delivered ? "delivered" : "failed").register(registry);
    }

    void escalated(Region region) {
        escalations(region).increment();
    }

    private Counter escalations(Region region) {
        return Counter.builder(ESCALATIONS)
                .description("Alerts escalated to Kadera: not accepted by the police in time, or refused as invalid")
                .tag("region", region.label()).register(registry);
    }

    /** A receiver refused a PANIC (alert or repeated press) as invalid (a 4xx): a person must look. */
    void refusedAsInvalid(Region region) {
        refused(region).increment();
    }

    private Counter refused(Region region) {
        return Counter.builder(REFUSED).description("PANIC work a police receiver refused as invalid (4xx)")
                .tag("region", region.label()).register(registry);
    }

    void shed(Priority priority) {
        shedCounter(priority).increment();
    }

    private Counter shedCounter(Priority priority) {
        return Counter.builder(SHED).description("Low-priority dispatch work dropped under overload or refusal")
                .tag("priority", priority.name().toLowerCase()).register(registry);
    }

    void policeAccepted(Region region, long receiveTimeMs, long nowMs) {
        Timer.builder(POLICE_ACCEPTED_LATENCY).description("From receiving a PANIC to the police accepting its alert")
                .tag("region", region.label()).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry).record(Duration.ofMillis(Math.max(0, nowMs - receiveTimeMs)));
    }
}
