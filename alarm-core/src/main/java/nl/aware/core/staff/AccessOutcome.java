package nl.aware.core.staff;

/** How a staff request or login attempt ended, as the access trail records it. Codes are permanent. */
public enum AccessOutcome {
    /** Allowed (a login that succeeded, a read that was served). */
    ALLOWED(1),
    /** No token, or an unknown, expired or logged-out one: HTTP 401. */
    UNAUTHENTICATED(2),
    /** A valid session whose role lacks the permission: HTTP 403. */
    FORBIDDEN(3),
    /** Login refused: wrong password for an existing account. */
    WRONG_PASSWORD(4),
    /** Login refused: no such account (the name tried is not recorded: it may be a mistyped password). */
    UNKNOWN_ACCOUNT(5),
    /** Login refused: the account is disabled. */
    ACCOUNT_DISABLED(6),
    /** Login refused without checking the password: too many recent failures for the account or source. */
    THROTTLED(7),
    /** Login refused at the second step: a wrong, reused or expired TOTP or recovery code. */
    WRONG_SECOND_FACTOR(8);

    private final int code;

    AccessOutcome(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean allowed() {
        return this == ALLOWED;
    }

    public static AccessOutcome ofCode(int code) {
        for (AccessOutcome outcome : values()) {
            if (outcome.code == code) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("unknown access outcome code " + code);
    }
}
