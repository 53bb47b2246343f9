package nl.aware.core.event;

/**
 * Where a lifecycle step was reported: by a control room's own system through the police callback, or by
 * an operator in the control-room console. Codes are permanent (they are in the log).
 */
public enum ReportChannel {
    /** The status callback of docs/police-api.md; the reporter is the control room's certificate name. */
    POLICE_SYSTEM(1),
    /** The control-room console; the reporter is the operator's account name. */
    CONSOLE(2);

    private final int code;

    ReportChannel(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ReportChannel ofCode(int code) {
        for (ReportChannel channel : values()) {
            if (channel.code == code) {
                return channel;
            }
        }
        throw new IllegalArgumentException("unknown report channel code " + code);
    }
}
