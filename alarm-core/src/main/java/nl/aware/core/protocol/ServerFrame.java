package nl.aware.core.protocol;

import io.netty.buffer.ByteBuf;

import java.util.UUID;

/** A server-to-device frame (unsigned: the device authenticates the server through TLS). */
public sealed interface ServerFrame {
    long deviceId();

    /** The counter of the device frame this answers. */
    long counter();

    long serverTimeMs();

    FrameType type();

    /** ACK: the event is durable. {@code duplicate} answers a retransmission of an accepted frame. */
    record Ack(long deviceId, long counter, long serverTimeMs, boolean duplicate, UUID eventId) implements ServerFrame {
        public FrameType type() {
            return FrameType.ACK;
        }
    }

    record Nack(long deviceId, long counter, long serverTimeMs, NackReason reason) implements ServerFrame {
        public FrameType type() {
            return FrameType.NACK;
        }
    }

    /** Writes the frame, length prefix included. */
    static void write(ServerFrame frame, ByteBuf out) {
        int payloadLength = frame.type().payloadBytes();
        out.writeShort(Adp.HEADER_BYTES + payloadLength)
                .writeByte(Adp.VERSION).writeByte(frame.type().code())
                .writeLong(frame.deviceId()).writeLong(frame.counter()).writeLong(frame.serverTimeMs())
                .writeShort(payloadLength);
        if (frame instanceof Ack ack) {
            out.writeByte(ack.duplicate() ? 1 : 0)
                    .writeLong(ack.eventId().getMostSignificantBits())
                    .writeLong(ack.eventId().getLeastSignificantBits());
        } else if (frame instanceof Nack nack) {
            out.writeByte(nack.reason().code());
        }
    }

    /** Parses a server frame body (after the length prefix): the device side of the protocol. */
    static ServerFrame read(ByteBuf body) throws FrameFormatException {
        if (body.readableBytes() < Adp.HEADER_BYTES) {
            throw new FrameFormatException(NackReason.MALFORMED, 0, 0, "server frame shorter than its header");
        }
        int version = body.readUnsignedByte();
        int code = body.readUnsignedByte();
        long deviceId = body.readLong();
        long counter = body.readLong();
        long time = body.readLong();
        int payloadLength = body.readUnsignedShort();
        FrameType type = FrameType.of(code).filter(t -> !t.fromDevice()).orElse(null);
        if (version != Adp.VERSION || type == null) {
            throw new FrameFormatException(NackReason.UNSUPPORTED, deviceId, counter,
                    String.format("unsupported server frame version %d type 0x%02x", version, code));
        }
        if (payloadLength != type.payloadBytes() || body.readableBytes() != payloadLength) {
            throw new FrameFormatException(NackReason.MALFORMED, deviceId, counter, type + " payload length " + payloadLength);
        }
        if (type == FrameType.ACK) {
            int status = body.readUnsignedByte();
            if (status > 1) {
                throw new FrameFormatException(NackReason.MALFORMED, deviceId, counter, "ACK status " + status);
            }
            return new Ack(deviceId, counter, time, status == 1, new UUID(body.readLong(), body.readLong()));
        }
        int reasonCode = body.readUnsignedByte();
        NackReason reason = NackReason.of(reasonCode).orElseThrow(() -> new FrameFormatException(
                NackReason.MALFORMED, deviceId, counter, "NACK reason " + reasonCode));
        return new Nack(deviceId, counter, time, reason);
    }
}
