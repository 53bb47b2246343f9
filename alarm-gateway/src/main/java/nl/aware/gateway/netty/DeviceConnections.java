package nl.aware.gateway.netty;

import io.netty.channel.Channel;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.state.DeviceRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
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
    private final Map<Long, Set<Channel>> byDevice = new ConcurrentHashMap<>();

    DeviceConnections(DeviceRegistry registry) {
        this.registry = registry;
    }

    /** Event loop: a connection whose handshake named {@code deviceId}; forgotten when it closes. */
    void add(long deviceId, Channel channel) {
        byDevice.computeIfAbsent(deviceId, id -> ConcurrentHashMap.newKeySet()).add(channel);
        channel.closeFuture().addListener(closed -> byDevice.computeIfPresent(deviceId, (id, channels) -> {
            channels.remove(channel);
            return channels.isEmpty() ? null : channels;
        }));
    }

    /** Closes the device's connections whose certificate no longer stands (revoked or superseded). */
    void standingChanged(long deviceId) {
        Set<Channel> channels = byDevice.get(deviceId);
        if (channels == null) {
            return;
        }
        for (Channel channel : channels) {
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
        Set<Channel> channels = byDevice.get(deviceId);
        if (channels == null) {
            return null;
        }
        return channels.stream().filter(Channel::isActive).findFirst().orElse(null);
    }

    int size() {
        return byDevice.values().stream().mapToInt(Set::size).sum();
    }
}
