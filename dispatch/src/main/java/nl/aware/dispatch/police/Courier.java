package nl.aware.dispatch.police;

import nl.aware.dispatch.work.DispatchItem;

import java.util.concurrent.CompletableFuture;

/** Carries one piece of work to its receiver once; retries are the dispatcher's business. */
public interface Courier {
    /** Completes with a receipt, or exceptionally with a {@link DeliveryException}. Never blocks. */
    CompletableFuture<Receipt> deliver(DispatchItem item, int attempt);

    /** True when, after a failure at {@code failedTarget}, the next attempt goes elsewhere (failover). */
    default boolean switchedFrom(String failedTarget) {
        return false;
    }
}
