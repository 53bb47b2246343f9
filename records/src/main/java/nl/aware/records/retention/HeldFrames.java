package nl.aware.records.retention;

import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.LogRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The held copies of frames of alerts under legal hold, by original event id (docs/retention.md). Readers that
 * need frames (exports) look here when a frame's own record reads as {@link Event.FramePurged}.
 */
public final class HeldFrames {
    private final Map<UUID, Event.FrameHeld> byEventId;

    private HeldFrames(Map<UUID, Event.FrameHeld> byEventId) {
        this.byEventId = byEventId;
    }

    /** One read-only pass over the log, decoding only the held-frame records. */
    public static HeldFrames read(Path logDirectory, EventCodec codec) throws IOException, EventFormatException {
        Map<UUID, Event.FrameHeld> held = new HashMap<>();
        EventFormatException[] failure = {null};
        EventLog.read(logDirectory, record -> {
            if (record.type() == EventCodec.FRAME_HELD && failure[0] == null) {
                try {
                    if (codec.decode(record) instanceof Event.FrameHeld frame) {
                        held.put(frame.eventId(), frame);
                    }
                } catch (EventFormatException e) {
                    failure[0] = e;
                }
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        return new HeldFrames(held);
    }

    /**
     * Decodes a record; a purged frame that has a held copy reads as the original {@link Event.FrameAccepted}
     * again (same event id, receive time and signed bytes), one without stays {@link Event.FramePurged}.
     */
    public Event decode(EventCodec codec, LogRecord record) throws EventFormatException {
        Event event = codec.decode(record);
        if (event instanceof Event.FramePurged purged && record.type() == EventCodec.FRAME_ACCEPTED) {
            Event.FrameHeld copy = byEventId.get(purged.eventId());
            if (copy != null) {
                return new Event.FrameAccepted(copy.eventId(), copy.receiveTimeMs(), copy.frame());
            }
        }
        return event;
    }
}
