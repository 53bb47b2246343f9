package nl.aware.gateway.netty;

import io.netty.channel.Channel;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.state.DeviceRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open connections of each identified device, so that a revocation (or a re-enrolment with another
 * certificate) closes them at once instead of at the device's next frame: a device taken by the
 * aggressor must not keep a live line (DESIGN promise 7: within a second). The registry calls
 * {@link #standingChanged} on the thread that applies the event; closing only schedules work on each
 * channel's own event loop, so it never blocks that thread.
 */
final class DeviceConnections {
    private static final Logger log = LoggerFactory.getLogger(DeviceConnections.class);

    private final DeviceRegistry registry;
    /**
     * Immutable lists, replaced whole: a device nearly always has one connection, and a set of its own per
     * device cost about 200 bytes where a one-element list costs 24 (docs/performance.md, "Sixth pass").
     */
    private final Map<Long, List<Channel>> byDevice = new ConcurrentHashMap<>();

    DeviceConnections(DeviceRegistry registry) {
        this.registry = registry;
    }

    /** Event loop: a connection whose handshake named {@code deviceId}; forgotten when it closes. */
    void add(long deviceId, Channel channel) {
        byDevice.merge(deviceId, List.of(channel), DeviceConnections::with);
        channel.closeFuture().addListener(closed -> byDevice.computeIfPresent(deviceId,
                (id, channels) -> without(channels, channel)));
    }

    /** Closes the device's connections whose certificate no longer stands (revoked or superseded). */
    void standingChanged(long deviceId) {
        for (Channel channel : byDevice.getOrDefault(deviceId, List.of())) {
            DeviceSession session = DeviceSession.of(channel);
            DeviceRegistry.Standing standing = session == null ? DeviceRegistry.Standing.UNKNOWN
                    : registry.standing(deviceId, session.certificate());
            if (standing != DeviceRegistry.Standing.ACTIVE) {
                log.info("device {} is {}: closing its open connection from {}", DeviceIds.format(deviceId),
                        standing.name().toLowerCase(java.util.Locale.ROOT), channel.remoteAddress());
                channel.close();
            }
        }
    }

    /** An open connection of the device (the server's commands go there), or null when it has none. */
    Channel current(long deviceId) {
        for (Channel channel : byDevice.getOrDefault(deviceId, List.of())) {
            if (channel.isActive()) {
                return channel;
            }
        }
        return null;
    }

    int size() {
        return byDevice.values().stream().mapToInt(List::size).sum();
    }

    private static List<Channel> with(List<Channel> channels, List<Channel> added) {
        List<Channel> all = new ArrayList<>(channels.size() + added.size());
        all.addAll(channels);
        all.addAll(added);
        return List.copyOf(all);
    }

    /** The list without {@code closed}, or null (the device's entry goes) when nothing is left. */
    private static List<Channel> without(List<Channel> channels, Channel closed) {
        List<Channel> left = new ArrayList<>(channels);
        left.remove(closed);
        return left.isEmpty() ? null : List.copyOf(left);
    }
}
