package nl.aware.core.admin;

/**
 * A live administrative act that was not done, and why, in words for the person who asked (no personal
 * data, no parser text). Nothing was recorded when this is thrown.
 */
public final class AdministrationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of refusal: the API maps these to 400, 404, 409 and 503. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT, UNAVAILABLE }

    private final Kind kind;

    public AdministrationException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
