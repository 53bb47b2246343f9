package nl.aware.core.log;

import java.io.IOException;

/** The record was NOT made durable (write or fsync failed, or the log is in its failed state). */
public class LogWriteException extends IOException {
    private static final long serialVersionUID = 1L;

    public LogWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
