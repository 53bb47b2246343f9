package nl.aware.core.log;

import java.io.IOException;

/** The log was closed before the append was accepted; the record was not written. */
public class LogClosedException extends IOException {
    private static final long serialVersionUID = 1L;

    public LogClosedException(String message) {
        super(message);
    }
}
