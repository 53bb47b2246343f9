package nl.aware.simulator.device;

/** Where a simulated carrier lives: the two Kadera regions of the pilot (IJsselland and Twente). */
public enum City {
    ZWOLLE(52.5168, 6.0830),
    ENSCHEDE(52.2215, 6.8937);

    private final double latitude;
    private final double longitude;

    City(double latitude, double longitude) {
        this.latitude = latitude;
        this.longitude = longitude;
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
