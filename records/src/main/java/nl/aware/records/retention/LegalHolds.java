package nl.aware.records.retention;

import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.log.EventLog;
import nl.aware.core.protocol.FrameType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** What the log says about legal holds, and whether an alert can still be held. Read-only. */
public final class LegalHolds {
    /** The alerts under legal hold now, with the record that placed the hold. */
    private final Map<UUID, Event.LegalHoldPlaced> current;
    /** For the alert asked about: its press, or the purge note when its location is gone, or neither. */
    private final Event.FrameAccepted press;
    private final String purgedNote;

    private LegalHolds(Map<UUID, Event.LegalHoldPlaced> current, Event.FrameAccepted press, String purgedNote) {
        this.current = current;
        this.press = press;
        this.purgedNote = purgedNote;
    }

    /** Reads the holds; with {@code alertId}, also finds that alert's press (held copies count). */
    public static LegalHolds read(Path logDirectory, EventCodec codec, UUID alertId) throws IOException, EventFormatException {
        HeldFrames held = HeldFrames.read(logDirectory, codec);
        Map<UUID, Event.LegalHoldPlaced> current = new LinkedHashMap<>();
        Object[] found = {null};
        EventFormatException[] failure = {null};
        EventLog.read(logDirectory, record -> {
            if (failure[0] != null) {
                return;
            }
            try {
                if (record.type() == EventCodec.LEGAL_HOLD_PLACED
                        && codec.decode(record) instanceof Event.LegalHoldPlaced hold) {
                    current.put(hold.alertId(), hold);
                } else if (record.type() == EventCodec.LEGAL_HOLD_RELEASED
                        && codec.decode(record) instanceof Event.LegalHoldReleased release) {
                    current.remove(release.alertId());
                } else if (alertId != null && found[0] == null && record.type() == EventCodec.FRAME_ACCEPTED) {
                    Event event = held.decode(codec, record);
                    if (event instanceof Event.FrameAccepted a && a.eventId().equals(alertId)) {
                        found[0] = a;
                    } else if (event instanceof Event.FramePurged p && p.eventId().equals(alertId)) {
                        found[0] = p;
                    }
                }
            } catch (EventFormatException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        return new LegalHolds(current, found[0] instanceof Event.FrameAccepted a ? a : null,
                found[0] instanceof Event.FramePurged p ? p.note() : null);
    }

    public Map<UUID, Event.LegalHoldPlaced> current() {
        return current;
    }

    public boolean isHeld(UUID alertId) {
        return current.containsKey(alertId);
    }

    /** Why a hold cannot be placed on the alert asked about, or null when it can. */
    public String cannotHold(UUID alertId) {
        if (isHeld(alertId)) {
            return "alert " + alertId + " is already under legal hold (placed by " + current.get(alertId).by() + ")";
        }
        if (purgedNote != null) {
            return "alert " + alertId + ": " + purgedNote + "; there is nothing left to hold";
        }
        if (press == null) {
            return "no alert " + alertId + " in the log (an alert id is the event id of the PANIC that opened it)";
        }
        if (press.frame().type() != FrameType.PANIC) {
            return "event " + alertId + " is a " + press.frame().type() + " frame, not the press that opened an alert";
        }
        return null;
    }
}
