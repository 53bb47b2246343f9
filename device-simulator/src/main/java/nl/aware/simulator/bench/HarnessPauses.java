package nl.aware.simulator.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * The harness JVM's own collections. Its devices stamp each press and its police stamps each arrival, so a
 * harness pause lands in the latencies it reports as the server's: a run prints how much of it there was.
 * (G1's beans count pauses; its concurrent marking is not in them.)
 */
final class HarnessPauses {
    private HarnessPauses() {
    }

    static double count() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).filter(n -> n > 0).sum();
    }

    static double millis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(n -> n > 0).sum();
    }
}
