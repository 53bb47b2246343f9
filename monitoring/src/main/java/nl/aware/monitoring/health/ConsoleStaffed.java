package nl.aware.monitoring.health;

import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * Ready only while a region served by the control-room console alone has at least one operator signed in:
 * otherwise its presses reach nobody at the police (they escalate to Kadera at once, which is the fallback,
 * not the service). Wired only for console-only regions.
 */
public final class ConsoleStaffed implements HealthCheck {
    private final String region;
    private final IntSupplier operators;

    public ConsoleStaffed(String region, IntSupplier operators) {
        this.region = Objects.requireNonNull(region, "region");
        this.operators = Objects.requireNonNull(operators, "operators");
    }

    @Override
    public String name() {
        return "console-" + region;
    }

    @Override
    public Health check() {
        int signedIn = operators.getAsInt();
        return signedIn > 0 ? Health.up(signedIn + " operator(s) signed in")
                : Health.down("no operator signed in, and the region has no other receiver: every PANIC escalates to Kadera");
    }
}
