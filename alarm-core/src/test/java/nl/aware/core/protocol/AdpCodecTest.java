package nl.aware.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdpCodecTest {
    private static final long DEVICE = 0x00a1b2c3d4e5f601L;
    private static final Location ZWOLLE = new Location(525_168_000, 60_830_000, 12, 3, Location.SOURCE_GNSS, 87);
    private static KeyPair keys;

    @BeforeAll
    static void generateKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        keys = generator.generateKeyPair();
    }

    private static DeviceFrame panic(long counter) {
        ByteBuf payload = Unpooled.buffer(Location.BYTES);
        ZWOLLE.write(payload);
        return DeviceFrame.create(FrameType.PANIC, DEVICE, counter, 1_764_000_000_000L,
                ByteBufUtil.getBytes(payload), new FrameSigner(keys.getPrivate()));
    }

    private static EmbeddedChannel deviceSide() {
        return new EmbeddedChannel(new AdpFrameSplitter(), new DeviceFrameDecoder());
    }

    @Test
    void panicFrame_is108BytesOnTheWire() {
        assertEquals(108, panic(1).wireBytes().length);
    }

    @Test
    void panicFrame_headerIsByteExact() {
        byte[] wire = panic(7).wireBytes();
        assertEquals("006a" + "01" + "01" + "00a1b2c3d4e5f601" + "0000000000000007" + "0000019ab697e800" + "000e"
                        + "1f4d6d80" + "03a03130" + "000c" + "0003" + "01" + "57",
                ByteBufUtil.hexDump(wire, 0, 44));
    }

    @Test
    void wholeFrame_decodesWithFieldsAndVerifies() {
        EmbeddedChannel channel = deviceSide();
        channel.writeInbound(Unpooled.wrappedBuffer(panic(42).wireBytes()));
        DeviceFrame frame = channel.readInbound();
        assertEquals(FrameType.PANIC, frame.type());
        assertEquals(DEVICE, frame.deviceId());
        assertEquals(42, frame.counter());
        assertEquals(1_764_000_000_000L, frame.deviceTimeMs());
        assertEquals(ZWOLLE, frame.location());
        assertTrue(new FrameVerifier(keys.getPublic()).verify(frame));
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void frameSplitIntoSingleBytes_decodesOnce() {
        EmbeddedChannel channel = deviceSide();
        byte[] wire = panic(1).wireBytes();
        for (int i = 0; i < wire.length - 1; i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(wire, i, 1));
            assertNull(channel.readInbound(), "no frame before its last byte");
        }
        channel.writeInbound(Unpooled.wrappedBuffer(wire, wire.length - 1, 1));
        DeviceFrame frame = channel.readInbound();
        assertArrayEquals(wire, frame.wireBytes());
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void coalescedFrames_decodeInOrder() {
        EmbeddedChannel channel = deviceSide();
        byte[] first = panic(1).wireBytes();
        byte[] second = panic(2).wireBytes();
        byte[] third = panic(3).wireBytes();
        ByteBuf both = Unpooled.buffer().writeBytes(first).writeBytes(second).writeBytes(third, 0, 50);
        channel.writeInbound(both);
        assertEquals(1, ((DeviceFrame) channel.readInbound()).counter());
        assertEquals(2, ((DeviceFrame) channel.readInbound()).counter());
        assertNull(channel.readInbound());
        channel.writeInbound(Unpooled.wrappedBuffer(third, 50, third.length - 50));
        assertEquals(3, ((DeviceFrame) channel.readInbound()).counter());
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void declaredLengthOver1024_isRejectedFromTheHeaderAlone() {
        EmbeddedChannel channel = deviceSide();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x04, 0x01}));
        AdpFrameSplitter.OversizeFrame oversize = channel.readInbound();
        assertEquals(1025, oversize.declaredLength());
        channel.writeInbound(Unpooled.wrappedBuffer(panic(1).wireBytes()));
        assertNull(channel.readInbound(), "everything after an oversize header is discarded");
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void zeroLength_isRejected() {
        EmbeddedChannel channel = deviceSide();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 1, 1}));
        AdpFrameSplitter.OversizeFrame oversize = channel.readInbound();
        assertEquals(0, oversize.declaredLength());
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void lengthOf1024_isPassedOnAsABody() {
        EmbeddedChannel channel = new EmbeddedChannel(new AdpFrameSplitter());
        ByteBuf frame = Unpooled.buffer().writeShort(1024).writeZero(1024);
        channel.writeInbound(frame);
        ByteBuf body = channel.readInbound();
        assertEquals(1024, body.readableBytes());
        body.release();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void unsupportedVersion_isRejectedAndEchoesCounter() {
        byte[] wire = panic(9).wireBytes();
        wire[2] = 2;
        FrameFormatException error = decodeError(wire);
        assertEquals(NackReason.UNSUPPORTED, error.reason());
        assertEquals(9, error.counter());
        assertEquals(DEVICE, error.deviceId());
    }

    @Test
    void serverTypeSentByDevice_isUnsupported() {
        byte[] wire = panic(9).wireBytes();
        wire[3] = (byte) 0x81;
        assertEquals(NackReason.UNSUPPORTED, decodeError(wire).reason());
    }

    @Test
    void payloadLengthDisagreeingWithFrameLength_isMalformed() {
        byte[] wire = panic(9).wireBytes();
        wire[29] = 15;
        FrameFormatException error = decodeError(wire);
        assertEquals(NackReason.MALFORMED, error.reason());
        assertEquals(9, error.counter());
    }

    @Test
    void heartbeatWithLocationSizedPayload_isMalformed() {
        byte[] wire = panic(9).wireBytes();
        wire[3] = (byte) FrameType.HEARTBEAT.code();
        assertEquals(NackReason.MALFORMED, decodeError(wire).reason());
    }

    @Test
    void bodyShorterThanHeader_isMalformed() {
        assertEquals(NackReason.MALFORMED, decodeError(new byte[] {0, 3, 1, 1, 0}).reason());
    }

    private static FrameFormatException decodeError(byte[] wire) {
        EmbeddedChannel channel = deviceSide();
        channel.writeInbound(Unpooled.wrappedBuffer(wire));
        FrameFormatException error = assertInstanceOf(FrameFormatException.class, channel.readInbound());
        assertFalse(channel.finishAndReleaseAll());
        return error;
    }

    @Test
    void tamperedPayload_failsVerification() throws Exception {
        byte[] wire = panic(5).wireBytes();
        wire[35] ^= 1; // one bit of the latitude
        DeviceFrame frame = DeviceFrame.parse(java.util.Arrays.copyOfRange(wire, 2, wire.length));
        assertFalse(new FrameVerifier(keys.getPublic()).verify(frame));
    }

    @Test
    void signatureOfAnotherKey_failsVerification() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        assertFalse(new FrameVerifier(generator.generateKeyPair().getPublic()).verify(panic(5)));
    }

    @Test
    void signing_isDeterministic() {
        assertArrayEquals(panic(5).wireBytes(), panic(5).wireBytes());
    }

    @Test
    void ack_isByteExact() {
        EmbeddedChannel channel = new EmbeddedChannel(ServerFrameEncoder.INSTANCE);
        UUID id = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
        channel.writeOutbound(new ServerFrame.Ack(DEVICE, 7, 0x0102030405060708L, true, id));
        ByteBuf out = channel.readOutbound();
        assertEquals("002d" + "01" + "81" + "00a1b2c3d4e5f601" + "0000000000000007" + "0102030405060708" + "0011"
                + "01" + "00112233445566778899aabbccddeeff", ByteBufUtil.hexDump(out));
        out.release();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void nack_isByteExact() {
        EmbeddedChannel channel = new EmbeddedChannel(ServerFrameEncoder.INSTANCE);
        channel.writeOutbound(new ServerFrame.Nack(DEVICE, 8, 1, NackReason.REPLAYED_COUNTER));
        ByteBuf out = channel.readOutbound();
        assertEquals("001d" + "01" + "82" + "00a1b2c3d4e5f601" + "0000000000000008" + "0000000000000001" + "0001" + "02",
                ByteBufUtil.hexDump(out));
        out.release();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void serverFrames_roundTripThroughTheDeviceSideDecoder() {
        EmbeddedChannel server = new EmbeddedChannel(ServerFrameEncoder.INSTANCE);
        EmbeddedChannel device = new EmbeddedChannel(new AdpFrameSplitter(), new ServerFrameDecoder());
        ServerFrame ack = new ServerFrame.Ack(DEVICE, 1, 2, false, UUID.randomUUID());
        ServerFrame nack = new ServerFrame.Nack(DEVICE, 3, 4, NackReason.OVERLOADED);
        server.writeOutbound(ack, nack);
        ByteBuf first = server.readOutbound();
        ByteBuf second = server.readOutbound();
        device.writeInbound(Unpooled.wrappedBuffer(first, second));
        assertEquals(ack, device.readInbound());
        assertEquals(nack, device.readInbound());
        assertFalse(server.finishAndReleaseAll());
        assertFalse(device.finishAndReleaseAll());
    }

    @Test
    void location_neverPrintsCoordinates() {
        assertFalse(ZWOLLE.toString().contains("525"));
        assertFalse(panic(1).toString().contains("525"));
    }

    @Test
    void outOfRangeLocation_isKeptButReportedAsNoFix() {
        assertFalse(new Location(950_000_000, 0, 1, 1, 1, 1).hasFix());
        assertFalse(Location.noFix(50).hasFix());
        assertTrue(ZWOLLE.hasFix());
    }
}
