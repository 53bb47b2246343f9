package nl.aware.web.staff;

import nl.aware.http.EventStreamChannel;

/**
 * A route's answer that is not one body but a Server-Sent Events stream (text/event-stream, chunked, one
 * flush per event). The handler writes the response head and hands the open channel over; from then on the
 * stream owns the connection until it or the client closes it.
 */
@FunctionalInterface
public interface EventStream {
    /** Called once, on the connection's event loop, with the stream's head already written. Must not block. */
    void open(EventStreamChannel channel);
}
