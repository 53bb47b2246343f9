package nl.aware.core.event;

/** A log record whose payload is not a valid event: the log is corrupt or from newer software. */
public final class EventFormatException extends Exception {
    public EventFormatException(long sequence, String problem) {
        super("log record " + sequence + " is not a valid event: " + problem);
    }
}
