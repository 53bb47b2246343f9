package nl.aware.records.history;

import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.log.LogRecord;
import nl.aware.core.protocol.DeviceCommand;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameType;

import nl.aware.core.state.OpenAlarms;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The one rule for which log records belong to an alert (docs/evidence.md, "What goes in"), fed the
 * log in order. The alert id is the event id of the frame that opened it. A PANIC alert holds that press;
 * the later PANIC, LOCATION and CANCEL frames up to the control room's CLOSED of every device whose press
 * would join it, which {@link OpenAlarms} decides as it does for dispatch (one carrier, one open alert: the
 * carrier's other devices too); and the dispatch records that refer to one of those frames (Delivered,
 * DeliveryFailed, WorkShed) or to the alert (AlertEscalated, AlertStatusReported, also after the close). A
 * TEST alert holds its one frame and the dispatch records about it. Used by the evidence bundle and the
 * alert history alike.
 *
 * <p>Sound (docs/listen-in.md): a PANIC alert also holds the {@code CommandSent} records that name it, and the
 * AUDIO frames of its streams: the stream of each of its presses (stream id = the PANIC's counter, from that
 * press's device) and of each LISTEN sent for it (stream id = the command id, from the device it was sent to),
 * up to the close like every frame.
 *
 * <p>Sealed frames are opened only from the press on; before it the clear event id is enough (and the
 * clear hand-overs of devices to carriers, which say whose devices join).
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
    /** The alert's audio streams: device id → stream ids (its presses' counters and its LISTENs' command ids). */
    private final Map<Long, Set<Long>> streams = new HashMap<>();
    /** Which carrier each device is handed to, from the log so far: who shares an alert. */
    private final Map<Long, UUID> carrierOfDevice = new HashMap<>();
    /** The rule of which alert a press opens or joins, fed this log's presses from ours on. */
    private final OpenAlarms openAlarms = new OpenAlarms(device -> Optional.ofNullable(carrierOfDevice.get(device)));

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
        if (type == EventCodec.DEVICE_ASSIGNED) {
            if (codec.decode(record) instanceof Event.DeviceAssigned assigned) {
                carrierOfDevice.put(assigned.deviceId(), assigned.carrierId());
            }
            return null;
        }
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
            if (frameType == FrameType.PANIC) {
                openAlarms.press(deviceId, alertId, opened.receiveTimeMs());
                stream(deviceId, opened.frame().counter());
            }
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
            boolean ours;
            if (frame.type() == FrameType.PANIC) {
                ours = openAlarms.press(frame.deviceId(), accepted.eventId(), accepted.receiveTimeMs()).alertId()
                        .equals(alertId);
            } else if (frame.type() == FrameType.LOCATION || frame.type() == FrameType.CANCEL) {
                ours = openAlarms.of(frame.deviceId()).filter(open -> open.alertId().equals(alertId)).isPresent();
            } else if (frame.type() == FrameType.AUDIO) {
                ours = streams.getOrDefault(frame.deviceId(), Set.of()).contains(frame.audio().streamId());
            } else {
                ours = false;
            }
            if (ours && frame.type() == FrameType.PANIC) {
                stream(frame.deviceId(), frame.counter());
            }
            if (ours) {
                items.add(accepted.eventId());
                return accepted;
            }
            return null;
        }
        if (type == EventCodec.COMMAND_SENT) {
            if (pressType == FrameType.PANIC && codec.decode(record) instanceof Event.CommandSent sent
                    && alertId.equals(sent.alertId())) {
                if (sent.command() == DeviceCommand.LISTEN) {
                    stream(sent.deviceId(), sent.commandId());
                }
                return sent;
            }
            return null;
        }
        if (type == EventCodec.LISTENING_STARTED || type == EventCodec.LISTENING_ENDED) {
            Event event = codec.decode(record);
            UUID listenedTo = event instanceof Event.ListeningStarted started ? started.alertId()
                    : ((Event.ListeningEnded) event).alertId();
            return alertId.equals(listenedTo) ? event : null;
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
            openAlarms.close(alertId);
        }
        return event;
    }

    private void stream(long device, long streamId) {
        streams.computeIfAbsent(device, d -> new HashSet<>()).add(streamId);
    }

    /** Whether the device's stream {@code streamId} is one of the alert's (so far in the log). */
    public boolean isStream(long device, long streamId) {
        return streams.getOrDefault(device, Set.of()).contains(streamId);
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

    /** The device whose press opened the alert (later presses of the carrier's other devices join it). */
    public long deviceId() {
        return deviceId;
    }

    /** A control room reported the alert CLOSED: later frames of the device belong to the next alert. */
    public boolean closed() {
        return closed;
    }
}
