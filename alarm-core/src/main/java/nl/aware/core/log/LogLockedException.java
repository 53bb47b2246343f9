package nl.aware.core.log;

import java.io.IOException;

/** The log directory is already opened by another {@link EventLog} (another process, or this one). */
public class LogLockedException extends IOException {
    private static final long serialVersionUID = 1L;

    public LogLockedException(String message) {
        super(message);
    }
}
