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

    /**
     * COMMAND (0x83): the server asks the device something. Its {@code counter} is the command id, strictly
     * increasing per device and chosen by the server; the device's COMMAND_RESULT names it. {@code commandCode}
     * stays a number so that a device reading a command it does not know can answer "not supported".
     */
    record Command(long deviceId, long counter, long serverTimeMs, int commandCode, int argument)
            implements ServerFrame {
        public Command {
            if (commandCode < 0 || commandCode > 0xFF || argument < 0 || argument > 0xFFFF) {
                throw new IllegalArgumentException("command is a u8 and argument a u16");
            }
        }

        /** A command the server means: its argument must mean something for it. */
        public static Command of(long deviceId, long commandId, long serverTimeMs, DeviceCommand command,
                                 int argument) {
            if (!command.acceptsArgument(argument)) {
                throw new IllegalArgumentException(command + " does not take argument " + argument);
            }
            return new Command(deviceId, commandId, serverTimeMs, command.code(), argument);
        }

        public long commandId() {
            return counter;
        }

        /** The command, when it is one this implementation knows. */
        public java.util.Optional<DeviceCommand> command() {
            return DeviceCommand.of(commandCode);
        }

        public FrameType type() {
            return FrameType.COMMAND;
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
        } else if (frame instanceof Command command) {
            out.writeByte(command.commandCode()).writeShort(command.argument());
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
        if (type == FrameType.COMMAND) {
            return new Command(deviceId, counter, time, body.readUnsignedByte(), body.readUnsignedShort());
        }
        int reasonCode = body.readUnsignedByte();
        NackReason reason = NackReason.of(reasonCode).orElseThrow(() -> new FrameFormatException(
                NackReason.MALFORMED, deviceId, counter, "NACK reason " + reasonCode));
        return new Nack(deviceId, counter, time, reason);
    }
}
