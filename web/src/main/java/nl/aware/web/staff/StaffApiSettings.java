package nl.aware.web.staff;

import nl.aware.web.console.ConsoleSettings;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the staff API listens and how long its sessions live.
 *
 * @param bindAddress     loopback by default (docs/staff-api.md): the web console or an operator's tunnel
 *                        reaches it; bind a management address deliberately
 * @param port            TCP port, 0 for any free port
 * @param idleTimeout     a session unused this long ends (OWASP: 15 to 30 minutes for sensitive data)
 * @param absoluteTimeout a session ends this long after login, however busy (a working day)
 * @param console         the staff console's settings (the map's tiles)
 */
public record StaffApiSettings(InetAddress bindAddress, int port, Duration idleTimeout, Duration absoluteTimeout,
                              ConsoleSettings console) {
    public static final int DEFAULT_PORT = 9443;
    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(15);
    public static final Duration DEFAULT_ABSOLUTE = Duration.ofHours(8);

    public StaffApiSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(console, "console");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("staff API port must be 0..65535, was " + port);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero() || absoluteTimeout.compareTo(idleTimeout) < 0) {
            throw new IllegalArgumentException("staff sessions need 0 < idle timeout <= absolute timeout, were "
                    + idleTimeout + " and " + absoluteTimeout);
        }
    }

    /** The console with its default settings (PDOK tiles). */
    public StaffApiSettings(InetAddress bindAddress, int port, Duration idleTimeout, Duration absoluteTimeout) {
        this(bindAddress, port, idleTimeout, absoluteTimeout, ConsoleSettings.DEFAULTS);
    }

    /** The same with other console settings. */
    public StaffApiSettings withConsole(ConsoleSettings settings) {
        return new StaffApiSettings(bindAddress, port, idleTimeout, absoluteTimeout, settings);
    }

    /** Loopback, the given port, 15 minutes idle, 8 hours absolute. */
    public static StaffApiSettings loopback(int port) {
        return new StaffApiSettings(InetAddress.getLoopbackAddress(), port, DEFAULT_IDLE, DEFAULT_ABSOLUTE);
    }
}
