package nl.aware.core.state;

import nl.aware.core.protocol.DeviceFrame;

import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One device's counter state: the high-water mark and the last few accepted frames, judged by
 * {@link CounterRules}, so that a byte-identical retransmission is answered with the original event id.
 *
 * <p>Classification and reservation happen under this object's lock, before the append, so two
 * connections of one device can never both accept a counter. The log order equals reservation order, except that
 * a device's sound may be written after a later frame of the same device (the writer's lanes, {@link #restore}).
 */
public final class CounterWindow {
    static final int REMEMBERED = CounterRules.REMEMBERED;

    /** One accepted (or being accepted) frame. {@code durable} completes with the event id once logged. */
    public static final class Entry {
        final long counter;
        final byte[] digest;
        final UUID eventId;
        volatile CompletableFuture<UUID> durable;

        Entry(long counter, byte[] digest, UUID eventId, CompletableFuture<UUID> durable) {
            this.counter = counter;
            this.digest = digest;
            this.eventId = eventId;
            this.durable = durable;
        }

        public UUID eventId() {
            return eventId;
        }

        public CompletableFuture<UUID> durable() {
            return durable;
        }
    }

    /** The verdict on one frame. */
    public sealed interface Verdict {
        /** Above the mark (or a retry of a frame whose append failed): append it now. */
        record Fresh(Entry entry) implements Verdict {
        }

        /** Byte-identical to an accepted frame: answer with status 1 once that one is durable. */
        record Retransmission(Entry entry) implements Verdict {
        }

        /** At or below the mark and not a retransmission. */
        record Replay(long highWater) implements Verdict {
        }
    }

    private final Entry[] recent = new Entry[REMEMBERED];
    private long highWater;
    private boolean any;

    public Verdict classify(long counter, byte[] digest) {
        return classify(counter, digest, UUID.randomUUID());
    }

    /** {@link #classify(long, byte[])}, a fresh frame getting {@code eventIdIfFresh}. */
    public synchronized Verdict classify(long counter, byte[] digest, UUID eventIdIfFresh) {
        Entry identical = identical(counter, digest);
        switch (CounterRules.judge(any, highWater, counter, identical != null)) {
            case FRESH -> {
                Entry entry = new Entry(counter, digest, eventIdIfFresh, new CompletableFuture<>());
                remember(entry);
                return new Verdict.Fresh(entry);
            }
            case RETRANSMISSION -> {
                if (identical.durable.isCompletedExceptionally()) {
                    // Its append failed and the device was told to retry: this retry is appended afresh.
                    identical.durable = new CompletableFuture<>();
                    return new Verdict.Fresh(identical);
                }
                return new Verdict.Retransmission(identical);
            }
            default -> {
                return new Verdict.Replay(highWater);
            }
        }
    }

    /**
     * Whether a frame with this counter would be news (no mark yet, or above it); at or below the mark it is a
     * retransmission or a replay, whatever else is wrong with it.
     */
    public synchronized boolean wouldBeFresh(long counter) {
        return CounterRules.judge(any, highWater, counter, false) == CounterRules.Verdict.FRESH;
    }

    private Entry identical(long counter, byte[] digest) {
        for (Entry entry : recent) {
            if (entry != null && entry.counter == counter && Arrays.equals(entry.digest, digest)) {
                return entry;
            }
        }
        return null;
    }

    /** Replay of the log at start-up: the frame was accepted and is durable. */
    public synchronized void restore(DeviceFrame frame, UUID eventId) {
        Entry entry = new Entry(frame.counter(), frame.digest(), eventId, CompletableFuture.completedFuture(eventId));
        if (any && Long.compareUnsigned(frame.counter(), highWater) <= 0) {
            // Live appends reserved their counter already. In a replay a frame can follow a higher counter of its
            // device: sound waits in the writer's IN_TURN lane while a PANIC goes FIRST. It is remembered all the
            // same (when among the highest), so that its retransmission after a restart is not taken for a replay.
            if (identical(frame.counter(), frame.digest()) == null) {
                int slot = slotToReplace();
                if (recent[slot] == null || Long.compareUnsigned(recent[slot].counter, frame.counter()) < 0) {
                    recent[slot] = entry;
                }
            }
            return;
        }
        remember(entry);
    }

    /**
     * Replay of a retention purge: the device's frames up to {@code counter} can no longer be read, but a replay
     * of one of them must stay refused.
     */
    public synchronized void restoreFloor(long counter) {
        if (!any || Long.compareUnsigned(counter, highWater) > 0) {
            highWater = counter;
            any = true;
        }
    }

    public synchronized long highWater() {
        return highWater;
    }

    /** Fresh counters only grow, so the remembered frames are the highest counters: the lowest one makes room. */
    private void remember(Entry entry) {
        recent[slotToReplace()] = entry;
        highWater = entry.counter;
        any = true;
    }

    /** An empty slot, else the one holding the lowest counter. */
    private int slotToReplace() {
        int lowest = 0;
        for (int i = 0; i < recent.length; i++) {
            if (recent[i] == null) {
                return i;
            }
            if (Long.compareUnsigned(recent[i].counter, recent[lowest].counter) < 0) {
                lowest = i;
            }
        }
        return lowest;
    }
}
