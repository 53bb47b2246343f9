package nl.aware.core.log;

import java.io.IOException;

/** The append queue is full ({@code maxPendingAppends} waiting); the caller should shed load or retry later. */
public class LogOverloadedException extends IOException {
    private static final long serialVersionUID = 1L;

    public LogOverloadedException(String message) {
        super(message);
    }

    /** Thrown in bulk under overload: no stack trace, it would only cost time. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
