package nl.aware.core.event;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The police regions Kadera serves. A carrier and their device belong to exactly one. */
public enum Region {
    IJSSELLAND(1), TWENTE(2);

    private final int code;

    Region(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public String label() {
        return name().toLowerCase();
    }

    public static Region ofCode(int code) {
        for (Region region : values()) {
            if (region.code == code) {
                return region;
            }
        }
        throw new IllegalArgumentException("unknown region code " + code);
    }

    /** Parses a user's input, case-insensitive, with a message listing what is allowed. */
    public static Region parse(String text) {
        for (Region region : values()) {
            if (region.name().equalsIgnoreCase(text.trim())) {
                return region;
            }
        }
        throw new IllegalArgumentException("region '" + text + "' is not served; choose one of "
                + Arrays.stream(values()).map(Region::label).collect(Collectors.joining(", ")));
    }
}
