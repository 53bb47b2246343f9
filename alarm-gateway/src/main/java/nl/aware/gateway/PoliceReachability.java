package nl.aware.gateway;

import nl.aware.core.event.Region;
import nl.aware.dispatch.DeliveryObserver;
import nl.aware.monitoring.health.HealthCheck;
import nl.aware.monitoring.health.RecentSuccess;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Readiness of the police route per region: down when a delivery has waited longer than the window
 * without any success; a quiet night with no alarms stays up.
 */
final class PoliceReachability implements DeliveryObserver {
    static final Duration WINDOW = Duration.ofMinutes(2);

    private final Map<Region, RecentSuccess> regions = new EnumMap<>(Region.class);

    PoliceReachability() {
        for (Region region : Region.values()) {
            regions.put(region, new RecentSuccess("police-" + region.label(), WINDOW));
        }
    }

    @Override
    public void attempted(Region region) {
        regions.get(region).attempted();
    }

    @Override
    public void delivered(Region region) {
        regions.get(region).succeeded();
    }

    /** One check per region that has an external police system (a console-only region has none to reach). */
    List<HealthCheck> checks(java.util.Set<Region> external) {
        return regions.entrySet().stream().filter(entry -> external.contains(entry.getKey()))
                .map(entry -> (HealthCheck) entry.getValue()).toList();
    }
}
