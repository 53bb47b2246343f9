package nl.aware.core.log;

/**
 * Outcome of a read-only pass over a log directory ({@link EventLog#read}, {@link LogVerifier#verify}).
 *
 * @param intact        true when every record is sound; a torn tail (crash residue that {@link EventLog#open}
 *                      would cut off) does not make a log un-intact, it is reported in {@code tornTailBytes}
 * @param records       sound records read (all delivered to the handler)
 * @param lastSequence  sequence of the last sound record (0 if none)
 * @param tornTailBytes bytes after the last sound record of the last segment that form a torn tail
 * @param problem       the FIRST bad record, or null when intact
 */
public record VerifyResult(boolean intact, long records, long lastSequence, long tornTailBytes, Problem problem) {

    /**
     * @param segment     segment file name
     * @param offset      byte offset of the bad record (or of the segment header) in that file
     * @param sequence    the sequence the bad record should have had, -1 if unknown
     * @param description what is wrong
     */
    public record Problem(String segment, long offset, long sequence, String description) {
    }
}
