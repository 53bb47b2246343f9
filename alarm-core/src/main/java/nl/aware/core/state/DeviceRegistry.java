package nl.aware.core.state;

import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.CertificateDer;
import nl.aware.core.protocol.FrameVerifier;
import nl.aware.core.protocol.KeyCombs;

import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/** Enrolled devices, their current certificate and whether they are revoked; rebuilt from the log. */
public final class DeviceRegistry {

    /**
     * An enrolled device. The verifier is built once, at enrolment, off the hot path. {@code epoch} names
     * the certificate (see {@link nl.aware.core.event.FrameIds}): a new enrolment starts a new counter epoch.
     */
    public record Device(long deviceId, Region region, X509Certificate certificate, FrameVerifier verifier,
                         boolean revoked, String epoch) {
        /** The event id a fresh frame of this device with this counter gets, on every node. */
        public java.util.UUID eventId(long counter) {
            return nl.aware.core.event.FrameIds.eventId(deviceId, epoch, counter);
        }
    }

    /** What the registry says of a TLS identity. */
    public enum Standing { ACTIVE, UNKNOWN, REVOKED, SUPERSEDED }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DeviceRegistry.class);
    private final Map<Long, Device> devices = new ConcurrentHashMap<>();
    /** Device keys' combs stay while the device is busy: most of 100,000 devices only send a heartbeat. */
    private final KeyCombs combs = KeyCombs.releasedWhenIdle(KeyCombs.DEVICE_KEYS_IDLE);
    private final List<LongConsumer> standingListeners = new CopyOnWriteArrayList<>();

    public void apply(Event event) {
        if (event instanceof Event.DeviceEnrolled enrolled) {
            X509Certificate certificate = parse(enrolled.certificateDer());
            devices.put(enrolled.deviceId(), new Device(enrolled.deviceId(), enrolled.region(), certificate,
                    new FrameVerifier(certificate.getPublicKey(), combs), false,
                    nl.aware.core.event.FrameIds.epoch(enrolled.certificateDer())));
            changed(enrolled.deviceId());
        } else if (event instanceof Event.DeviceRevoked revoked) {
            devices.computeIfPresent(revoked.deviceId(),
                    (id, d) -> new Device(id, d.region(), d.certificate(), d.verifier(), true, d.epoch()));
            changed(revoked.deviceId());
        }
    }

    /**
     * Tells {@code listener} the id of each device whose standing may have changed (revoked, or enrolled
     * anew with another certificate), right after the change, on every node that applies the event: the
     * gateway closes such a device's open connections (DESIGN promise 7: within a second). Called on the
     * log's applying thread: the listener must not block.
     */
    public AutoCloseable onStandingChanged(LongConsumer listener) {
        standingListeners.add(listener);
        return () -> standingListeners.remove(listener);
    }

    private void changed(long deviceId) {
        for (LongConsumer listener : standingListeners) {
            try {
                listener.accept(deviceId);
            } catch (RuntimeException e) {
                // The event is durable and applied; the frame check still refuses the device on its next frame.
                log.error("closing the connections of device {} after a change of standing failed",
                        nl.aware.core.pki.DeviceIds.format(deviceId), e);
            }
        }
    }

    /** The event id a fresh frame gets: derived from device, certificate epoch and counter (no epoch when unknown). */
    public java.util.UUID frameEventId(long deviceId, long counter) {
        Device device = devices.get(deviceId);
        return nl.aware.core.event.FrameIds.eventId(deviceId, device == null ? "" : device.epoch(), counter);
    }

    /** The counter epoch of the device's current certificate, "" when the device is not enrolled. */
    public String epoch(long deviceId) {
        Device device = devices.get(deviceId);
        return device == null ? "" : device.epoch();
    }

    public Optional<Device> find(long deviceId) {
        return Optional.ofNullable(devices.get(deviceId));
    }

    /**
     * Judges a connection's client certificate: the device must be enrolled, not revoked, and present
     * the very certificate it was (last) enrolled with, so a re-enrolled device's old key is refused.
     */
    public Standing standing(long deviceId, X509Certificate presented) {
        Device device = devices.get(deviceId);
        if (device == null) {
            return Standing.UNKNOWN;
        }
        if (device.revoked()) {
            return Standing.REVOKED;
        }
        return device.certificate().equals(presented) ? Standing.ACTIVE : Standing.SUPERSEDED;
    }

    /**
     * The device whose current certificate is exactly {@code der}, revoked or not: a connecting device nearly
     * always presents the certificate the registry holds, already parsed, so the handshake need not parse it.
     */
    public Optional<Device> holderOf(byte[] der) {
        OptionalLong deviceId = nl.aware.core.pki.DeviceIds.fromCertificateDer(der);
        Device device = deviceId.isPresent() ? devices.get(deviceId.getAsLong()) : null;
        if (device == null) {
            return Optional.empty();
        }
        try {
            return Arrays.equals(device.certificate().getEncoded(), der) ? Optional.of(device) : Optional.empty();
        } catch (CertificateEncodingException e) {
            // The registry parsed these bytes from the log, so this cannot happen; saying "no holder" is safe:
            // the caller then parses the presented certificate itself.
            return Optional.empty();
        }
    }

    public Collection<Device> all() {
        return devices.values();
    }

    public int size() {
        return devices.size();
    }

    private static X509Certificate parse(byte[] der) {
        try {
            return CertificateDer.parse(der);
        } catch (CertificateException e) {
            throw new IllegalStateException("enrolment record holds an unreadable certificate", e);
        }
    }
}
