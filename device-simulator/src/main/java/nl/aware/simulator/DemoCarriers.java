package nl.aware.simulator;

import nl.aware.dispatch.police.CarrierDirectory;
import nl.aware.dispatch.police.PoliceProfile;

import java.util.Optional;

/**
 * Fictional carrier profiles for the demo, so the police screen shows what a real alert carries.
 * A deployment's profiles come from Kadera's encrypted carrier registry (issue 4), never from code.
 */
final class DemoCarriers implements CarrierDirectory {
    @Override
    public Optional<PoliceProfile> profileOf(long deviceId) {
        long n = deviceId - DemoCommand.FIRST_DEVICE_ID + 1;
        return Optional.of(new PoliceProfile("Demo Carrier " + n, "demo-photo-" + n,
                "fictional: threatened by an ex-partner", "fictional: aggressor description", "demo profile"));
    }
}
