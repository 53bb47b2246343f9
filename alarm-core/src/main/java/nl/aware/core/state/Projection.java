package nl.aware.core.state;

import nl.aware.core.event.Event;
import nl.aware.core.log.LogRecord;

/**
 * A view built from the log by another module (dispatch work, device supervision). It sees every
 * durable event once, in log order, after the core projections, during replay and live alike.
 * Called on the replaying thread or the log writer thread: it must not block.
 */
public interface Projection {
    void apply(LogRecord record, Event event);
}
