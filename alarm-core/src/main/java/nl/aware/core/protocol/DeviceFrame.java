package nl.aware.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import nl.aware.core.crypto.Sha256;

import java.util.Arrays;

/**
 * One signed device-to-server frame, kept as the exact bytes the device sent: those bytes are the
 * evidence (they verify against the device certificate) and the identity of a retransmission.
 *
 * <p>{@link #toString()} names type, device and counter only: payloads hold a victim's location.
 */
public final class DeviceFrame {
    private final byte[] body; // everything after the u16 length: version .. signature
    private final FrameType type;
    private final long deviceId;
    private final long counter;
    private final long deviceTimeMs;
    private final int payloadLength;

    private DeviceFrame(byte[] body, FrameType type) {
        this.body = body;
        this.type = type;
        this.deviceId = getLong(body, Adp.OFFSET_DEVICE_ID);
        this.counter = getLong(body, Adp.OFFSET_COUNTER);
        this.deviceTimeMs = getLong(body, Adp.OFFSET_TIME);
        this.payloadLength = ((body[Adp.OFFSET_PAYLOAD_LENGTH] & 0xFF) << 8) | (body[Adp.OFFSET_PAYLOAD_LENGTH + 1] & 0xFF);
    }

    /**
     * Parses a frame body (the bytes after the length prefix). Checks structure only: the signature,
     * the identity and the counter rules belong to the gateway.
     */
    public static DeviceFrame parse(byte[] body) throws FrameFormatException {
        if (body.length < Adp.HEADER_BYTES) {
            long deviceId = body.length >= Adp.OFFSET_COUNTER ? getLong(body, Adp.OFFSET_DEVICE_ID) : 0;
            long counter = body.length >= Adp.OFFSET_TIME ? getLong(body, Adp.OFFSET_COUNTER) : 0;
            throw new FrameFormatException(NackReason.MALFORMED, deviceId, counter,
                    "frame of " + body.length + " bytes is shorter than the " + Adp.HEADER_BYTES + "-byte header");
        }
        long deviceId = getLong(body, Adp.OFFSET_DEVICE_ID);
        long counter = getLong(body, Adp.OFFSET_COUNTER);
        int version = body[0] & 0xFF;
        if (version != Adp.VERSION) {
            throw new FrameFormatException(NackReason.UNSUPPORTED, deviceId, counter, "unsupported version " + version);
        }
        int code = body[Adp.OFFSET_TYPE] & 0xFF;
        FrameType type = FrameType.of(code).filter(FrameType::fromDevice).orElse(null);
        if (type == null) {
            throw new FrameFormatException(NackReason.UNSUPPORTED, deviceId, counter,
                    String.format("unsupported frame type 0x%02x", code));
        }
        int payloadLength = ((body[Adp.OFFSET_PAYLOAD_LENGTH] & 0xFF) << 8) | (body[Adp.OFFSET_PAYLOAD_LENGTH + 1] & 0xFF);
        int expected = Adp.HEADER_BYTES + payloadLength + Adp.SIGNATURE_BYTES;
        if (body.length != expected) {
            throw new FrameFormatException(NackReason.MALFORMED, deviceId, counter, "frame length " + body.length
                    + " does not match payloadLength " + payloadLength + " (expected " + expected + " bytes)");
        }
        if (!type.acceptsPayloadLength(payloadLength)) {
            throw new FrameFormatException(NackReason.MALFORMED, deviceId, counter, type + " payload must be "
                    + type.payloadSize() + ", was " + payloadLength);
        }
        String[] problem = new String[1];
        boolean readable = switch (type) {
            case AUDIO -> AudioChunk.read(body, Adp.HEADER_BYTES, payloadLength, problem) != null;
            case COMMAND_RESULT -> CommandResult.read(body, Adp.HEADER_BYTES, problem) != null;
            default -> true;
        };
        if (!readable) {
            throw new FrameFormatException(NackReason.MALFORMED, deviceId, counter, problem[0]);
        }
        return new DeviceFrame(body, type);
    }

