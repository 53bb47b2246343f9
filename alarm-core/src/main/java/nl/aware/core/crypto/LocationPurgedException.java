package nl.aware.core.crypto;

/**
 * A sealed location cannot be opened because the retention purge destroyed its key on purpose. The message is
 * what readers show instead of the location, e.g. "location purged on 2026-11-25 under retention policy P90D".
 */
public final class LocationPurgedException extends SealedDataException {
    public LocationPurgedException(String message) {
        super(message);
    }
}
