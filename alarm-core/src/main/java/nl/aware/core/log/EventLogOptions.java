package nl.aware.core.log;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of an {@link EventLog}.
 *
 * @param directory         data directory holding the segment files and the LOCK file
 * @param segmentBytes      roll to a new segment once the current one holds at least this many bytes
 * @param maxPendingAppends bound of the append queue; beyond it appends fail with {@link LogOverloadedException}
 * @param maxBatch          most appends written and fsync'd together (group commit)
 */
public record EventLogOptions(Path directory, long segmentBytes, int maxPendingAppends, int maxBatch) {

    public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_PENDING_APPENDS = 65_536;
    public static final int DEFAULT_MAX_BATCH = 4_096;

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
    }

    /** 64 MiB segments, 65536 pending appends, 4096 appends per batch. */
    public static EventLogOptions defaults(Path directory) {
        return new EventLogOptions(directory, DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_PENDING_APPENDS, DEFAULT_MAX_BATCH);
    }
}
