package nl.aware.core.event;

/**
 * The steps of an alert's lifecycle, declared in the only order they may happen ({@link AlertLifecycle}).
 * Codes are permanent (they are in the log); {@code VERIFIED} came later and so has the code 5.
 */
public enum AlertStatus {
    ACKNOWLEDGED(1), VERIFIED(5), UNIT_DISPATCHED(2), ON_SCENE(3), CLOSED(4);

    private final int code;

    AlertStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public String label() {
        return name().toLowerCase();
    }

    /** True when this step comes after {@code other} in the lifecycle. */
    public boolean after(AlertStatus other) {
        return ordinal() > other.ordinal();
    }

    public static AlertStatus ofCode(int code) {
        for (AlertStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown alert status code " + code);
    }

    public static AlertStatus parse(String label) {
        for (AlertStatus status : values()) {
            if (status.label().equals(label)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown alert status '" + label
                + "': use acknowledged, verified, unit_dispatched, on_scene or closed");
    }
}
