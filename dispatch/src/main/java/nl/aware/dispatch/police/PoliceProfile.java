package nl.aware.dispatch.police;

/**
 * What officers need to know about the carrier, registered in advance with Kadera. Personal data:
 * {@link #toString()} is redacted so it cannot reach a log line.
 */
public record PoliceProfile(String name, String photoReference, String threatDescription,
                            String aggressorDescription, String notes) {
    @Override
    public String toString() {
        return "PoliceProfile[redacted]";
    }
}
