package nl.aware.dispatch;

import java.util.Locale;

/**
 * Who receives a region's alerts: the control room's own system through the police API, operators in the
 * control-room console, or both. An acknowledgement in either counts as the police accepting the alert.
 */
public enum Receivers {
    /** The police API only (docs/police-api.md). */
    EXTERNAL,
    /** The control-room console only: no police endpoint; with no operator signed in every PANIC escalates at once. */
    CONSOLE,
    /** The police API and the console at once. */
    BOTH;

    public boolean external() {
        return this != CONSOLE;
    }

    public boolean console() {
        return this != EXTERNAL;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Receivers parse(String label) {
        for (Receivers receivers : values()) {
            if (receivers.label().equals(label)) {
                return receivers;
            }
        }
        throw new IllegalArgumentException("'" + label + "' is not external, console or both");
    }
}
