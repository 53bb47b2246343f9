package nl.aware.core.log;

import java.io.IOException;
import java.nio.file.Path;

/** Read-only integrity check of a log directory (CRC, lengths, sequence continuity, hash chain). */
public final class LogVerifier {

    private LogVerifier() {
    }

    /** {@link EventLog#read} with a no-op handler; {@code intact=false} names the first bad record. */
    public static VerifyResult verify(Path directory) throws IOException {
        return EventLog.read(directory, record -> { });
    }
}
