package nl.aware.http;

/** The toolkit's pipeline, by handler name, in order (see {@link HttpPipeline} for why each sits where it does). */
public final class HandlerNames {
    /** On the server (parent) channel: refuses a connection over the cap before its pipeline exists. */
    public static final String CONNECTION_LIMIT = "connection-limit";
    /** TLS 1.3 first, when configured: nothing is parsed before the handshake. */
    public static final String TLS = "tls";
    /** A connection that neither sends nor receives for a while is closed. */
    public static final String IDLE = "idle";
    /** Starts a request's deadline at its first byte (headers and body must arrive within it). */
    public static final String DEADLINE_START = "deadline-start";
    /** HTTP/1.1 decoder and encoder with capped line and header sizes. */
    public static final String HTTP = "http";
    /** Outbound: security headers and Cache-Control on every response, the codec's own errors included. */
    public static final String RESPONSE_HEADERS = "response-headers";
    /** Whole requests, capped; a declared oversize body is refused from its header, before buffering. */
    public static final String AGGREGATOR = "aggregator";
    /** Ends the request's deadline: the request is complete. */
    public static final String DEADLINE_END = "deadline-end";
    /** The server's own routes, on the worker group, never the event loop. */
    public static final String SERVICE = "service";

    private HandlerNames() {
    }
}
