package nl.aware.core.state;

import nl.aware.core.event.Event;
import nl.aware.core.protocol.FrameType;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every projection of the event log in one place: the same {@link #apply} runs during start-up replay
 * and after each live append, so a restarted server is in the state it was before.
 */
public final class ServerState {
    private final DeviceRegistry devices = new DeviceRegistry();
    private final Map<Long, CounterWindow> counters = new ConcurrentHashMap<>();
    private final OpenAlarms openAlarms = new OpenAlarms();

    /** Applies a durable event. Thread-safe; called from replay and from the log writer's callbacks. */
    public void apply(Event event) {
        if (event instanceof Event.FrameAccepted accepted) {
            long deviceId = accepted.frame().deviceId();
            counters(deviceId).restore(accepted.frame(), accepted.eventId());
            if (accepted.frame().type() == FrameType.PANIC) {
                openAlarms.press(deviceId, accepted.eventId(), accepted.receiveTimeMs());
            }
        } else {
            devices.apply(event);
        }
    }

    public DeviceRegistry devices() {
        return devices;
    }

    public CounterWindow counters(long deviceId) {
        return counters.computeIfAbsent(deviceId, id -> new CounterWindow());
    }

    public OpenAlarms openAlarms() {
        return openAlarms;
    }
}
