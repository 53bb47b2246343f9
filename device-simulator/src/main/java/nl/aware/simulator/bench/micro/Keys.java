package nl.aware.simulator.bench.micro;

import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameType;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** A P-256 device key and a signed PANIC frame, the input of the microbenchmarks. */
final class Keys {
    static final long DEVICE_ID = 0x0000_0000_be00_0001L;

    private Keys() {
    }

    static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    static DeviceFrame panic(KeyPair key, long counter) {
        byte[] location = ByteBuffer.allocate(14).putInt(525_168_000).putInt(60_830_000).putShort((short) 12)
                .putShort((short) 3).put((byte) 1).put((byte) 80).array();
        return DeviceFrame.create(FrameType.PANIC, DEVICE_ID, counter, System.currentTimeMillis(), location,
                new FrameSigner(key.getPrivate()));
    }
}
