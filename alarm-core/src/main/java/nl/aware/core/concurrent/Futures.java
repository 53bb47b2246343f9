package nl.aware.core.concurrent;

import java.util.concurrent.CompletionException;

/** The one place that looks through the wrapper a failed {@link java.util.concurrent.CompletableFuture} adds. */
public final class Futures {
    private Futures() {
    }

    /**
     * The failure itself: a dependent stage of a failed future reports it wrapped in
     * {@link CompletionException} (the first stage does not), so callers deciding on the type of a
     * failure look through every wrapper first.
     */
    public static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
