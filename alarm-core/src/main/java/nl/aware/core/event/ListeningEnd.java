package nl.aware.core.event;

/** Why an operator's listening session ended (record 45). Codes are permanent (log records). */
public enum ListeningEnd {
    /** The operator pressed stop. */
    STOPPED(1, "stopped"),
    /** The console's audio stream closed (page closed, network gone) or was never opened. */
    STREAM_CLOSED(2, "stream_closed"),
    /** The alert was closed. */
    ALERT_CLOSED(3, "alert_closed"),
    /** The device had no open connection: nothing was sent. */
    NOT_CONNECTED(4, "not_connected"),
    /** The device did not answer the LISTEN within 10 s. */
    NO_ANSWER(5, "no_answer"),
    /** The device answered that it will not listen (refused, not supported, failed). */
    REFUSED(6, "refused"),
    /** The device ended its stream (its last frame came). */
    DEVICE_ENDED(7, "device_ended"),
    /** The operator's session ended (logout, disabled, limit) or the server stopped. */
    SESSION_ENDED(8, "session_ended");

    private final int code;
    private final String label;

    ListeningEnd(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    /** The word the API and the console use. */
    public String label() {
        return label;
    }

    public static ListeningEnd ofCode(int code) {
        for (ListeningEnd end : values()) {
            if (end.code == code) {
                return end;
            }
        }
        throw new IllegalArgumentException("unknown listening end " + code);
    }
}
