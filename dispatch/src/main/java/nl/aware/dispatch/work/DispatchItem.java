package nl.aware.dispatch.work;

import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.protocol.DeviceFrame;

import java.util.UUID;

/**
 * One piece of dispatch work. Its id is the event id of the frame that caused it, which is also the
 * idempotency key the receiver sees: a retry, or a re-send after a restart, carries the same id.
 *
 * @param alertId  the alert it belongs to (its own id for a new alert or a test alert; null for a notice)
 * @param sequence log sequence of the causing event: FIFO order within a priority
 * @param frame    the device frame behind it; null for a device notice
 * @param presses  for a press: how many presses the alert has now
 * @param notice   for a device notice: what supervision found; else null
 * @param step     for a lifecycle update: the step an operator recorded in the console; else null
 * @param listening for a lifecycle update: whether the alert was verified by listening and sound was recorded; else null
 */
public record DispatchItem(UUID itemId, WorkKind kind, Region region, UUID alertId, long sequence,
                           long receiveTimeMs, DeviceFrame frame, boolean delayed, int presses,
                           Event.DeviceNotice notice, Event.AlertStatusReported step, ListeningFacts listening) {

    public DispatchItem(UUID itemId, WorkKind kind, Region region, UUID alertId, long sequence, long receiveTimeMs,
                        DeviceFrame frame, boolean delayed, int presses, Event.DeviceNotice notice,
                        Event.AlertStatusReported step) {
        this(itemId, kind, region, alertId, sequence, receiveTimeMs, frame, delayed, presses, notice, step,
                step == null ? null : ListeningFacts.NONE);
    }

    public DispatchItem(UUID itemId, WorkKind kind, Region region, UUID alertId, long sequence, long receiveTimeMs,
                        DeviceFrame frame, boolean delayed, int presses, Event.DeviceNotice notice) {
        this(itemId, kind, region, alertId, sequence, receiveTimeMs, frame, delayed, presses, notice, null);
    }

    /** The device the work is about. */
    public long deviceId() {
        return frame != null ? frame.deviceId() : notice.deviceId();
    }

    public Priority priority() {
        return kind.priority();
    }

    @Override
    public String toString() {
        return "DispatchItem[" + kind.label() + " " + itemId + ", alert " + alertId + ", " + region.label() + "]";
    }
}
