package nl.aware.core.state;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * The alert each carrier has open. The first PANIC opens an alert whose id is that press's event id;
 * a later PANIC while it is open, from the same device or from another device handed to the same
 * carrier, is a repeated press on the same alert, never a second incident (DESIGN promise 3: the
 * carrier's alert). A device not handed to a carrier is its own holder. The alert stays open until a
 * control room reports it closed.
 *
 * <p>Thread-safety: applied on the log's one applying thread; read from any thread.
 */
public final class OpenAlarms {

    /**
     * An open alert: the id given to the police, the device whose press opened it and how often the
     * carrier pressed (on any of their devices).
     */
    public record Alarm(UUID alertId, long deviceId, long openedAtMs, int presses) {
    }

    /** Who holds an alert: the carrier a device is handed to, or the device itself. */
    private record Holder(UUID carrierId, long deviceId) {
    }

    private final LongFunction<Optional<UUID>> carrierOf;
    private final Map<Holder, Alarm> byHolder = new ConcurrentHashMap<>();
    private final Map<UUID, Holder> holderByAlert = new ConcurrentHashMap<>();

    /** Alerts per device (for readers of a log range that know no carriers). */
    public OpenAlarms() {
        this(deviceId -> Optional.empty());
    }

    /** Alerts per carrier, {@code carrierOf} telling which carrier a device is handed to. */
    public OpenAlarms(LongFunction<Optional<UUID>> carrierOf) {
        this.carrierOf = carrierOf;
    }

    private Holder holder(long deviceId) {
        return carrierOf.apply(deviceId).map(carrier -> new Holder(carrier, 0))
                .orElseGet(() -> new Holder(null, deviceId));
    }

    /** Records a durable PANIC; returns the alert it opened or joined. */
    public Alarm press(long deviceId, UUID eventId, long receiveTimeMs) {
        Holder holder = openHolder(deviceId);
        Alarm alarm = byHolder.merge(holder, new Alarm(eventId, deviceId, receiveTimeMs, 1),
                (existing, fresh) -> new Alarm(existing.alertId(), existing.deviceId(), existing.openedAtMs(),
                        existing.presses() + 1));
        holderByAlert.put(alarm.alertId(), holder);
        return alarm;
    }

    /** The holder whose alert is open for this device: its carrier's, or (opened before it was handed over) its own. */
    private Holder openHolder(long deviceId) {
        Holder holder = holder(deviceId);
        Holder own = new Holder(null, deviceId);
        return !byHolder.containsKey(holder) && byHolder.containsKey(own) ? own : holder;
    }

    /** The control room closed the alert: the carrier's next press is a new incident. */
    public void close(UUID alertId) {
        Holder holder = holderByAlert.remove(alertId);
        if (holder != null) {
            byHolder.computeIfPresent(holder, (h, alarm) -> alarm.alertId().equals(alertId) ? null : alarm);
        }
    }

    /** The alert open for this device's carrier (or the device itself), if any. */
    public Optional<Alarm> of(long deviceId) {
        return Optional.ofNullable(byHolder.get(openHolder(deviceId)));
    }

    public Optional<Alarm> byAlert(UUID alertId) {
        Holder holder = holderByAlert.get(alertId);
        return holder == null ? Optional.empty() : Optional.ofNullable(byHolder.get(holder));
    }

    public int size() {
        return byHolder.size();
    }
}
