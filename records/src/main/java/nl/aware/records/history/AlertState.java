package nl.aware.records.history;

import nl.aware.core.event.AlertStatus;

import java.util.Locale;

/**
 * How far an alert got, in the order it normally goes. Only moves forward: a late or repeated report of
 * an earlier step does not take an alert back.
 */
public enum AlertState {
    /** Pressed and durable, not yet accepted by the police (or the test endpoint). */
    RAISED,
    /** The police took it (a Delivered of the alert itself). */
    DELIVERED,
    ACKNOWLEDGED,
    /** An operator recorded the verification outcome (listening in, no contact, ...). */
    VERIFIED,
    UNIT_DISPATCHED,
    ON_SCENE,
    CLOSED;

    public static AlertState of(AlertStatus status) {
        return switch (status) {
            case ACKNOWLEDGED -> ACKNOWLEDGED;
            case VERIFIED -> VERIFIED;
            case UNIT_DISPATCHED -> UNIT_DISPATCHED;
            case ON_SCENE -> ON_SCENE;
            case CLOSED -> CLOSED;
        };
    }

    /** The later of the two. */
    public AlertState advance(AlertState to) {
        return to.ordinal() > ordinal() ? to : this;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a label ("on-scene", "on_scene", "ON_SCENE"), naming the allowed ones when it is none of them. */
    public static AlertState parse(String text) {
        String wanted = text.trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (AlertState state : values()) {
            if (state.name().equals(wanted)) {
                return state;
            }
        }
        throw new IllegalArgumentException("alert state '" + text + "' is not known; choose one of raised, delivered, "
                + "acknowledged, verified, unit-dispatched, on-scene, closed");
    }
}
