package nl.aware.web.staff;

import nl.aware.http.HttpServerSettings;
import nl.aware.http.TrustedProxy;
import nl.aware.web.console.ConsoleSettings;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the staff API listens, how long its sessions live, and what it tolerates.
 *
 * @param bindAddress     loopback by default (docs/staff-api.md): the web console or an operator's tunnel
 *                        reaches it; bind a management address deliberately
 * @param port            TCP port, 0 for any free port
 * @param idleTimeout     a session unused this long ends (OWASP: 15 to 30 minutes for sensitive data)
 * @param absoluteTimeout a session ends this long after login, however busy (a working day)
 * @param maxConnections  connections open at once; more are refused at accept
 * @param requestDeadline a request's headers and body must arrive within this, from its first byte
 * @param trustedProxy    the reverse proxy whose {@code X-Forwarded-For} names the client, or none
 * @param console         the staff console's settings (the map's tiles)
 */
public record StaffApiSettings(InetAddress bindAddress, int port, Duration idleTimeout, Duration absoluteTimeout,
                               int maxConnections, Duration requestDeadline, TrustedProxy trustedProxy,
                               ConsoleSettings console) {
    public static final int DEFAULT_PORT = 9443;
    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(15);
    public static final Duration DEFAULT_ABSOLUTE = Duration.ofHours(8);
    public static final int DEFAULT_MAX_CONNECTIONS = HttpServerSettings.DEFAULT_MAX_CONNECTIONS;
    public static final Duration DEFAULT_REQUEST_DEADLINE = HttpServerSettings.DEFAULT_REQUEST_DEADLINE;

    public StaffApiSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(trustedProxy, "trustedProxy");
        Objects.requireNonNull(console, "console");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("staff API port must be 0..65535, was " + port);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero() || absoluteTimeout.compareTo(idleTimeout) < 0) {
            throw new IllegalArgumentException("staff sessions need 0 < idle timeout <= absolute timeout, were "
                    + idleTimeout + " and " + absoluteTimeout);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("the staff API's connection cap must be at least 1, was " + maxConnections);
        }
        if (requestDeadline.isNegative() || requestDeadline.isZero()) {
            throw new IllegalArgumentException("the staff API's request deadline must be positive, was " + requestDeadline);
        }
    }

    /** The defaults for the cap (256), the request deadline (10 s), no trusted proxy and the console's defaults. */
    public StaffApiSettings(InetAddress bindAddress, int port, Duration idleTimeout, Duration absoluteTimeout) {
        this(bindAddress, port, idleTimeout, absoluteTimeout, DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_DEADLINE,
                TrustedProxy.none(), ConsoleSettings.DEFAULTS);
    }

    /** Loopback, the given port, 15 minutes idle, 8 hours absolute. */
    public static StaffApiSettings loopback(int port) {
        return new StaffApiSettings(InetAddress.getLoopbackAddress(), port, DEFAULT_IDLE, DEFAULT_ABSOLUTE);
    }

    public StaffApiSettings withMaxConnections(int value) {
        return new StaffApiSettings(bindAddress, port, idleTimeout, absoluteTimeout, value, requestDeadline, trustedProxy,
                console);
    }

    public StaffApiSettings withRequestDeadline(Duration value) {
        return new StaffApiSettings(bindAddress, port, idleTimeout, absoluteTimeout, maxConnections, value, trustedProxy,
                console);
    }

    public StaffApiSettings withTrustedProxy(TrustedProxy value) {
        return new StaffApiSettings(bindAddress, port, idleTimeout, absoluteTimeout, maxConnections, requestDeadline, value,
                console);
    }

    /** The same with other console settings. */
    public StaffApiSettings withConsole(ConsoleSettings value) {
        return new StaffApiSettings(bindAddress, port, idleTimeout, absoluteTimeout, maxConnections, requestDeadline,
                trustedProxy, value);
    }
}
