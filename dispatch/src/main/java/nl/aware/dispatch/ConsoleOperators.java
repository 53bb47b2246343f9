package nl.aware.dispatch;

import nl.aware.core.event.Region;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many operators are signed in to the control-room console per region, counted by the console's live
 * connections (an operator whose queue is open). Dispatch reads it to escalate at once when a console-only
 * region has nobody; health and the {@code aware_console_operators} gauge read it too. Thread-safe.
 */
public final class ConsoleOperators {
    private final Map<Region, AtomicInteger> signedIn = new EnumMap<>(Region.class);

    public ConsoleOperators() {
        for (Region region : Region.values()) {
            signedIn.put(region, new AtomicInteger());
        }
    }

    public void arrived(Region region) {
        signedIn.get(region).incrementAndGet();
    }

    public void left(Region region) {
        signedIn.get(region).updateAndGet(n -> Math.max(0, n - 1));
    }

    public int count(Region region) {
        return signedIn.get(region).get();
    }
}
