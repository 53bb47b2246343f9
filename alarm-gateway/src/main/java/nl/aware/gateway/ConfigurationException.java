package nl.aware.gateway;

/** A setting or a file the server needs is missing or wrong. The message says which and what to do. */
public final class ConfigurationException extends Exception {
    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
