package nl.aware.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.bouncycastle.jce.ECNamedCurveTable;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the ADP/1 test vectors of docs/protocol.md with the project's own codec, from the published
 * TEST key. {@link #main} prints the fenced blocks for the document; {@link ProtocolDocVectorsTest}
 * uses {@link #wireHex} to re-build each documented vector from its documented fields.
 */
final class ProtocolDocVectorsGenerator {
    /** SHA-256 of the ASCII text {@value #KEY_SEED}: a published TEST key, never a deployment key. */
    static final String KEY_SEED = "AWARE ADP/1 published test key - never deploy";

    private ProtocolDocVectorsGenerator() {
    }

    static BigInteger testScalar() throws GeneralSecurityException {
        return new BigInteger(1, java.security.MessageDigest.getInstance("SHA-256")
                .digest(KEY_SEED.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    static ECParameterSpec p256() throws GeneralSecurityException {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        return parameters.getParameterSpec(ECParameterSpec.class);
    }

    static PrivateKey privateKey(BigInteger d) throws GeneralSecurityException {
        return KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, p256()));
    }

    /** The uncompressed point 04||x||y for a scalar, computed independently of the JDK key classes. */
    static String publicPointHex(BigInteger d) {
        return HexFormat.of().formatHex(ECNamedCurveTable.getParameterSpec("P-256").getG().multiply(d).normalize()
                .getEncoded(false));
    }

    static PublicKey publicKey(String uncompressedHex) throws GeneralSecurityException {
        byte[] point = HexFormat.of().parseHex(uncompressedHex);
        if (point.length != 65 || point[0] != 0x04) {
            throw new IllegalArgumentException("not an uncompressed P-256 point: " + point.length + " bytes");
        }
        ECPoint w = new ECPoint(new BigInteger(1, java.util.Arrays.copyOfRange(point, 1, 33)),
                new BigInteger(1, java.util.Arrays.copyOfRange(point, 33, 65)));
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, p256()));
    }

    /** The wire bytes (length prefix included) a vector's fields describe; device frames signed with {@code key}. */
    static String wireHex(Map<String, String> v, PrivateKey key) {
        FrameType type = FrameType.valueOf(v.get("type"));
        long deviceId = Long.parseUnsignedLong(v.get("deviceId"), 16);
        long counter = Long.parseUnsignedLong(v.get("counter"));
        long timeMs = Long.parseLong(v.get("timeMs"));
        ByteBuf out = Unpooled.buffer();
        try {
            if (type.fromDevice()) {
                ByteBuf payload = Unpooled.buffer();
                switch (type) {
                    case PANIC, LOCATION, TEST -> location(v).write(payload);
                    case HEARTBEAT -> payload.writeByte(integer(v, "battery")).writeByte(integer(v, "flags"));
                    case STATUS -> payload.writeByte(integer(v, "statusCode")).writeByte(integer(v, "battery"));
                    case AUDIO -> payload.writeBytes(audio(v).payload());
                    case COMMAND_RESULT -> payload.writeBytes(commandResult(v).payload());
                    default -> { } // CANCEL: empty
                }
                DeviceFrame.create(type, deviceId, counter, timeMs, ByteBufUtil.getBytes(payload), new FrameSigner(key))
                        .writeTo(out);
                payload.release();
            } else if (type == FrameType.ACK) {
                ServerFrame.write(new ServerFrame.Ack(deviceId, counter, timeMs, integer(v, "status") == 1,
                        UUID.fromString(v.get("eventId"))), out);
            } else if (type == FrameType.COMMAND) {
                ServerFrame.write(new ServerFrame.Command(deviceId, counter, timeMs, integer(v, "command"),
                        integer(v, "argument")), out);
            } else {
                ServerFrame.write(new ServerFrame.Nack(deviceId, counter, timeMs,
                        NackReason.of(integer(v, "reason")).orElseThrow()), out);
            }
            return ByteBufUtil.hexDump(out);
        } finally {
            out.release();
        }
    }

    static Location location(Map<String, String> v) {
        return new Location(integer(v, "latE7"), integer(v, "lonE7"), integer(v, "accuracyM"), integer(v, "fixAgeS"),
                integer(v, "source"), integer(v, "battery"));
    }

    static AudioChunk audio(Map<String, String> v) {
        return new AudioChunk(Long.parseUnsignedLong(v.get("streamId")), Long.parseLong(v.get("seq")),
                integer(v, "codec"), integer(v, "flags"), integer(v, "durationMs"), HexFormat.of().parseHex(v.get("data")));
    }

    static CommandResult commandResult(Map<String, String> v) {
        return new CommandResult(Long.parseUnsignedLong(v.get("commandId")),
                CommandResult.Outcome.of(integer(v, "result")).orElseThrow());
    }

    /** Decimal, or hex with a 0x prefix (the "unknown" markers read better that way). */
    static int integer(Map<String, String> v, String field) {
        String text = v.get(field);
        if (text == null) {
            throw new IllegalArgumentException("vector " + v.get("name") + " has no field " + field);
        }
        return text.startsWith("0x") ? Integer.parseUnsignedInt(text.substring(2), 16) : Integer.parseInt(text);
    }

    /** The vectors of docs/protocol.md, fields only (hex, bytes and hasFix are filled in by {@link #main}). */
    static List<Map<String, String>> definitions() {
        List<Map<String, String>> all = new ArrayList<>();
        String device = "00a1b2c3d4e5f601";
        all.add(vector("panic-zwolle", "PANIC", device, "1764000000000001", "1764000000000",
                "latE7", "525168000", "lonE7", "60830000", "accuracyM", "12", "fixAgeS", "3", "source", "1", "battery", "87"));
        all.add(vector("panic-no-fix", "PANIC", device, "1764000000000002", "1764000002000",
                "latE7", "0x7fffffff", "lonE7", "0x7fffffff", "accuracyM", "0xffff", "fixAgeS", "0xffff", "source", "0",
                "battery", "87"));
        all.add(vector("location-tracking", "LOCATION", device, "1764000000000003", "1764000015000",
                "latE7", "525171234", "lonE7", "60845678", "accuracyM", "35", "fixAgeS", "1", "source", "2", "battery", "86"));
        all.add(vector("heartbeat-charging", "HEARTBEAT", device, "1764000000000004", "1764003600000",
                "battery", "64", "flags", "1"));
        all.add(vector("status-tamper", "STATUS", device, "1764000000000005", "1764003700000",
                "statusCode", "3", "battery", "63"));
        all.add(vector("test-cell", "TEST", device, "1764000000000006", "1764090000000",
                "latE7", "522215000", "lonE7", "68937000", "accuracyM", "900", "fixAgeS", "40", "source", "3", "battery", "99"));
        all.add(vector("cancel", "CANCEL", device, "1764000000000007", "1764090060000"));
        all.add(vector("ack-panic-zwolle", "ACK", device, "1764000000000001", "1764000000412",
                "status", "0", "eventId", "3f2c8a61-5b7e-4d0a-9c1e-8f6b2d4a7e10"));
        all.add(vector("ack-duplicate", "ACK", device, "1764000000000001", "1764000003455",
                "status", "1", "eventId", "3f2c8a61-5b7e-4d0a-9c1e-8f6b2d4a7e10"));
        all.add(vector("nack-replayed-counter", "NACK", device, "1764000000000001", "1764100000000", "reason", "2"));
        // ADP/1 additions: listen-in, evidential audio, commands. The Opus bytes are illustrative packets
        // (TOC 0x48: SILK wide-band 20 ms, mono), not sound: the vectors fix the framing, not the codec.
        all.add(vector("audio-opus-after-panic", "AUDIO", device, "1764000000000008", "1764000000500",
                "streamId", "1764000000000001", "seq", "0", "codec", "1", "flags", "0", "durationMs", "40",
                "data", "000448a1b2c3" + "000348d4e5"));
        all.add(vector("audio-g711-last-of-listen", "AUDIO", device, "1764000000000010", "1764000061000",
                "streamId", "1764000000000201", "seq", "7", "codec", "2", "flags", "1", "durationMs", "2",
                "data", "ffffffff7f7f7f7fffffffff7f7f7f7f"));
        all.add(vector("command-result-listen-started", "COMMAND_RESULT", device, "1764000000000009", "1764000060100",
                "commandId", "1764000000000201", "result", "1"));
        all.add(vector("command-listen-60s", "COMMAND", device, "1764000000000201", "1764000060000",
                "command", "2", "argument", "60"));
        all.add(vector("command-alert-status-help-on-the-way", "COMMAND", device, "1764000000000202", "1764000300000",
                "command", "4", "argument", "2"));
        all.add(vector("nack-not-expected", "NACK", device, "1764000000000011", "1764000100000", "reason", "8"));
        return all;
    }

    private static Map<String, String> vector(String name, String type, String deviceId, String counter, String timeMs,
                                              String... fields) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("name", name);
        v.put("type", type);
        v.put("deviceId", deviceId);
        v.put("counter", counter);
        v.put("timeMs", timeMs);
        for (int i = 0; i < fields.length; i += 2) {
            v.put(fields[i], fields[i + 1]);
        }
        return v;
    }

    /** Prints the key block and one fenced block per vector, ready to paste into docs/protocol.md. */
    public static void main(String[] args) throws Exception {
        BigInteger d = testScalar();
        System.out.println("```adp-test-key");
        System.out.printf("d: %064x%n", d);
        System.out.println("publicKey: " + publicPointHex(d));
        System.out.println("```");
        PrivateKey key = privateKey(d);
        for (Map<String, String> v : definitions()) {
            String hex = wireHex(v, key);
            System.out.println();
            System.out.println("```adp-vector");
            v.forEach((field, value) -> System.out.println(field + ": " + value));
            if (FrameType.valueOf(v.get("type")).carriesLocation()) {
                System.out.println("hasFix: " + location(v).hasFix());
            }
            System.out.println("bytes: " + hex.length() / 2);
            System.out.println("hex: " + hex);
            System.out.println("```");
        }
    }
}
