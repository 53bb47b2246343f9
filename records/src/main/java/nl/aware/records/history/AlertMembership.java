package nl.aware.records.history;

import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.log.LogRecord;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameType;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The one rule for which log records belong to an alert (docs/evidence.md, "What goes in"), fed the
 * log in order. The alert id is the event id of the frame that opened it. A PANIC alert holds that press;
 * the later PANIC, LOCATION and CANCEL frames of the same device up to the control room's CLOSED; and
 * the dispatch records that refer to one of those frames (Delivered, DeliveryFailed, WorkShed) or to
 * the alert (AlertEscalated, AlertStatusReported, also after the close). A TEST alert holds its one frame
 * and the dispatch records about it. Used by the evidence bundle and the alert history alike.
 *
 * <p>Sealed frames are opened only from the press on; before it the clear event id is enough.
 */
public final class AlertMembership {
    /** How a record becomes an event: the codec, or the codec with held copies of purged frames. */
    @FunctionalInterface
    public interface Decoder {
        Event decode(LogRecord record) throws EventFormatException;
    }

    private final UUID alertId;
    private final Decoder codec;
    private final Set<UUID> items = new HashSet<>();
    private LogRecord press;
    private FrameType pressType;
    private long deviceId;
    private boolean closed;

    public AlertMembership(UUID alertId, EventCodec codec) {
        this(alertId, codec::decode);
    }

    /** With a decoder that restores the frames of alerts under legal hold after a purge (docs/retention.md). */
    public AlertMembership(UUID alertId, Decoder decoder) {
        this.alertId = alertId;
        this.codec = decoder;
    }

    /**
     * Takes the next record of the log. Returns the record's event when it belongs to the alert, else null.
     *
     * @throws EventFormatException when a record cannot be decoded, or the alert id names a frame that
     *                              cannot open an alert (a location, a heartbeat...)
     */
    public Event offer(LogRecord record) throws EventFormatException {
        int type = record.type();
        if (press == null) {
            if (type != EventCodec.FRAME_ACCEPTED || !alertId.equals(EventCodec.clearId(type, record.payload()))) {
                return null;
            }
            Event decoded = codec.decode(record);
            if (decoded instanceof Event.FramePurged purged) {
                throw new EventFormatException(record.sequence(), "alert " + alertId + ": " + purged.note()
                        + " (it was not under legal hold)");
            }
            Event.FrameAccepted opened = (Event.FrameAccepted) decoded;
            FrameType frameType = opened.frame().type();
            if (frameType != FrameType.PANIC && frameType != FrameType.TEST) {
                throw new EventFormatException(record.sequence(), "event " + alertId + " is a " + frameType
                        + " frame, not a press: an alert id is the event id of a PANIC (or a TEST)");
            }
            press = record;
            pressType = frameType;
            deviceId = opened.frame().deviceId();
            items.add(alertId);
            return opened;
        }
        if (type == EventCodec.FRAME_ACCEPTED) {
            if (closed || pressType == FrameType.TEST) {
                return null;
            }
            if (!(codec.decode(record) instanceof Event.FrameAccepted accepted)) {
                return null; // purged and not held: no longer readable, so not a frame of this (held) alert
            }
            DeviceFrame frame = accepted.frame();
            if (frame.deviceId() == deviceId && (frame.type() == FrameType.PANIC
                    || frame.type() == FrameType.LOCATION || frame.type() == FrameType.CANCEL)) {
                items.add(accepted.eventId());
                return accepted;
            }
            return null;
        }
        UUID reference = EventCodec.clearId(type, record.payload());
        if (reference == null) {
            return null;
        }
        boolean alertLevel = type == EventCodec.ALERT_ESCALATED || type == EventCodec.ALERT_STATUS_REPORTED;
        if (!(alertLevel ? reference.equals(alertId) : items.contains(reference))) {
            return null;
        }
        Event event = codec.decode(record);
        if (event instanceof Event.AlertStatusReported status && status.status() == AlertStatus.CLOSED) {
            closed = true;
        }
        return event;
    }

    public UUID alertId() {
        return alertId;
    }

    /** The record of the frame that opened the alert, or null while not yet seen. */
    public LogRecord press() {
        return press;
    }

    /** PANIC for a real alert, TEST for a test alarm; null while the press is not yet seen. */
    public FrameType pressType() {
        return pressType;
    }

    public long deviceId() {
        return deviceId;
    }

    /** A control room reported the alert CLOSED: later frames of the device belong to the next alert. */
    public boolean closed() {
        return closed;
    }
}
