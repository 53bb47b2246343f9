package nl.aware.simulator;

import nl.aware.simulator.device.DeviceFleet;
import nl.aware.simulator.device.FleetStats;
import org.HdrHistogram.Histogram;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * The part of {@code demo} and {@code run} that is the same: connect the fleet, press at random for
 * the duration while printing one live line per second, wait for the last ACKs, report latencies.
 * Prints counts and latencies only: never a location, never a key.
 */
final class LoadRun {
    static final Duration CONNECT_WAIT = Duration.ofSeconds(15);
    static final Duration SETTLE_WAIT = Duration.ofSeconds(10);

    private final DeviceFleet fleet;
    private final int devices;
    private final PrintWriter out;
    private final boolean terminal;

    LoadRun(DeviceFleet fleet, PrintWriter out) {
        this.fleet = fleet;
        this.devices = fleet.devices().size();
        this.out = out;
        this.terminal = System.console() != null; // Java 17: a console only when stdin and stdout are a terminal
    }

    /** Runs the load. Returns true when every press was ACKed by the end. */
    boolean run(LoadOptions load) throws InterruptedException {
        FleetStats stats = fleet.stats();
        long start = System.nanoTime();
        fleet.start();
        long connectDeadline = start + CONNECT_WAIT.toNanos();
        while (stats.connected() < devices && System.nanoTime() - connectDeadline < 0) {
            Thread.sleep(20);
        }
        out.printf("%d of %d devices connected in %d ms; pressing %.1f/s for %s%n", stats.connected(), devices,
                (System.nanoTime() - start) / 1_000_000, load.pressRate, format(load.duration));
        out.flush();

        long pressStart = System.nanoTime();
        fleet.startPressing(load.pressRate);
        long end = pressStart + load.duration.toNanos();
        long nextLine = pressStart + 1_000_000_000L;
        while (true) {
            long now = System.nanoTime();
            if (now - end >= 0) {
                break;
            }
            Thread.sleep(Math.max(1, Math.min(nextLine, end) - now) / 1_000_000 + 1);
            if (System.nanoTime() - nextLine >= 0) {
                live(System.nanoTime() - pressStart, null);
                nextLine += 1_000_000_000L;
            }
        }
        fleet.stopPressing();
        boolean settled = fleet.awaitPressesSettled(SETTLE_WAIT);
        live(System.nanoTime() - pressStart, "end");
        if (terminal) {
            out.println();
        }
        report(settled);
        return settled && stats.panicsDropped() == 0;
    }

    private void live(long elapsedNanos, String label) {
        FleetStats s = fleet.stats();
        String line = String.format(Locale.ROOT,
                "%5s  presses %d  ACKed %d  retransmitted %d  NACKed %d  connected %d/%d",
                label != null ? label : Math.round(elapsedNanos / 1e9) + "s", s.presses(), s.panicAcks(), s.retransmissions(), s.nacks(), s.connected(), devices);
        if (terminal) {
            out.print("\r" + line + "   ");
        } else {
            out.println(line);
        }
        out.flush();
    }

    private void report(boolean settled) {
        FleetStats s = fleet.stats();
        out.printf("frames sent %d (retransmissions %d), ACKs %d (duplicates %d)%n", s.framesSent(),
                s.retransmissions(), s.acks(), s.duplicatesAcked());
        if (s.nacks() > 0) {
            StringBuilder nacks = new StringBuilder("NACKs:");
            s.nacksByReason().forEach((reason, count) -> {
                if (count > 0) {
                    nacks.append(' ').append(reason.code()).append(' ').append(reason).append(' ').append(count);
                }
            });
            out.println(nacks);
        }
        if (!settled) {
            out.printf("NOT ACKed %s after the end: %d presses still being retried%n", format(SETTLE_WAIT),
                    s.pressesInFlight());
        }
        if (s.panicsDropped() > 0) {
            out.printf("REFUSED: %d presses refused by the server for good%n", s.panicsDropped());
        }
        out.println(percentiles(s.latency()));
        out.flush();
    }

    static String percentiles(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "press->ACK latency: no presses ACKed";
        }
        return String.format(Locale.ROOT,
                "press->ACK latency (ms, n=%d): p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f",
                h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    static String format(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        return s % 60 == 0 && s >= 60 ? s / 60 + "m" : s + "s";
    }
}
