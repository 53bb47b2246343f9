package nl.aware.http;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How a toolkit server listens and what it tolerates. Start from {@link #of} (the defaults below) and
 * change what differs with the {@code with...} methods.
 *
 * @param name            for log lines and thread names ("staff API", "control-room callback"...)
 * @param bindAddress     where to listen
 * @param port            TCP port, 0 for any free port
 * @param tls             TLS 1.3 with the deployment's certificate; null for plain HTTP (operations port only)
 * @param maxConnections  connections open at once; more are reset at accept
 * @param requestDeadline a request's headers and body must arrive within this, from its first byte
 * @param idleTimeout     a connection with no traffic either way for this long is closed
 * @param maxHeaderBytes  request line and headers, each capped at this
 * @param maxBodyBytes    request body cap; a larger declared length is refused before it is read
 * @param workerThreads   threads the service runs on (bounds concurrent blocking work such as hashing); 0 runs
 *                        it on the connection's event loop, for a service that never blocks (saves two thread
 *                        hand-offs per request)
 * @param headers         security headers on every answer
 * @param proxy           whose {@code X-Forwarded-For} to honour
 */
public record HttpServerSettings(String name, InetAddress bindAddress, int port, ServerTls tls, int maxConnections,
                                 Duration requestDeadline, Duration idleTimeout, int maxHeaderBytes, int maxBodyBytes,
                                 int workerThreads, SecurityHeaders headers, TrustedProxy proxy) {
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_HEADER_BYTES = 8192;
    public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024;

    public HttpServerSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(proxy, "proxy");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " port must be 0..65535, was " + port);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException(name + " connection cap must be at least 1, was " + maxConnections);
        }
        if (requestDeadline.isNegative() || requestDeadline.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException(name + " request deadline and idle timeout must be positive");
        }
        if (maxHeaderBytes < 256 || maxBodyBytes < 0 || workerThreads < 0) {
            throw new IllegalArgumentException(name + " needs headers of at least 256 bytes, a body cap >= 0 and"
                    + " workers >= 0 (0: on the event loop)");
        }
    }

    /** Defaults: 256 connections, 10 s per request, 60 s idle, 8 KiB headers, 16 KiB bodies, one worker. */
    public static HttpServerSettings of(String name, InetAddress bindAddress, int port, ServerTls tls) {
        return new HttpServerSettings(name, bindAddress, port, tls, DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_DEADLINE,
                DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_BODY_BYTES, 1, SecurityHeaders.forMachines(),
                TrustedProxy.none());
    }

    public HttpServerSettings withMaxConnections(int value) {
        return new HttpServerSettings(name, bindAddress, port, tls, value, requestDeadline, idleTimeout, maxHeaderBytes,
                maxBodyBytes, workerThreads, headers, proxy);
    }

    public HttpServerSettings withRequestDeadline(Duration value) {
        return new HttpServerSettings(name, bindAddress, port, tls, maxConnections, value, idleTimeout, maxHeaderBytes,
                maxBodyBytes, workerThreads, headers, proxy);
    }

    public HttpServerSettings withIdleTimeout(Duration value) {
        return new HttpServerSettings(name, bindAddress, port, tls, maxConnections, requestDeadline, value, maxHeaderBytes,
                maxBodyBytes, workerThreads, headers, proxy);
    }

    public HttpServerSettings withMaxBodyBytes(int value) {
        return new HttpServerSettings(name, bindAddress, port, tls, maxConnections, requestDeadline, idleTimeout,
                maxHeaderBytes, value, workerThreads, headers, proxy);
    }

    public HttpServerSettings withWorkerThreads(int value) {
        return new HttpServerSettings(name, bindAddress, port, tls, maxConnections, requestDeadline, idleTimeout,
                maxHeaderBytes, maxBodyBytes, value, headers, proxy);
    }

    public HttpServerSettings withHeaders(SecurityHeaders value) {
        return new HttpServerSettings(name, bindAddress, port, tls, maxConnections, requestDeadline, idleTimeout,
                maxHeaderBytes, maxBodyBytes, workerThreads, value, proxy);
    }

    public HttpServerSettings withProxy(TrustedProxy value) {
        return new HttpServerSettings(name, bindAddress, port, tls, maxConnections, requestDeadline, idleTimeout,
                maxHeaderBytes, maxBodyBytes, workerThreads, headers, value);
    }
}
