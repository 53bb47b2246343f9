package nl.aware.simulator.device;

import nl.aware.core.event.Region;

/** Where a simulated carrier lives: the two Kadera regions of the pilot (IJsselland and Twente). */
public enum City {
    ZWOLLE(52.5168, 6.0830, Region.IJSSELLAND),
    ENSCHEDE(52.2215, 6.8937, Region.TWENTE);

    private final double latitude;
    private final double longitude;
    private final Region region;

    City(double latitude, double longitude, Region region) {
        this.latitude = latitude;
        this.longitude = longitude;
        this.region = region;
    }

    /** The police region a carrier living here is enrolled in. */
    public Region region() {
        return region;
    }

    public double latitude() {
        return latitude;
    }

    public double longitude() {
        return longitude;
    }

    /** Half the fleet in each city: even indexes Zwolle, odd Enschede. */
    public static City forIndex(int index) {
        return index % 2 == 0 ? ZWOLLE : ENSCHEDE;
    }
}
