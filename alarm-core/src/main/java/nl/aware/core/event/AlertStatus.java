package nl.aware.core.event;

/** The steps a control room reports for an alert, in the order they normally come. */
public enum AlertStatus {
    ACKNOWLEDGED(1), UNIT_DISPATCHED(2), ON_SCENE(3), CLOSED(4);

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
        throw new IllegalArgumentException("unknown alert status '" + label + "'");
    }
}
