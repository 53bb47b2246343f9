package nl.aware.core.state;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The alert each device has open. The first PANIC opens an alert whose id is that press's event id;
 * a later PANIC while it is open is a repeated press on the same alert, never a second incident.
 * The alert stays open until a control room reports it closed.
 */
public final class OpenAlarms {

    /** An open alert: the id given to the police and how often the carrier pressed. */
    public record Alarm(UUID alertId, long deviceId, long openedAtMs, int presses) {
    }

    private final Map<Long, Alarm> byDevice = new ConcurrentHashMap<>();
    private final Map<UUID, Long> deviceByAlert = new ConcurrentHashMap<>();

    /** Records a durable PANIC; returns the alert it opened or joined. */
    public Alarm press(long deviceId, UUID eventId, long receiveTimeMs) {
        Alarm alarm = byDevice.merge(deviceId, new Alarm(eventId, deviceId, receiveTimeMs, 1),
                (existing, fresh) -> new Alarm(existing.alertId(), deviceId, existing.openedAtMs(), existing.presses() + 1));
        deviceByAlert.put(alarm.alertId(), deviceId);
        return alarm;
    }

    /** The control room closed the alert: the carrier's next press is a new incident. */
    public void close(UUID alertId) {
        Long deviceId = deviceByAlert.remove(alertId);
        if (deviceId != null) {
            byDevice.remove(deviceId, byDevice.get(deviceId));
        }
    }

    public Optional<Alarm> of(long deviceId) {
        return Optional.ofNullable(byDevice.get(deviceId));
    }

    public Optional<Alarm> byAlert(UUID alertId) {
        Long deviceId = deviceByAlert.get(alertId);
        return deviceId == null ? Optional.empty() : of(deviceId);
    }

    public int size() {
        return byDevice.size();
    }
}
