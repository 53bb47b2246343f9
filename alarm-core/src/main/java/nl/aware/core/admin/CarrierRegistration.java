package nl.aware.core.admin;

import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;

import java.util.List;
import java.util.UUID;

/** The one way a carrier gets registered: eligibility checked, then a new carrier id. */
public final class CarrierRegistration {
    private CarrierRegistration() {
    }

    /**
     * @throws IllegalArgumentException naming every criterion that is not met (nothing is recorded then)
     */
    public static Event.CarrierRegistered of(Region region, CarrierProfile profile) {
        List<String> unmet = profile.eligibility().unmet();
        if (!unmet.isEmpty()) {
            throw new IllegalArgumentException("not eligible for an AWARE alarm; not met: " + String.join("; ", unmet));
        }
        return new Event.CarrierRegistered(UUID.randomUUID(), region, profile);
    }
}
