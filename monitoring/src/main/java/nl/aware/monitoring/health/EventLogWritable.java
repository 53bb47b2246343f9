package nl.aware.monitoring.health;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Ready only while the event log accepts appends: without it no press can be acknowledged. The probe
 * is wired by the server (e.g. "the writer thread is alive and has not entered its failed state").
 */
public final class EventLogWritable implements HealthCheck {
    private final BooleanSupplier writable;

    public EventLogWritable(BooleanSupplier writable) {
        this.writable = Objects.requireNonNull(writable, "writable");
    }

    @Override
    public String name() {
        return "event-log";
    }

    @Override
    public Health check() {
        return writable.getAsBoolean() ? Health.up("writable") : Health.down("not writable");
    }
}
