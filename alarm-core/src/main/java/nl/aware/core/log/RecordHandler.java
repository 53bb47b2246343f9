package nl.aware.core.log;

/** Receives records of the event log in sequence order (replay on open, or {@link EventLog#read}). */
@FunctionalInterface
public interface RecordHandler {
    void onRecord(LogRecord record);
}
