package nl.aware.simulator.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.LongConsumer;

/** Pacing and the live progress line, shared by the scenarios. */
final class Run {
    private Run() {
    }

    /**
     * Calls {@code press} with each intended press time, a steady {@code rate} per second from {@code start}
     * until {@code end} (nanoTime), on a thread of its own. The intended time, not the moment the thread woke,
     * is the press time: a late pacer shows up as latency instead of hiding it (no coordinated omission).
     */
    static Thread pace(String name, double rate, long start, long end, LongConsumer press) {
        Thread thread = new Thread(() -> {
            long interval = (long) (1e9 / rate);
            for (long next = start; next - end < 0; next += interval) {
                long now;
                while ((now = System.nanoTime()) - next < 0) {
                    LockSupport.parkNanos(next - now);
                }
                press.accept(next);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Prints one line a second (elapsed, sent, ACKed, ACK rate) until {@code end} or {@code done}. */
    static void progress(PrintWriter out, String label, long start, long end, LongAdder sent, LongAdder acked,
                         BooleanSupplier done) throws InterruptedException {
        long next = start + 1_000_000_000L;
        long lastAcked = acked.sum();
        long lastAt = start;
        while (System.nanoTime() - end < 0 && !done.getAsBoolean()) {
            long now = System.nanoTime();
            if (now - next >= 0) {
                long a = acked.sum();
                out.printf(Locale.ROOT, "  %-14s %5.1fs  sent %8d  ACKed %8d  rate %8.0f/s%n", label, (now - start) / 1e9,
                        sent.sum(), a, (a - lastAcked) / ((now - lastAt) / 1e9));
                out.flush();
                lastAcked = a;
                lastAt = now;
                next += 1_000_000_000L;
            }
            Thread.sleep(Math.max(1, Math.min(next - now, end - now) / 1_000_000));
        }
    }

    /** Waits until {@code condition} holds, at most {@code millis}; returns whether it holds. */
    static boolean await(BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Reads {@code value} at {@code when} (nanoTime) on a thread of its own: e.g. the server's CPU at the start of the measured phase. */
    static CompletableFuture<Double> at(long when, DoubleSupplier value) {
        CompletableFuture<Double> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            long now;
            while ((now = System.nanoTime()) - when < 0) {
                LockSupport.parkNanos(when - now);
            }
            result.complete(value.getAsDouble());
        }, "bench-sample");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    static long secondsToNanos(double seconds) {
        return (long) (seconds * 1e9);
    }
}
