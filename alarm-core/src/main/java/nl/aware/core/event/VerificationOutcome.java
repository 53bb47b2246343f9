package nl.aware.core.event;

import java.util.Locale;

/**
 * What the operator found when verifying an alert (Dutch police give a panic alarm top priority only once
 * it is verified). Codes are permanent (they are in the log).
 */
public enum VerificationOutcome {
    /** The operator listened in and heard the threat: the alarm is real. */
    CONFIRMED_BY_LISTENING(1),
    /** Listening in or contact showed there is no danger. */
    FALSE_ALARM(2),
    /** Nobody could be reached or heard. */
    NO_CONTACT(3),
    /** Verification could not be attempted (no audio, device unreachable). */
    NOT_POSSIBLE(4);

    private final int code;

    VerificationOutcome(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** As in the APIs: {@code confirmed_by_listening}, {@code false_alarm}, {@code no_contact}, {@code not_possible}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static VerificationOutcome ofCode(int code) {
        for (VerificationOutcome outcome : values()) {
            if (outcome.code == code) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("unknown verification outcome code " + code);
    }

    public static VerificationOutcome parse(String label) {
        for (VerificationOutcome outcome : values()) {
            if (outcome.label().equals(label)) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("unknown verification outcome '" + label
                + "': use confirmed_by_listening, false_alarm, no_contact or not_possible");
    }
}
