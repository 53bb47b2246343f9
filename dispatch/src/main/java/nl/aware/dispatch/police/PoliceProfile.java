package nl.aware.dispatch.police;

/**
 * What officers need to know about the carrier, registered in advance with Kadera. Personal data:
 * {@link #toString()} is redacted so it cannot reach a log line.
 */
public record PoliceProfile(String name, String photoReference, String threatDescription,
                            String aggressorDescription, String notes) {
    /** The part of a carrier's registration that is meant for officers. */
    public static PoliceProfile of(nl.aware.core.carrier.CarrierProfile carrier) {
        return new PoliceProfile(carrier.name(), carrier.photoReference(), carrier.threatDescription(),
                carrier.aggressorDescription(), carrier.policeNotes());
    }

    @Override
    public String toString() {
        return "PoliceProfile[redacted]";
    }
}
