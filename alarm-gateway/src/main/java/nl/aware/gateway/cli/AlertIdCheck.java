package nl.aware.gateway.cli;

import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.EventFormatException;
import nl.aware.gateway.DataDirectory;
import nl.aware.records.history.AlertIndex;

import java.io.IOException;
import java.util.UUID;

/**
 * Only an alert id is an alert id, offline as in the staff API: the event id of a repeated press (or of
 * a location, a heartbeat) names no alert of its own, so no report or bundle is made for it.
 */
final class AlertIdCheck {
    private AlertIdCheck() {
    }

    /** Why {@code alertId} is not an alert of this log, or null when it is one. */
    static String refusal(DataDirectory dir, DataKeyRing keys, UUID alertId) throws IOException {
        AlertIndex.Loaded loaded;
        try {
            loaded = AlertIndex.load(dir.log(), keys);
        } catch (EventFormatException e) {
            return null; // the reader that follows names the unreadable record
        }
        if (loaded.index().mayBeAlert(alertId)) {
            return null; // an alert, or one whose frames a purge shredded: the reader decides from held copies
        }
        return "no alert " + alertId + " in " + dir.log() + "; an alert id is the event id of the PANIC (or TEST) "
                + "that opened the alert, not that of a repeated press or of another frame";
    }
}
