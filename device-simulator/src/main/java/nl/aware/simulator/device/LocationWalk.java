package nl.aware.simulator.device;

import nl.aware.core.protocol.Location;

import java.util.SplittableRandom;

/**
 * A carrier walking around a city: each step moves up to about 20 m, and a walk that strays more
 * than about 3 km from the centre is pulled back. Mostly GNSS fixes, now and then a coarser Wi-Fi
 * or cell fix. Not thread-safe: one per device, used on that device's event loop.
 */
final class LocationWalk {
    private static final double STEP_DEGREES = 0.0002;   // ~20 m north-south
    private static final double MAX_OFFSET_DEGREES = 0.03; // ~3 km

    private final City city;
    private final SplittableRandom random;
    private double latitude;
    private double longitude;
    private int battery;

    LocationWalk(City city, long seed) {
        this.city = city;
        this.random = new SplittableRandom(seed);
        this.latitude = city.latitude() + (random.nextDouble() - 0.5) * MAX_OFFSET_DEGREES;
        this.longitude = city.longitude() + (random.nextDouble() - 0.5) * MAX_OFFSET_DEGREES;
        this.battery = 40 + random.nextInt(61);
    }

    /** Takes one step and returns the fix a device would report there. */
    Location next() {
        latitude += (random.nextDouble() - 0.5) * STEP_DEGREES;
        longitude += (random.nextDouble() - 0.5) * STEP_DEGREES * 1.6; // a degree of longitude is shorter here
        if (Math.abs(latitude - city.latitude()) > MAX_OFFSET_DEGREES) {
            latitude = city.latitude() + (latitude - city.latitude()) / 2;
        }
        if (Math.abs(longitude - city.longitude()) > MAX_OFFSET_DEGREES * 1.6) {
            longitude = city.longitude() + (longitude - city.longitude()) / 2;
        }
        int roll = random.nextInt(20);
        int source = roll < 16 ? Location.SOURCE_GNSS : roll < 19 ? Location.SOURCE_WIFI : Location.SOURCE_CELL;
        int accuracy = switch (source) {
            case Location.SOURCE_GNSS -> 3 + random.nextInt(15);
            case Location.SOURCE_WIFI -> 20 + random.nextInt(60);
            default -> 200 + random.nextInt(800);
        };
        return new Location((int) Math.round(latitude * 1e7), (int) Math.round(longitude * 1e7), accuracy,
                random.nextInt(5), source, battery);
    }

    /** Battery percent; drains by one now and then, and a flat simulated battery is "recharged". */
    int battery() {
        if (random.nextInt(50) == 0) {
            battery = battery <= 5 ? 100 : battery - 1;
        }
        return battery;
    }

    City city() {
        return city;
    }
}
