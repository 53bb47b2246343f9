package nl.aware.dispatch.police;

import java.util.Optional;

/**
 * Where dispatch finds the carrier's police profile for a device. A missing profile never holds an
 * alert back: the alert goes out marked "profile unavailable".
 */
@FunctionalInterface
public interface CarrierDirectory {
    Optional<PoliceProfile> profileOf(long deviceId);

    static CarrierDirectory none() {
        return deviceId -> Optional.empty();
    }
}
