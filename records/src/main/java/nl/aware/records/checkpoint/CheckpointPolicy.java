package nl.aware.records.checkpoint;

import java.time.Duration;
import java.util.Objects;

/**
 * When the server signs a checkpoint: after {@code everyRecords} new records, or {@code every} after the last
 * one if anything was written since, whichever comes first; and once at a clean shutdown.
 */
public record CheckpointPolicy(long everyRecords, Duration every) {
    public static final CheckpointPolicy DEFAULTS = new CheckpointPolicy(10_000, Duration.ofMinutes(5));

    public CheckpointPolicy {
        Objects.requireNonNull(every, "every");
        if (everyRecords < 1) {
            throw new IllegalArgumentException("checkpoint every N records needs N >= 1, got " + everyRecords);
        }
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("checkpoint interval must be positive, got " + every);
        }
    }
}
