package nl.aware.core.concurrent;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertSame;

class FuturesTest {

    @Test
    void cause_ofADependentStage_isTheOriginalFailure() {
        IOException diskFull = new IOException("disk full");
        Throwable[] seen = new Throwable[1];
        CompletableFuture.<String>failedFuture(diskFull).thenApply(String::length).thenApply(n -> n + 1)
                .whenComplete((value, failure) -> seen[0] = failure);
        assertSame(diskFull, Futures.cause(seen[0]));
    }

    @Test
    void cause_looksThroughNestedWrappers() {
        IllegalStateException original = new IllegalStateException("x");
        assertSame(original, Futures.cause(new CompletionException(new CompletionException(original))));
    }

    @Test
    void cause_ofAnUnwrappedFailure_isTheFailureItself() {
        IOException failure = new IOException("refused");
        assertSame(failure, Futures.cause(failure));
    }

    @Test
    void cause_ofAWrapperWithoutCause_isTheWrapper() {
        CompletionException empty = new CompletionException("no cause", null);
        assertSame(empty, Futures.cause(empty));
    }
}
