package nl.aware.core.state;

import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registered carriers and the device each was handed; rebuilt from the log (where the profiles are
 * sealed). Held in memory only because the police need a profile within milliseconds of a press.
 */
public final class CarrierRegistry {

    /** A registered carrier; {@code ended} once their participation ended (no device can be handed to them). */
    public record Carrier(UUID carrierId, Region region, CarrierProfile profile, boolean ended) {
        public Carrier(UUID carrierId, Region region, CarrierProfile profile) {
            this(carrierId, region, profile, false);
        }
    }

    private final Map<UUID, Carrier> carriers = new ConcurrentHashMap<>();
    private final Map<Long, UUID> carrierOfDevice = new ConcurrentHashMap<>();

    public void apply(Event event) {
        if (event instanceof Event.CarrierRegistered registered) {
            carriers.put(registered.carrierId(), new Carrier(registered.carrierId(), registered.region(),
                    registered.profile()));
        } else if (event instanceof Event.DeviceAssigned assigned) {
            carrierOfDevice.put(assigned.deviceId(), assigned.carrierId());
        } else if (event instanceof Event.CarrierProfileUpdated updated) {
            // Like the eligibility, the consent to recording after a press stays as it was (RecordingConsentSet changes it).
            carriers.computeIfPresent(updated.carrierId(), (id, c) -> new Carrier(id, c.region(), new CarrierProfile(
                    updated.profile().name(), updated.profile().phone(), updated.profile().photoReference(),
                    updated.profile().threatDescription(), updated.profile().aggressorDescription(),
                    updated.profile().policeNotes(), c.profile().eligibility(), c.profile().recordsAfterPress()),
                    c.ended()));
        } else if (event instanceof Event.RecordingConsentSet consent) {
            carriers.computeIfPresent(consent.carrierId(), (id, c) -> new Carrier(id, c.region(),
                    c.profile().withRecordsAfterPress(consent.recordsAfterPress()), c.ended()));
        } else if (event instanceof Event.CarrierEnded ended) {
            carriers.computeIfPresent(ended.carrierId(), (id, c) -> new Carrier(id, c.region(), c.profile(), true));
        }
    }

    public Optional<Carrier> find(UUID carrierId) {
        return Optional.ofNullable(carriers.get(carrierId));
    }

    public Optional<Carrier> ofDevice(long deviceId) {
        UUID carrierId = carrierOfDevice.get(deviceId);
        return carrierId == null ? Optional.empty() : find(carrierId);
    }

    /** Every registered carrier (personal data: callers decide who may see which fields). */
    public java.util.Collection<Carrier> all() {
        return carriers.values();
    }

    /** The devices handed to a carrier, in id order. */
    public java.util.List<Long> devicesOf(UUID carrierId) {
        return carrierOfDevice.entrySet().stream().filter(e -> e.getValue().equals(carrierId)).map(Map.Entry::getKey)
                .sorted().toList();
    }

    public int size() {
        return carriers.size();
    }
}
