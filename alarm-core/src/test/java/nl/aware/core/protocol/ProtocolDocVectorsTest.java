package nl.aware.core.protocol;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test vectors published in docs/protocol.md are what this code produces and accepts: every
 * documented field decodes as documented, every device vector verifies with the documented public key,
 * and re-signing from the documented scalar gives exactly the documented bytes.
 */
class ProtocolDocVectorsTest {
    /** Maven runs tests with the module directory as working directory. */
    private static final Path DOC = Path.of("..", "docs", "protocol.md");
    private static final Pattern BLOCK = Pattern.compile("```(adp-vector|adp-test-key)\\n(.*?)```", Pattern.DOTALL);

    private static Map<String, String> key;
    private static List<Map<String, String>> vectors;

    @BeforeAll
    static void readDoc() throws IOException {
        String text = Files.readString(DOC, StandardCharsets.UTF_8);
        List<Map<String, String>> found = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : m.group(2).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                int colon = line.indexOf(':');
                fields.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
            if (m.group(1).equals("adp-test-key")) {
                key = fields;
            } else {
                found.add(fields);
            }
        }
        vectors = found;
    }

    static Stream<Named<Map<String, String>>> deviceVectors() throws IOException {
        return named(true);
    }

    static Stream<Named<Map<String, String>>> serverVectors() throws IOException {
        return named(false);
    }

    private static Stream<Named<Map<String, String>>> named(boolean fromDevice) throws IOException {
        readDoc();
        return vectors.stream().filter(v -> FrameType.valueOf(v.get("type")).fromDevice() == fromDevice)
                .map(v -> Named.of(v.get("name"), v));
    }

    @Test
    void doc_publishesTheTestKeyAndAtLeastNineVectors() {
        assertNotNull(key, "an adp-test-key block");
        assertTrue(vectors.size() >= 9, "at least 9 adp-vector blocks, found " + vectors.size());

    }

    @Test
    void doc_hasAVectorForEveryFrameType() {
        for (FrameType type : FrameType.values()) {
            assertTrue(vectors.stream().anyMatch(v -> v.get("type").equals(type.name())), "a vector of type " + type);
        }
    }

    @Test
    void testKey_publicKeyIsTheDocumentedScalarTimesG() {
        BigInteger d = new BigInteger(key.get("d"), 16);
        assertEquals(64, key.get("d").length(), "d as 64 hex digits");
        assertEquals(ProtocolDocVectorsGenerator.publicPointHex(d), key.get("publicKey"));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("deviceVectors")
    void deviceVector_decodesToTheDocumentedFields(Map<String, String> v) {
        EmbeddedChannel channel = new EmbeddedChannel(new AdpFrameSplitter(), new DeviceFrameDecoder());
        byte[] wire = HexFormat.of().parseHex(v.get("hex"));
        assertEquals(Integer.parseInt(v.get("bytes")), wire.length, "bytes");
        channel.writeInbound(Unpooled.wrappedBuffer(wire));
        DeviceFrame frame = assertInstanceOf(DeviceFrame.class, channel.readInbound());
        assertEquals(FrameType.valueOf(v.get("type")), frame.type());
        assertEquals(Long.parseUnsignedLong(v.get("deviceId"), 16), frame.deviceId());
        assertEquals(Long.parseUnsignedLong(v.get("counter")), frame.counter());
        assertEquals(Long.parseLong(v.get("timeMs")), frame.deviceTimeMs());
        switch (frame.type()) {
            case PANIC, LOCATION, TEST -> {
                Location documented = ProtocolDocVectorsGenerator.location(v);
                Location decoded = frame.location();
                assertEquals(documented.latE7(), decoded.latE7(), "latE7");
                assertEquals(documented.lonE7(), decoded.lonE7(), "lonE7");
                assertEquals(documented.accuracyM(), decoded.accuracyM(), "accuracyM");
                assertEquals(documented.fixAgeS(), decoded.fixAgeS(), "fixAgeS");
                assertEquals(documented.source(), decoded.source(), "source");
                assertEquals(Boolean.parseBoolean(v.get("hasFix")), frame.location().hasFix(), "hasFix");
                assertEquals(ProtocolDocVectorsGenerator.integer(v, "battery"), frame.batteryPercent());
            }
            case HEARTBEAT -> {
                assertEquals(ProtocolDocVectorsGenerator.integer(v, "battery"), frame.batteryPercent());
                assertEquals(ProtocolDocVectorsGenerator.integer(v, "flags"), frame.flagsOrCode());
            }
            case STATUS -> {
                assertEquals(ProtocolDocVectorsGenerator.integer(v, "statusCode"), frame.flagsOrCode());
                assertEquals(ProtocolDocVectorsGenerator.integer(v, "battery"), frame.batteryPercent());
            }
            case AUDIO -> assertEquals(ProtocolDocVectorsGenerator.audio(v), frame.audio());
            case COMMAND_RESULT -> assertEquals(ProtocolDocVectorsGenerator.commandResult(v), frame.commandResult());
            default -> assertEquals(0, frame.payload().length, "CANCEL has an empty payload");
        }
        assertFalse(channel.finishAndReleaseAll());
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("deviceVectors")
    void deviceVector_verifiesWithTheDocumentedPublicKey(Map<String, String> v) throws Exception {
        PublicKey publicKey = ProtocolDocVectorsGenerator.publicKey(key.get("publicKey"));
        EmbeddedChannel channel = new EmbeddedChannel(new AdpFrameSplitter(), new DeviceFrameDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex(v.get("hex"))));
        DeviceFrame frame = assertInstanceOf(DeviceFrame.class, channel.readInbound());
        assertTrue(new FrameVerifier(publicKey).verify(frame), "signature verifies");
        assertFalse(channel.finishAndReleaseAll());
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("deviceVectors")
    void deviceVector_reSignedFromTheDocumentedScalar_isTheDocumentedHex(Map<String, String> v) throws Exception {
        PrivateKey privateKey = ProtocolDocVectorsGenerator.privateKey(new BigInteger(key.get("d"), 16));
        assertEquals(v.get("hex"), ProtocolDocVectorsGenerator.wireHex(v, privateKey));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("serverVectors")
    void serverVector_decodesToTheDocumentedFields(Map<String, String> v) {
        EmbeddedChannel channel = new EmbeddedChannel(new AdpFrameSplitter(), new ServerFrameDecoder());
        byte[] wire = HexFormat.of().parseHex(v.get("hex"));
        assertEquals(Integer.parseInt(v.get("bytes")), wire.length, "bytes");
        channel.writeInbound(Unpooled.wrappedBuffer(wire));
        ServerFrame frame = assertInstanceOf(ServerFrame.class, channel.readInbound());
        assertEquals(FrameType.valueOf(v.get("type")), frame.type());
        assertEquals(Long.parseUnsignedLong(v.get("deviceId"), 16), frame.deviceId());
        assertEquals(Long.parseUnsignedLong(v.get("counter")), frame.counter());
        assertEquals(Long.parseLong(v.get("timeMs")), frame.serverTimeMs());
        if (frame instanceof ServerFrame.Ack ack) {
            assertEquals(ProtocolDocVectorsGenerator.integer(v, "status") == 1, ack.duplicate(), "status");
            assertEquals(UUID.fromString(v.get("eventId")), ack.eventId());
        } else if (frame instanceof ServerFrame.Command command) {
            assertEquals(ProtocolDocVectorsGenerator.integer(v, "command"), command.commandCode(), "command");
            assertEquals(ProtocolDocVectorsGenerator.integer(v, "argument"), command.argument(), "argument");
            assertTrue(command.command().orElseThrow().acceptsArgument(command.argument()), "a meaningful argument");
        } else {
            ServerFrame.Nack nack = (ServerFrame.Nack) frame;
            assertEquals(ProtocolDocVectorsGenerator.integer(v, "reason"), nack.reason().code());
        }
        assertFalse(channel.finishAndReleaseAll());
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("serverVectors")
    void serverVector_isWhatTheServerWritesForTheDocumentedFields(Map<String, String> v) {
        assertEquals(v.get("hex"), ProtocolDocVectorsGenerator.wireHex(v, null));
    }

    @Test
    void panicVectors_are108BytesOnTheWire() {
        vectors.stream().filter(v -> v.get("type").equals("PANIC"))
                .forEach(v -> assertEquals(108, v.get("hex").length() / 2, v.get("name")));
    }
}
