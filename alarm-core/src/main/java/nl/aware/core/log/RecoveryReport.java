package nl.aware.core.log;

import java.time.Duration;

/**
 * What {@link EventLog#open} found.
 *
 * @param records          records replayed
 * @param lastSequence     sequence of the last replayed record (0 for an empty log)
 * @param truncatedBytes   bytes of torn tail cut off (0 if none)
 * @param truncatedSegment file name of the segment that was cut, or null if none
 * @param elapsed          time taken by lock, replay and repair
 */
public record RecoveryReport(long records, long lastSequence, long truncatedBytes, String truncatedSegment,
                             Duration elapsed) {
}
