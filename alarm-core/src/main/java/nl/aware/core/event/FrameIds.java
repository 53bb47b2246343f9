package nl.aware.core.event;

import nl.aware.core.crypto.Sha256;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Where a device frame's identity comes from. A frame's event id is derived from the frame's slot
 * (device, the certificate it was enrolled with, counter), not drawn at random: the same frame accepted
 * by two nodes that could not reach each other (a partial split of a Redis deployment) gets one id on
 * both, so the police see one alert with one idempotency key. The certificate is the counter epoch: a
 * new enrolment (new certificate) starts the device's counters afresh (docs/protocol.md).
 */
public final class FrameIds {
    private static final String NAMESPACE = "aware-frame/1";

    private FrameIds() {
    }

    /** The counter epoch of a certificate: the first 16 hex digits of SHA-256 over its DER encoding. */
    public static String epoch(byte[] certificateDer) {
        return HexFormat.of().formatHex(Sha256.of(certificateDer), 0, 8);
    }

    /**
     * A name-based UUID (RFC 9562 version 8, SHA-256) over {@code aware-frame/1:<device hex>:<epoch>:<counter>}.
     */
    public static UUID eventId(long deviceId, String epoch, long counter) {
        String name = NAMESPACE + ":" + String.format("%016x", deviceId) + ":" + epoch + ":"
                + Long.toUnsignedString(counter);
        byte[] hash = Sha256.of(name.getBytes(StandardCharsets.US_ASCII));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x80); // version 8: custom, name-based over SHA-256
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // RFC 4122/9562 variant
        ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bytes.getLong(), bytes.getLong());
    }

}
