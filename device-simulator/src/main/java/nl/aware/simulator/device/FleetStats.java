package nl.aware.simulator.device;

import nl.aware.core.protocol.NackReason;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters shared by every device of a fleet. Written from many event loops at once (adders,
 * a {@link Recorder}); read by the live line and the final report.
 */
public final class FleetStats {
    /** An acknowledged PANIC: what must later be found in the server's log. */
    public record AckedPanic(long deviceId, long counter, UUID eventId) {
    }

    private final LongAdder presses = new LongAdder();
    private final LongAdder framesSent = new LongAdder();
    private final LongAdder acks = new LongAdder();
    private final LongAdder panicAcks = new LongAdder();
    private final LongAdder duplicatesAcked = new LongAdder();
    private final LongAdder retransmissions = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder panicsDropped = new LongAdder();
    private final Map<NackReason, LongAdder> nacks = new EnumMap<>(NackReason.class);
    private final AtomicInteger connected = new AtomicInteger();
    private final ConcurrentLinkedQueue<AckedPanic> ackedPanics = new ConcurrentLinkedQueue<>();
    /** press → ACK latency in nanoseconds; interval histograms are folded into {@link #total}. */
    private final Recorder latency = new Recorder(3);
    private final Histogram total = new Histogram(3);

    public FleetStats() {
        for (NackReason reason : NackReason.values()) {
            nacks.put(reason, new LongAdder());
        }
    }

    void pressed() {
        presses.increment();
    }

    void sent() {
        framesSent.increment();
    }

    void retransmitted() {
        retransmissions.increment();
    }

    void acked(boolean duplicate) {
        acks.increment();
        if (duplicate) {
            duplicatesAcked.increment();
        }
    }

    void panicAcked(AckedPanic panic, long latencyNanos) {
        panicAcks.increment();
        ackedPanics.add(panic);
        latency.recordValue(Math.max(0, latencyNanos));
    }

    void nacked(NackReason reason) {
        nacks.get(reason).increment();
    }

    void droppedFrame(boolean panic) {
        dropped.increment();
        if (panic) {
            panicsDropped.increment();
        }
    }

    void connectionUp() {
        connected.incrementAndGet();
    }

    void connectionDown() {
        connected.decrementAndGet();
    }

    public long presses() {
        return presses.sum();
    }

    public long framesSent() {
        return framesSent.sum();
    }

    /** Every ACK received (first answers and duplicates). */
    public long acks() {
        return acks.sum();
    }

    /** Presses whose PANIC was ACKed (each press counted once). */
    public long panicAcks() {
        return panicAcks.sum();
    }

    /** ACKs with status 1: the server had the frame already. */
    public long duplicatesAcked() {
        return duplicatesAcked.sum();
    }

    public long retransmissions() {
        return retransmissions.sum();
    }

    /** Frames given up after a NACK other than 7 (overloaded). */
    public long droppedFrames() {
        return dropped.sum();
    }

    /** Presses neither ACKed nor refused for good yet: still kept by their devices and being retried. */
    public long pressesInFlight() {
        return presses.sum() - panicAcks.sum() - panicsDropped.sum();
    }

    /** Presses whose PANIC the server refused for good (a NACK other than 7). */
    public long panicsDropped() {
        return panicsDropped.sum();
    }

    public long nacks(NackReason reason) {
        return nacks.get(reason).sum();
    }

    public long nacks() {
        return nacks.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public Map<NackReason, Long> nacksByReason() {
        Map<NackReason, Long> result = new EnumMap<>(NackReason.class);
        nacks.forEach((reason, count) -> result.put(reason, count.sum()));
        return result;
    }

    public int connected() {
        return connected.get();
    }

    public List<AckedPanic> ackedPanics() {
        return List.copyOf(ackedPanics);
    }

    /** All press → ACK latencies recorded so far (nanoseconds), as a copy. */
    public synchronized Histogram latency() {
        total.add(latency.getIntervalHistogram());
        return total.copy();
    }
}
