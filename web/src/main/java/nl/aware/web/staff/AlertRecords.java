package nl.aware.web.staff;

import nl.aware.records.history.AlertHistory;
import nl.aware.records.history.AlertHistoryReader;

import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

/**
 * Where the staff API gets one alert's full record: the server's event log, read-only, with the data
 * keys that open its sealed frames. The server that owns the data directory provides it.
 */
public interface AlertRecords {
    /** Everything the log holds about one alert, with the record's verification status. */
    AlertHistory history(UUID alertId) throws IOException, AlertHistoryReader.AlertNotFoundException;

    /** The alert's self-contained evidence bundle (docs/evidence.md) as a zip file. */
    byte[] evidence(UUID alertId, Instant generatedAt) throws IOException, EvidenceUnavailableException;

    /**
     * One recording of the alert as an Ogg Opus file, byte for byte the one in its evidence bundle, or null when
     * the alert has no Opus stream {@code streamId} from that device (docs/evidence.md, "Recordings").
     */
    default byte[] recording(UUID alertId, long deviceId, long streamId) throws IOException,
            AlertHistoryReader.AlertNotFoundException {
        throw new IOException("this server cannot read recordings from its log");
    }

    /** For a server whose log this API cannot read alert by alert; every call says why. */
    static AlertRecords unavailable(String why) {
        return new AlertRecords() {
            @Override
            public AlertHistory history(UUID alertId) throws IOException {
                throw new IOException(why);
            }

            @Override
            public byte[] evidence(UUID alertId, Instant generatedAt) throws IOException {
                throw new IOException(why);
            }
        };
    }

    /** An alert that cannot be exported as evidence (a test alarm, a purged location, a damaged log...). */
    final class EvidenceUnavailableException extends Exception {
        public EvidenceUnavailableException(String message) {
            super(message);
        }
    }
}
