package nl.aware.dispatch;

import nl.aware.dispatch.police.Courier;
import nl.aware.dispatch.police.DeliveryException;
import nl.aware.dispatch.police.Receipt;
import nl.aware.dispatch.work.DispatchItem;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A receiver whose answers the test gives, one call at a time, so that the order in which the
 * dispatcher starts work can be observed exactly. (The HTTP side is tested against the real
 * simulated control room in device-simulator.)
 */
final class ScriptedCourier implements Courier {
    /** One delivery the dispatcher started (on the named thread) and the test answers. */
    record Call(DispatchItem item, int attempt, CompletableFuture<Receipt> answer, String thread) {
        /** Started on {@link DispatchTestBed#regionLoop}. */
        boolean onRegionLoop() {
            return thread.startsWith("test-region-loop");
        }

        void accept() {
            answer.complete(new Receipt("scripted", "INC-" + item.itemId().toString().substring(0, 8)));
        }

        void fail(String problem) {
            answer.completeExceptionally(new DeliveryException("scripted", problem, false));
        }
    }

    private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    private final List<Call> history = new CopyOnWriteArrayList<>();
    private volatile boolean autoAccept;
    private volatile boolean throwNext;

    /** The next delivery throws before it starts, as a bug in building a request would. */
    void throwOnNext() {
        throwNext = true;
    }

    @Override
    public CompletableFuture<Receipt> deliver(DispatchItem item, int attempt) {
        if (throwNext) {
            throwNext = false;
            throw new IllegalStateException("scripted failure before sending");
        }
        Call call = new Call(item, attempt, new CompletableFuture<>(), Thread.currentThread().getName());
        history.add(call);
        if (autoAccept) {
            call.accept();
        } else {
            calls.add(call);
        }
        return call.answer();
    }

    void acceptEverything() {
        autoAccept = true;
        Call pending;
        while ((pending = calls.poll()) != null) {
            pending.accept();
        }
    }

    /** The next delivery the dispatcher starts; fails the test when none starts within 5 s. */
    Call next() throws InterruptedException {
        Call call = calls.poll(5, TimeUnit.SECONDS);
        if (call == null) {
            throw new AssertionError("the dispatcher started no delivery within 5 s");
        }
        return call;
    }

    /** Null when the dispatcher starts nothing within the time: used to show that work waits. */
    Call nextWithin(long millis) throws InterruptedException {
        return calls.poll(millis, TimeUnit.MILLISECONDS);
    }

    List<Call> history() {
        return history;
    }
}
