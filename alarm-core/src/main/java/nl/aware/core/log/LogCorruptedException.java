package nl.aware.core.log;

import java.io.IOException;

/**
 * The log holds a bad record that cannot be a torn tail from a crash (damage or tampering).
 * Names the segment file, the byte offset of the bad record in it and its sequence (-1 if unknown).
 */
public class LogCorruptedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String segment;
    private final long offset;
    private final long sequence;
    private final String reason;

    public LogCorruptedException(String segment, long offset, long sequence, String reason) {
        super("event log corrupt in " + segment + " at offset " + offset
                + " (record " + (sequence < 0 ? "unknown" : Long.toString(sequence)) + "): " + reason);
        this.segment = segment;
        this.offset = offset;
        this.sequence = sequence;
        this.reason = reason;
    }

    public String segment() {
        return segment;
    }

    public long offset() {
        return offset;
    }

    /** The sequence the bad record should have had, -1 if unknown. */
    public long sequence() {
        return sequence;
    }

    public String reason() {
        return reason;
    }
}
