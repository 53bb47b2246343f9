package nl.aware.simulator.bench;

import nl.aware.core.protocol.FrameType;

import java.nio.ByteBuffer;

/** Payloads of the frames the benchmark devices send: a fixed fictional location near Zwolle. */
final class Frames {
    private Frames() {
    }

    static byte[] payload(FrameType type) {
        return switch (type) {
            case PANIC, LOCATION, TEST -> ByteBuffer.allocate(14).putInt(525_168_000).putInt(60_830_000)
                    .putShort((short) 12).putShort((short) 3).put((byte) 1).put((byte) 80).array();
            case HEARTBEAT -> new byte[] {80, 0};
            case STATUS -> new byte[] {1, 15}; // low battery, 15 %
            case CANCEL -> new byte[0];
            default -> throw new IllegalArgumentException(type + " is not sent by a device");
        };
    }
}
