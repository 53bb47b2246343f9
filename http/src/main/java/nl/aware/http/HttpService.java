package nl.aware.http;

/**
 * A server's own routes. Called on the toolkit's worker group (never an event loop), once per whole,
 * well-formed request; it answers through {@link HttpExchange#respond} exactly once, now or later.
 * A RuntimeException thrown here becomes a 500 with a fixed sentence and a server-log line.
 */
@FunctionalInterface
public interface HttpService {
    void serve(HttpExchange exchange);
}
