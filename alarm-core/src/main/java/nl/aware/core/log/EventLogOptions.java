package nl.aware.core.log;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an {@link EventLog}.
 *
 * @param directory         data directory holding the segment files and the LOCK file
 * @param segmentBytes      roll to a new segment once the current one holds at least this many bytes
 * @param maxPendingAppends bound of the append queue; beyond it appends fail with {@link LogOverloadedException}
 * @param maxBatch          most appends written and fsync'd together (group commit)
 * @param inTurnLinger      how long the writer may hold records of the {@link AppendLane#IN_TURN} lane alone, to
 *                          write them with what follows in one fsync; a record of the {@link AppendLane#FIRST}
 *                          lane ends the wait at once (zero: no wait)
 */
public record EventLogOptions(Path directory, long segmentBytes, int maxPendingAppends, int maxBatch,
                              Duration inTurnLinger) {

    public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_PENDING_APPENDS = 65_536;
    public static final int DEFAULT_MAX_BATCH = 4_096;
    /**
     * With many alerts open, most records (callbacks, deliveries, commands and their answers) come one at a time,
     * and each cost an fsync of its own; 2 ms lets them share one, and nobody notices 2 ms on a callback's answer or
     * an alert's timeline (docs/event-log.md "Sharing an fsync").
     */
    public static final Duration DEFAULT_IN_TURN_LINGER = Duration.ofMillis(2);

    public EventLogOptions {
        Objects.requireNonNull(directory, "directory");
        if (segmentBytes <= SegmentFormat.HEADER_BYTES) {
            throw new IllegalArgumentException("segmentBytes must exceed the segment header, got " + segmentBytes);
        }
        if (maxPendingAppends < 1) {
            throw new IllegalArgumentException("maxPendingAppends must be >= 1, got " + maxPendingAppends);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        Objects.requireNonNull(inTurnLinger, "inTurnLinger");
        if (inTurnLinger.isNegative() || inTurnLinger.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("inTurnLinger must be 0 to 60 s, got " + inTurnLinger);
        }
    }

    /** Without lingering (tests and tools that set every other option themselves). */
    public EventLogOptions(Path directory, long segmentBytes, int maxPendingAppends, int maxBatch) {
        this(directory, segmentBytes, maxPendingAppends, maxBatch, Duration.ZERO);
    }

    /** The running server's log: 64 MiB segments, 65536 pending appends, 4096 appends per batch, 2 ms linger. */
    public static EventLogOptions defaults(Path directory) {
        return new EventLogOptions(directory, DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_PENDING_APPENDS, DEFAULT_MAX_BATCH,
                DEFAULT_IN_TURN_LINGER);
    }

    /**
     * These options without the linger: for a tool that appends one record and waits for it before the next,
     * where nothing follows that could share the fsync.
     */
    public EventLogOptions withoutLinger() {
        return new EventLogOptions(directory, segmentBytes, maxPendingAppends, maxBatch, Duration.ZERO);
    }
}
