package nl.aware.gateway.netty;

import java.time.Duration;

/**
 * The device gateway's settings, each checked where it is made so that a bad value is refused at
 * start-up with its name, never discovered under load.
 *
 * @param bindAddress              address to listen on
 * @param port                     TCP port for devices (0: any free port, for tests)
 * @param handshakeTimeout         a TLS handshake not done by then is cut off
 * @param idleTimeout              a connection silent this long is closed (several heartbeat intervals)
 * @param maxConnections           open device connections beyond this are refused at accept
 * @param maxInFlightPerConnection frames of one connection awaiting the log before it stops reading
 * @param ioThreads                event loop threads for device connections
 * @param frameDeadline            a frame must be complete this long after its first byte (a slow trickle is cut off)
 */
public record GatewayConfig(String bindAddress, int port, Duration handshakeTimeout, Duration idleTimeout,
                            int maxConnections, int maxInFlightPerConnection, int ioThreads, Duration frameDeadline) {
    /** A frame of at most 1026 bytes takes milliseconds even on a poor mobile link; seconds are generous. */
    public static final Duration DEFAULT_FRAME_DEADLINE = Duration.ofSeconds(5);

    public GatewayConfig(String bindAddress, int port, Duration handshakeTimeout, Duration idleTimeout,
                         int maxConnections, int maxInFlightPerConnection, int ioThreads) {
        this(bindAddress, port, handshakeTimeout, idleTimeout, maxConnections, maxInFlightPerConnection, ioThreads,
                DEFAULT_FRAME_DEADLINE);
    }

    public GatewayConfig {
        require(!frameDeadline.isNegative() && !frameDeadline.isZero(), "frame deadline must be positive");
        require(port >= 0 && port <= 65535, "gateway port must be 0..65535, was " + port);
        require(!handshakeTimeout.isNegative() && !handshakeTimeout.isZero(), "handshake timeout must be positive");
        require(idleTimeout.toSeconds() >= 1, "idle timeout must be at least 1 s");
        require(maxConnections >= 1, "max connections must be at least 1, was " + maxConnections);
        require(maxInFlightPerConnection >= 1, "max in-flight frames per connection must be at least 1");
        require(ioThreads >= 1, "I/O threads must be at least 1, was " + ioThreads);
    }

    public static GatewayConfig defaults() {
        return new GatewayConfig("0.0.0.0", 7443, Duration.ofSeconds(10), Duration.ofMinutes(5), 200_000, 32,
                Runtime.getRuntime().availableProcessors());
    }

    public GatewayConfig withPort(String bindAddress, int port) {
        return new GatewayConfig(bindAddress, port, handshakeTimeout, idleTimeout, maxConnections,
                maxInFlightPerConnection, ioThreads, frameDeadline);
    }

    public GatewayConfig withIdleTimeout(Duration idle) {
        return new GatewayConfig(bindAddress, port, handshakeTimeout, idle, maxConnections, maxInFlightPerConnection,
                ioThreads, frameDeadline);
    }

    public GatewayConfig withFrameDeadline(Duration deadline) {
        return new GatewayConfig(bindAddress, port, handshakeTimeout, idleTimeout, maxConnections,
                maxInFlightPerConnection, ioThreads, deadline);
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem);
        }
    }
}
