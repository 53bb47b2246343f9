package nl.aware.core.crypto;

/** A sealed value did not open: altered, truncated, or sealed with a key that is not here. */
public class SealedDataException extends Exception {
    public SealedDataException(String message) {
        super(message);
    }
}
