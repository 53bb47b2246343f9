package nl.aware.core.carrier;

import java.util.ArrayList;
import java.util.List;

/**
 * What Kadera's intake established about a carrier, and what the police need to know when the carrier
 * presses: personal data of the most sensitive kind. Stored only sealed (AES-256-GCM); {@link #toString()}
 * is redacted so a profile can never reach a log line.
 */
public record CarrierProfile(String name, String phone, String photoReference, String threatDescription,
                             String aggressorDescription, String policeNotes, Eligibility eligibility,
                             boolean recordsAfterPress) {

    /**
     * A profile without consent to recording after a press (profiles registered before listen-in read so).
     *
     * <p>{@code recordsAfterPress}: the carrier agreed at intake that the device records sound by itself after
     * a press (evidence); without it, such audio is refused and audited. A LISTEN asked by an operator is not
     * covered by this consent (police policy, DESIGN.md "ADP/1 additions").
     */
    public CarrierProfile(String name, String phone, String photoReference, String threatDescription,
                          String aggressorDescription, String policeNotes, Eligibility eligibility) {
        this(name, phone, photoReference, threatDescription, aggressorDescription, policeNotes, eligibility, false);
    }

    /** The same profile with the carrier's consent to recording after a press set to {@code consent}. */
    public CarrierProfile withRecordsAfterPress(boolean consent) {
        return new CarrierProfile(name, phone, photoReference, threatDescription, aggressorDescription, policeNotes,
                eligibility, consent);
    }

    /**
     * Kadera's criteria for handing out an alarm; all must hold.
     *
     * @param registeredAfterIntake registered with Kadera after an intake interview
     * @param livesInRegion         lives in IJsselland or Twente
     * @param agreesToFileReport    agrees to file a police report after each alert
     * @param realisticRisk         realistic risk of meeting the aggressor
     * @param noContactWithAggressor no contact with the ex-partner or aggressor
     */
    public record Eligibility(boolean registeredAfterIntake, boolean livesInRegion, boolean agreesToFileReport,
                              boolean realisticRisk, boolean noContactWithAggressor) {

        /** The criteria not met, in words; empty when eligible. */
        public List<String> unmet() {
            List<String> unmet = new ArrayList<>();
            if (!registeredAfterIntake) {
                unmet.add("registered with Kadera after an intake interview");
            }
            if (!livesInRegion) {
                unmet.add("lives in the region");
            }
            if (!agreesToFileReport) {
                unmet.add("agrees to file a police report after each alert");
            }
            if (!realisticRisk) {
                unmet.add("realistic risk of meeting the aggressor");
            }
            if (!noContactWithAggressor) {
                unmet.add("no contact with the ex-partner");
            }
            return unmet;
        }
    }

    /** Longest text field: a police screen is no place for essays, and the record has a size limit. */
    public static final int MAX_FIELD = 4000;

    public CarrierProfile {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a carrier needs a name");
        }
        for (String field : new String[] {name, phone, photoReference, threatDescription, aggressorDescription, policeNotes}) {
            if (field == null) {
                throw new IllegalArgumentException("profile fields may be empty but not missing");
            }
            if (field.length() > MAX_FIELD) {
                throw new IllegalArgumentException("a profile field is longer than " + MAX_FIELD + " characters");
            }
        }
    }

    @Override
    public String toString() {
        return "CarrierProfile[redacted]";
    }
}
