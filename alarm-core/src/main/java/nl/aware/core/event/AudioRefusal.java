package nl.aware.core.event;

/** Why an AUDIO frame was refused with NACK 8 and not kept. Codes are permanent (log records). */
public enum AudioRefusal {
    /** The streamId is neither the PANIC of an open alert of this device nor a LISTEN sent to it. */
    UNKNOWN_STREAM(1, "no open alert or LISTEN of this device has this stream"),
    /** Audio after a press from a device whose carrier did not agree at intake to recording after a press. */
    NO_CONSENT(2, "the carrier did not agree to recording after a press");

    private final int code;
    private final String label;

    AudioRefusal(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    public String label() {
        return label;
    }

    public static AudioRefusal ofCode(int code) {
        for (AudioRefusal refusal : values()) {
            if (refusal.code == code) {
                return refusal;
            }
        }
        throw new IllegalArgumentException("unknown audio refusal " + code);
    }
}
