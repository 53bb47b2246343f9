package nl.aware.redis;

import java.io.IOException;

/** The store cannot be used as configured: unreachable, not durable enough, or its log is damaged. */
public final class StoreUnavailableException extends IOException {
    public StoreUnavailableException(String message) {
        super(message);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
