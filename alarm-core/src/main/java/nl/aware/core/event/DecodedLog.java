package nl.aware.core.event;

import nl.aware.core.log.EventLog;
import nl.aware.core.log.LogRecord;
import nl.aware.core.log.VerifyResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/**
 * The one "read the log and decode each record" loop: a read-only pass over a log directory (no lock,
 * works while a server runs; hash chain and CRCs checked by {@link EventLog#read}) that hands each sound
 * record with its event to a handler. A record that cannot be decoded (keys that do not open it, a
 * type this version does not know) is counted and skipped, never handed over.
 */
public final class DecodedLog {
    private DecodedLog() {
    }

    /**
     * What a pass found.
     *
     * @param verification the log's own verdict: intact, records read, where it stopped
     * @param undecodable  sound records that could not be decoded
     * @param firstFailure why the first of them could not be decoded; null when all could
     */
    public record Result(VerifyResult verification, long undecodable, FirstFailure firstFailure) {

        /** The log is intact and every record decoded. */
        public boolean intact() {
            return verification.intact() && undecodable == 0;
        }
    }

    /** The first record that could not be decoded: its sequence and the codec's reason. */
    public record FirstFailure(long sequence, EventFormatException reason) {
    }

    /** @throws java.nio.file.NoSuchFileException if the directory does not exist */
    public static Result read(Path logDirectory, EventCodec codec, BiConsumer<LogRecord, Event> handler)
            throws IOException {
        long[] undecodable = {0};
        FirstFailure[] first = {null};
        VerifyResult verification = EventLog.read(logDirectory, record -> {
            Event event;
            try {
                event = codec.decode(record);
            } catch (EventFormatException e) {
                if (undecodable[0]++ == 0) {
                    first[0] = new FirstFailure(record.sequence(), e);
                }
                return;
            }
            handler.accept(record, event);
        });
        return new Result(verification, undecodable[0], first[0]);
    }
}