    /** Builds and signs a frame: the device side of the protocol (simulator, test vectors). */
    public static DeviceFrame create(FrameType type, long deviceId, long counter, long deviceTimeMs,
                                     byte[] payload, FrameSigning signer) {
        if (!type.fromDevice() || !type.acceptsPayloadLength(payload.length)) {
            throw new IllegalArgumentException(type + " needs a device payload of " + type.payloadSize());
        }
        byte[] body = new byte[Adp.HEADER_BYTES + payload.length + Adp.SIGNATURE_BYTES];
        ByteBuf out = Unpooled.wrappedBuffer(body).writerIndex(0);
        out.writeByte(Adp.VERSION).writeByte(type.code()).writeLong(deviceId).writeLong(counter)
                .writeLong(deviceTimeMs).writeShort(payload.length).writeBytes(payload);
        int signedLength = out.writerIndex();
        out.writeBytes(signer.sign(body, 0, signedLength));
        return new DeviceFrame(body, type);
    }

    public FrameType type() {
        return type;
    }

    public long deviceId() {
        return deviceId;
    }

    public long counter() {
        return counter;
    }

    public long deviceTimeMs() {
        return deviceTimeMs;
    }

    /** The location of a PANIC, LOCATION or TEST frame. */
    public Location location() {
        if (!type.carriesLocation()) {
            throw new IllegalStateException(type + " carries no location");
        }
        return Location.read(Unpooled.wrappedBuffer(body, Adp.HEADER_BYTES, Location.BYTES));
    }

    /** The stream, sequence number and sound of an AUDIO frame. */
    public AudioChunk audio() {
        if (type != FrameType.AUDIO) {
            throw new IllegalStateException(type + " carries no audio");
        }
        return AudioChunk.read(body, Adp.HEADER_BYTES, payloadLength, new String[1]); // checked by parse
    }

    /** The command answered and the device's result, of a COMMAND_RESULT frame. */
    public CommandResult commandResult() {
        if (type != FrameType.COMMAND_RESULT) {
            throw new IllegalStateException(type + " carries no command result");
        }
        return CommandResult.read(body, Adp.HEADER_BYTES, new String[1]); // checked by parse
    }

    /** Battery percent (0xFF unknown) of a HEARTBEAT, STATUS or location-bearing frame. */
    public int batteryPercent() {
        return switch (type) {
            case HEARTBEAT -> body[Adp.HEADER_BYTES] & 0xFF;
            case STATUS -> body[Adp.HEADER_BYTES + 1] & 0xFF;
            case PANIC, LOCATION, TEST -> location().batteryPercent();
            default -> Location.UNKNOWN_BATTERY;
        };
    }

    /** HEARTBEAT flags (bit 0 charging) or STATUS code (1 low battery, 2 fault, 3 tamper). */
    public int flagsOrCode() {
        return switch (type) {
            case HEARTBEAT -> body[Adp.HEADER_BYTES + 1] & 0xFF;
            case STATUS -> body[Adp.HEADER_BYTES] & 0xFF;
            default -> throw new IllegalStateException(type + " has no flags or status code");
        };
    }

    /** Number of leading body bytes covered by the signature (version .. end of payload). */
    public int signedLength() {
        return Adp.HEADER_BYTES + payloadLength;
    }

    /** The body bytes (version .. signature); do not modify. */
    byte[] body() {
        return body;
    }

    public byte[] payload() {
        return Arrays.copyOfRange(body, Adp.HEADER_BYTES, Adp.HEADER_BYTES + payloadLength);
    }

    public byte[] signature() {
        return Arrays.copyOfRange(body, signedLength(), body.length);
    }

    /** The complete frame as it travels: u16 length, then the body. */
    public byte[] wireBytes() {
        byte[] wire = new byte[Adp.LENGTH_FIELD_BYTES + body.length];
        wire[0] = (byte) (body.length >>> 8);
        wire[1] = (byte) body.length;
        System.arraycopy(body, 0, wire, Adp.LENGTH_FIELD_BYTES, body.length);
        return wire;
    }

    public void writeTo(ByteBuf out) {
        out.writeShort(body.length).writeBytes(body);
    }

    /** SHA-256 of the body: equal for a byte-identical retransmission, different otherwise. */
    public byte[] digest() {
        return Sha256.of(body);
    }

    public boolean sameBytesAs(DeviceFrame other) {
        return Arrays.equals(body, other.body);
    }

    private static long getLong(byte[] b, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[offset + i] & 0xFF);
        }
        return v;
    }

    @Override
    public String toString() {
        return "DeviceFrame[" + type + ", device " + String.format("%016x", deviceId) + ", counter " + counter + "]";
    }
}
