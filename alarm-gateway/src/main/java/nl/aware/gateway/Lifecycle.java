package nl.aware.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What a server start has brought up so far, as a stack: {@link #close} stops it in the reverse order,
 * the one path for a start that failed half-way and for a normal stop. The event store, started first,
 * is closed last, so it writes and fsyncs every append the others made while stopping.
 *
 * <p>Not thread-safe: the start-up thread fills it, one closer empties it.
 */
final class Lifecycle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    private record Component(String name, AutoCloseable closeable) {
    }

    private final Deque<Component> owned = new ArrayDeque<>();

    /**
     * Takes charge of stopping a component; returns it. Called just before the component starts (its close
     * must then be safe whether its start ran, failed half-way or never came) or just after.
     */
    <T extends AutoCloseable> T owns(String name, T component) {
        owned.push(new Component(name, component));
        return component;
    }

    /** The names of the components it owns, in the order they will be closed. */
    List<String> closingOrder() {
        List<String> names = new ArrayList<>();
        owned.forEach(component -> names.add(component.name()));
        return names;
    }

    /**
     * Closes every component it owns, the last taken first. A component that fails to close is logged at
     * ERROR and the rest are closed all the same (above all the log, which must still flush).
     */
    @Override
    public void close() {
        while (!owned.isEmpty()) {
            Component component = owned.pop();
            try {
                component.closeable().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.error("interrupted while closing the {}; closing the rest", component.name(), e);
            } catch (Exception e) {
                log.error("the {} did not close cleanly; closing the rest", component.name(), e);
            }
        }
    }
}
