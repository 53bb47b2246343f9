package nl.aware.gateway;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one stack a server start fills and a failed start or a stop empties. */
class LifecycleTest {
    private final List<String> closed = new ArrayList<>();

    private AutoCloseable component(String name) {
        return () -> closed.add(name);
    }

    @Test
    void close_stopsTheLastStartedFirst() {
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.owns("event store", component("event store"));
        lifecycle.owns("dispatch", component("dispatch"));
        lifecycle.owns("device gateway", component("device gateway"));
        assertEquals(List.of("device gateway", "dispatch", "event store"), lifecycle.closingOrder());

        lifecycle.close();
        assertEquals(List.of("device gateway", "dispatch", "event store"), closed);
    }

    @Test
    void aComponentThatFailsToClose_doesNotKeepTheOthersOpen() {
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.owns("event store", component("event store"));
        lifecycle.owns("dispatch", () -> {
            throw new IllegalStateException("stuck");
        });
        lifecycle.owns("device gateway", component("device gateway"));

        lifecycle.close();
        assertEquals(List.of("device gateway", "event store"), closed, "the log is closed after all");
    }

    @Test
    void close_closesEachComponentOnce() {
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.owns("event store", component("event store"));
        lifecycle.close();
        lifecycle.close();
        assertEquals(List.of("event store"), closed);
        assertEquals(List.of(), lifecycle.closingOrder());
    }
}
