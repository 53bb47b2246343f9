package nl.aware.core.state;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The alert each device has open. The first PANIC opens an alert whose id is that press's event id;
 * a later PANIC while it is open is a repeated press on the same alert, never a second incident.
 * Closing follows the police lifecycle (dispatch module).
 */
public final class OpenAlarms {

    /** An open alert: the id given to the police and how often the carrier pressed. */
    public record Alarm(UUID alertId, long deviceId, long openedAtMs, int presses) {
    }

    private final Map<Long, Alarm> open = new ConcurrentHashMap<>();

    /** Records a durable PANIC; returns the alert it opened or joined. */
    public Alarm press(long deviceId, UUID eventId, long receiveTimeMs) {
        return open.merge(deviceId, new Alarm(eventId, deviceId, receiveTimeMs, 1),
                (existing, fresh) -> new Alarm(existing.alertId(), deviceId, existing.openedAtMs(), existing.presses() + 1));
    }

    public Optional<Alarm> of(long deviceId) {
        return Optional.ofNullable(open.get(deviceId));
    }

    public int size() {
        return open.size();
    }
}
