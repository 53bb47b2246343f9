package nl.aware.gateway;

import nl.aware.core.state.CarrierRegistry;
import nl.aware.dispatch.police.CarrierDirectory;
import nl.aware.dispatch.police.PoliceProfile;

import java.util.Optional;

/** The police profile of a device's carrier, from the carrier registry the log rebuilds. */
final class RegistryCarriers implements CarrierDirectory {
    private final CarrierRegistry registry;

    RegistryCarriers(CarrierRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Optional<PoliceProfile> profileOf(long deviceId) {
        return registry.ofDevice(deviceId).map(carrier -> PoliceProfile.of(carrier.profile()));
    }
}
