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
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ADP/1 additions (DESIGN.md "ADP/1 additions"): AUDIO, COMMAND_RESULT, COMMAND and NACK 8, byte for byte. */
class AdpAudioAndCommandCodecTest {
    private static final long DEVICE = 0x00a1b2c3d4e5f601L;
    private static final String HEADER_AUDIO = "01" + "07" + "00a1b2c3d4e5f601" + "0000000000000010" + "0000019ab697e800";
    private static KeyPair keys;

    @BeforeAll
    static void generateKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        keys = generator.generateKeyPair();
    }

    private static DeviceFrame frame(FrameType type, long counter, byte[] payload) {
        return DeviceFrame.create(type, DEVICE, counter, 1_764_000_000_000L, payload, new FrameSigner(keys.getPrivate()));
    }

    private static AudioChunk twoOpusPackets(boolean last) {
        return AudioChunk.opus(7, 3, last, 40, List.of(new byte[] {0x78, 0x01, 0x02}, new byte[] {0x78, 0x03}));
    }

    private static Object decode(byte[] wire) {
        EmbeddedChannel channel = new EmbeddedChannel(new AdpFrameSplitter(), new DeviceFrameDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(wire));
        Object decoded = channel.readInbound();
        assertFalse(channel.finishAndReleaseAll());
        return decoded;
    }

    @Test
    void audioFrame_isByteExactUpToTheSignature() {
        byte[] wire = frame(FrameType.AUDIO, 16, twoOpusPackets(true).payload()).wireBytes();
        String payload = "0000000000000007" + "00000003" + "01" + "01" + "0028" + "0003780102" + "00027803";
        String lengthAndHeader = String.format("%04x", wire.length - 2) + HEADER_AUDIO
                + String.format("%04x", payload.length() / 2);
        assertEquals(lengthAndHeader + payload, HexFormat.of().formatHex(wire, 0, wire.length - Adp.SIGNATURE_BYTES));
        assertEquals(2 + 28 + 16 + 9 + 64, wire.length);
    }

    @Test
    void audioFrame_decodesToItsChunkAndVerifies() {
        AudioChunk sent = twoOpusPackets(false);
        DeviceFrame frame = assertInstanceOf(DeviceFrame.class, decode(frame(FrameType.AUDIO, 16, sent.payload()).wireBytes()));
        assertEquals(FrameType.AUDIO, frame.type());
        AudioChunk received = frame.audio();
        assertEquals(sent, received);
        assertEquals(7, received.streamId());
        assertEquals(3, received.seq());
        assertEquals(40, received.durationMs());
        assertFalse(received.last());
        assertArrayEquals(new byte[] {0x78, 0x03}, received.opusPackets().get(1));
        assertTrue(new FrameVerifier(keys.getPublic()).verify(frame));
    }

    @Test
    void audioSeq_isReadAsAnUnsigned32BitNumber() {
        AudioChunk chunk = new AudioChunk(1, 0xFFFF_FFFEL, AudioChunk.CODEC_G711_ULAW, 0, 1, new byte[8]);
        DeviceFrame frame = (DeviceFrame) decode(frame(FrameType.AUDIO, 1, chunk.payload()).wireBytes());
        assertEquals(0xFFFF_FFFEL, frame.audio().seq());
    }

    @Test
    void audioFrameOfTheLargestPayload_fillsExactlyTheLengthCap() {
        AudioChunk chunk = new AudioChunk(1, 0, AudioChunk.CODEC_G711_ULAW, 0, 115, new byte[AudioChunk.MAX_DATA]);
        byte[] wire = frame(FrameType.AUDIO, 1, chunk.payload()).wireBytes();
        assertEquals(Adp.MAX_FRAME_LENGTH, wire.length - Adp.LENGTH_FIELD_BYTES);
        assertEquals(chunk, ((DeviceFrame) decode(wire)).audio());
    }

    @Test
    void audioChunkLargerThanAFrame_isRefusedWhenBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new AudioChunk(1, 0, AudioChunk.CODEC_G711_ULAW, 0, 1,
                new byte[AudioChunk.MAX_DATA + 1]));
    }

    @Test
    void audioShorterThanItsOwnHeader_isMalformed() {
        byte[] wire = withType(frame(FrameType.HEARTBEAT, 9, new byte[] {1, 2}).wireBytes(), FrameType.AUDIO);
        FrameFormatException error = assertInstanceOf(FrameFormatException.class, decode(wire));
        assertEquals(NackReason.MALFORMED, error.reason());
        assertEquals(9, error.counter());
    }

    @Test
    void audioOfAnUnknownCodec_isMalformed() {
        byte[] payload = new AudioChunk(1, 0, AudioChunk.CODEC_G711_ULAW, 0, 1, new byte[4]).payload();
        payload[12] = 3;
        FrameFormatException error = assertInstanceOf(FrameFormatException.class,
                decode(frame(FrameType.AUDIO, 5, payload).wireBytes()));
        assertEquals(NackReason.MALFORMED, error.reason());
        assertTrue(error.getMessage().contains("codec 3"), error.getMessage());
    }

    @Test
    void opusDataWhosePacketLengthsOverrunIt_isMalformed() {
        byte[] payload = twoOpusPackets(false).payload();
        payload[AudioChunk.HEADER_BYTES + 1] = 9; // first packet claims 9 bytes, 7 follow
        FrameFormatException error = assertInstanceOf(FrameFormatException.class,
                decode(frame(FrameType.AUDIO, 5, payload).wireBytes()));
        assertEquals(NackReason.MALFORMED, error.reason());
    }

    @Test
    void opusDataEndingInsideAPacketLength_isMalformed() {
        byte[] good = twoOpusPackets(false).payload();
        byte[] payload = java.util.Arrays.copyOf(good, good.length + 1);
        assertEquals(NackReason.MALFORMED, assertInstanceOf(FrameFormatException.class,
                decode(frame(FrameType.AUDIO, 5, payload).wireBytes())).reason());
    }

    @Test
    void audioToString_leavesTheSoundOut() {
        String text = twoOpusPackets(true).toString();
        assertFalse(text.contains("120"), text); // 0x78 = 120, the first sound byte
        assertTrue(text.contains("seq 3"), text);
    }

    @Test
    void commandResult_isByteExactAndDecodes() {
        CommandResult result = new CommandResult(0x0102030405060708L, CommandResult.Outcome.STARTED);
        byte[] wire = frame(FrameType.COMMAND_RESULT, 17, result.payload()).wireBytes();
        assertEquals("0065" + "01" + "08" + "00a1b2c3d4e5f601" + "0000000000000011" + "0000019ab697e800" + "0009"
                + "0102030405060708" + "01", HexFormat.of().formatHex(wire, 0, wire.length - Adp.SIGNATURE_BYTES));
        assertEquals(result, ((DeviceFrame) decode(wire)).commandResult());
    }

    @Test
    void commandResultOfAnUnknownResult_isMalformed() {
        byte[] payload = new CommandResult(1, CommandResult.Outcome.DONE).payload();
        payload[8] = 5;
        FrameFormatException error = assertInstanceOf(FrameFormatException.class,
                decode(frame(FrameType.COMMAND_RESULT, 5, payload).wireBytes()));
        assertEquals(NackReason.MALFORMED, error.reason());
    }

    @Test
    void commandResultOfTheWrongLength_isMalformed() {
        byte[] wire = withType(frame(FrameType.HEARTBEAT, 5, new byte[] {1, 2}).wireBytes(), FrameType.COMMAND_RESULT);
        assertEquals(NackReason.MALFORMED, assertInstanceOf(FrameFormatException.class, decode(wire)).reason());
    }

    @Test
    void commandSentByADevice_isUnsupported() {
        byte[] wire = withType(frame(FrameType.HEARTBEAT, 5, new byte[] {1, 2}).wireBytes(), FrameType.COMMAND);
        assertEquals(NackReason.UNSUPPORTED, assertInstanceOf(FrameFormatException.class, decode(wire)).reason());
    }

    @Test
    void listenCommand_isByteExact() {
        ByteBuf out = encode(ServerFrame.Command.of(DEVICE, 42, 0x0102030405060708L, DeviceCommand.LISTEN, 600));
        assertEquals("001f" + "01" + "83" + "00a1b2c3d4e5f601" + "000000000000002a" + "0102030405060708" + "0003"
                + "02" + "0258", ByteBufUtil.hexDump(out));
        out.release();
    }

    @Test
    void commands_roundTripThroughTheDeviceSideDecoder() {
        for (ServerFrame.Command sent : List.of(
                ServerFrame.Command.of(DEVICE, 1, 5, DeviceCommand.LOCATE, 0),
                ServerFrame.Command.of(DEVICE, 2, 5, DeviceCommand.LISTEN, 30),
                ServerFrame.Command.of(DEVICE, 3, 5, DeviceCommand.STOP, 0),
                ServerFrame.Command.of(DEVICE, 4, 5, DeviceCommand.ALERT_STATUS,
                        DeviceCommand.AlertFeedback.HELP_ON_THE_WAY.code()))) {
            ServerFrame.Command received = assertInstanceOf(ServerFrame.Command.class, deviceReads(encode(sent)));
            assertEquals(sent, received);
            assertEquals(sent.command(), received.command());
        }
    }

    @Test
    void commandOfAnUnknownCode_stillDecodesSoTheDeviceCanAnswerNotSupported() {
        ServerFrame.Command received = assertInstanceOf(ServerFrame.Command.class,
                deviceReads(encode(new ServerFrame.Command(DEVICE, 9, 5, 0x7f, 1))));
        assertEquals(0x7f, received.commandCode());
        assertTrue(received.command().isEmpty());
        assertEquals(9, received.commandId());
    }

    @Test
    void listenOfMoreThan600Seconds_isRefusedWhenBuilt() {
        assertThrows(IllegalArgumentException.class, () -> ServerFrame.Command.of(DEVICE, 1, 5, DeviceCommand.LISTEN, 601));
        assertThrows(IllegalArgumentException.class, () -> ServerFrame.Command.of(DEVICE, 1, 5, DeviceCommand.LISTEN, 0));
    }

    @Test
    void alertStatusOutside1To3_isRefusedWhenBuilt() {
        assertThrows(IllegalArgumentException.class,
                () -> ServerFrame.Command.of(DEVICE, 1, 5, DeviceCommand.ALERT_STATUS, 4));
    }

    @Test
    void nackNotExpected_isReason8AndKeepsTheConnectionOpen() {
        ByteBuf out = encode(new ServerFrame.Nack(DEVICE, 16, 1, NackReason.NOT_EXPECTED));
        assertEquals("001d" + "01" + "82" + "00a1b2c3d4e5f601" + "0000000000000010" + "0000000000000001" + "0001" + "08",
                ByteBufUtil.hexDump(out));
        assertEquals(new ServerFrame.Nack(DEVICE, 16, 1, NackReason.NOT_EXPECTED), deviceReads(out));
        assertFalse(NackReason.NOT_EXPECTED.closesConnection());
    }

    private static ByteBuf encode(ServerFrame frame) {
        EmbeddedChannel channel = new EmbeddedChannel(ServerFrameEncoder.INSTANCE);
        channel.writeOutbound(frame);
        ByteBuf out = channel.readOutbound();
        assertFalse(channel.finishAndReleaseAll());
        return out;
    }

    private static Object deviceReads(ByteBuf wire) {
        EmbeddedChannel channel = new EmbeddedChannel(new AdpFrameSplitter(), new ServerFrameDecoder());
        channel.writeInbound(wire.retainedDuplicate());
        wire.release();
        Object read = channel.readInbound();
        assertFalse(channel.finishAndReleaseAll());
        return read;
    }

    /** The same bytes with another type code: the payload length no longer fits the type. */
    private static byte[] withType(byte[] wire, FrameType type) {
        wire[3] = (byte) type.code();
        return wire;
    }
}
