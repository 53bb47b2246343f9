package nl.aware.core.event;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import nl.aware.core.log.LogRecord;
import nl.aware.core.protocol.Adp;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameFormatException;
import nl.aware.core.protocol.NackReason;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Binary encoding of {@link Event}s as log record payloads. Type codes are permanent. */
public final class EventCodec {
    public static final int DEVICE_ENROLLED = 1;
    public static final int DEVICE_REVOKED = 2;
    public static final int FRAME_ACCEPTED = 3;
    public static final int SECURITY_VIOLATION = 4;

    private EventCodec() {
    }

    public static int typeOf(Event event) {
        if (event instanceof Event.DeviceEnrolled) {
            return DEVICE_ENROLLED;
        } else if (event instanceof Event.DeviceRevoked) {
            return DEVICE_REVOKED;
        } else if (event instanceof Event.FrameAccepted) {
            return FRAME_ACCEPTED;
        } else {
            return SECURITY_VIOLATION;
        }
    }

    public static byte[] encode(Event event) {
        ByteBuf out = Unpooled.buffer(128);
        if (event instanceof Event.DeviceEnrolled e) {
            out.writeLong(e.deviceId()).writeShort(e.certificateDer().length).writeBytes(e.certificateDer());
        } else if (event instanceof Event.DeviceRevoked e) {
            byte[] reason = e.reason().getBytes(StandardCharsets.UTF_8);
            out.writeLong(e.deviceId()).writeShort(reason.length).writeBytes(reason);
        } else if (event instanceof Event.FrameAccepted e) {
            out.writeLong(e.eventId().getMostSignificantBits()).writeLong(e.eventId().getLeastSignificantBits())
                    .writeLong(e.receiveTimeMs());
            e.frame().writeTo(out);
        } else if (event instanceof Event.SecurityViolation e) {
            out.writeLong(e.tlsDeviceId()).writeLong(e.claimedDeviceId()).writeLong(e.counter())
                    .writeByte(e.reason().code());
        }
        return ByteBufUtil.getBytes(out);
    }

    /** Decodes a record written by {@link #encode}; an unknown type or a bad body is a corrupt log. */
    public static Event decode(LogRecord record) throws EventFormatException {
        ByteBuf in = Unpooled.wrappedBuffer(record.payload());
        try {
            Event event = switch (record.type()) {
                case DEVICE_ENROLLED -> new Event.DeviceEnrolled(in.readLong(), bytes(in, in.readUnsignedShort()));
                case DEVICE_REVOKED -> new Event.DeviceRevoked(in.readLong(),
                        new String(bytes(in, in.readUnsignedShort()), StandardCharsets.UTF_8));
                case FRAME_ACCEPTED -> new Event.FrameAccepted(new UUID(in.readLong(), in.readLong()), in.readLong(),
                        DeviceFrame.parse(bytes(in, checkedLength(in.readUnsignedShort()))));
                case SECURITY_VIOLATION -> new Event.SecurityViolation(in.readLong(), in.readLong(), in.readLong(),
                        NackReason.of(in.readUnsignedByte()).orElseThrow(() -> new EventFormatException(
                                record.sequence(), "unknown NACK reason")));
                default -> throw new EventFormatException(record.sequence(), "unknown event type " + record.type());
            };
            if (in.isReadable()) {
                throw new EventFormatException(record.sequence(), in.readableBytes() + " trailing bytes");
            }
            return event;
        } catch (IndexOutOfBoundsException e) {
            throw new EventFormatException(record.sequence(), "record body ends early");
        } catch (FrameFormatException e) {
            throw new EventFormatException(record.sequence(), "stored frame is invalid: " + e.getMessage());
        }
    }

    private static int checkedLength(int length) {
        if (length == 0 || length > Adp.MAX_FRAME_LENGTH) {
            throw new IndexOutOfBoundsException();
        }
        return length;
    }

    private static byte[] bytes(ByteBuf in, int length) {
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return bytes;
    }
}
