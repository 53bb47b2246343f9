package nl.aware.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.pki.Pem;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.Location;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code aware log export} and {@code aware log verify-bundle} on a deployment made with the tool itself
 * (ca init, keys init, device enroll), with frames signed by the enrolled device's own key.
 */
class ExportBundleCommandTest {
    private static final String CARRIER = "00000000000000a1";
    private static final String OTHER = "00000000000000b2";

    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    /** The press of the carrier's second device that joined the alert: an event id, not an alert id. */
    private UUID joinedPress;

    private int aware(String... args) {
        CommandLine commandLine = AwareCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    /**
     * A deployment with one closed alert of CARRIER and, in between, a press of OTHER, the same carrier's
     * second device: it joins the alert (one carrier, one incident). Returns the alert id.
     */
    private UUID deploymentWithAnAlert(Path data, Path keys) throws Exception {
        assertEquals(0, aware("ca", "init", "--data-dir", data.toString()), err::toString);
        assertEquals(0, aware("keys", "init", "--key-dir", keys.toString()), err::toString);
        Path devices = dir.resolve("devices");
        int before = out.toString().length();
        assertEquals(0, aware("carrier", "register", "--key-dir", keys.toString(), "--data-dir", data.toString(),
                "--region", "ijsselland", "--name", "Export Test", "--intake-done", "--lives-in-region",
                "--agrees-to-report", "--realistic-risk", "--no-contact"), err::toString);
        java.util.regex.Matcher registered = java.util.regex.Pattern.compile("registered carrier ([0-9a-f-]{36})")
                .matcher(out.toString().substring(before));
        assertTrue(registered.find(), out::toString);
        for (String id : new String[] {CARRIER, OTHER}) { // one carrier record, then enrolment + assignment each
            assertEquals(0, aware("device", "enroll", "--key-dir", keys.toString(), "--data-dir", data.toString(),
                    "--id", id, "--carrier", registered.group(1), "--out", devices.toString()), err::toString);
        }
        FrameSigner carrier = new FrameSigner(Pem.readPrivateKey(devices.resolve(CARRIER + ".key.pem")));
        FrameSigner other = new FrameSigner(Pem.readPrivateKey(devices.resolve(OTHER + ".key.pem")));
        EventCodec codec = new EventCodec(DataKeyRing.load(keys));
        UUID alert = UUID.randomUUID();
        UUID location = UUID.randomUUID();
        long t = System.currentTimeMillis();
        try (EventLog log = EventLog.open(EventLogOptions.defaults(data.resolve("log")), new SimpleMeterRegistry(),
                r -> { })) {
            append(log, codec, new Event.FrameAccepted(alert, t + 5, frame(FrameType.PANIC, 0xa1, 1, t, 524_100_000, carrier)));
            joinedPress = UUID.randomUUID();
            append(log, codec, new Event.FrameAccepted(joinedPress, t + 6,
                    frame(FrameType.PANIC, 0xb2, 1, t, 523_456_789, other)));
            append(log, codec, new Event.Delivered(alert, "ijsselland/primary", 1, "MK-1"));
            append(log, codec, new Event.FrameAccepted(location, t + 15,
                    frame(FrameType.LOCATION, 0xa1, 2, t + 10, 524_100_100, carrier)));
            append(log, codec, new Event.Delivered(location, "ijsselland/primary", 1, ""));
            append(log, codec, new Event.AlertStatusReported(alert, AlertStatus.CLOSED, "MK-1", "meldkamer-oost"));
        }
        return alert;
    }

    private static void append(EventLog log, EventCodec codec, Event event) {
        log.append(EventCodec.typeOf(event), codec.encode(event)).join();
    }

    private static DeviceFrame frame(FrameType type, long device, long counter, long time, int lat, FrameSigner signer) {
        ByteBuf payload = Unpooled.buffer(Location.BYTES);
        new Location(lat, 60_000_000, 10, 2, Location.SOURCE_GNSS, 90).write(payload);
        return DeviceFrame.create(type, device, counter, time, ByteBufUtil.getBytes(payload), signer);
    }

    @Test
    void exportedZip_verifiesWithNoServerNoDataDirectoryAndNoKeys() throws Exception {
        Path data = dir.resolve("data");
        Path keys = dir.resolve("keys");
        UUID alert = deploymentWithAnAlert(data, keys);
        Path zip = dir.resolve("evidence/alert.zip");
        assertEquals(0, aware("log", "export", "--data-dir", data.toString(), "--key-dir", keys.toString(),
                "--alert", alert.toString(), "--out", zip.toString()), err::toString);
        assertTrue(out.toString().contains("log records 6..11"), out::toString);
        Path trusted = dir.resolve("kadera-ca.pem");
        Files.copy(data.resolve("pki/ca.pem"), trusted);
        deleteTree(data);
        deleteTree(keys);

        assertEquals(0, aware("log", "verify-bundle", "--bundle", zip.toString(), "--trust-ca", trusted.toString()),
                err::toString);
        assertTrue(out.toString().contains("bundle OK"), out::toString);
        // The press, the carrier's second device's press (with its own certificate in the bundle), the location.
        assertTrue(out.toString().contains("3 signed device frames"), out::toString);
    }

    @Test
    void changedLocation_failsVerificationWithExitOne() throws Exception {
        Path data = dir.resolve("data");
        Path keys = dir.resolve("keys");
        UUID alert = deploymentWithAnAlert(data, keys);
        Path bundle = dir.resolve("bundle");
        assertEquals(0, aware("log", "export", "--data-dir", data.toString(), "--key-dir", keys.toString(),
                "--alert", alert.toString(), "--out", bundle.toString()), err::toString);
        assertEquals(0, aware("log", "verify-bundle", "--bundle", bundle.toString(), "--key-dir", keys.toString()),
                err::toString);
        assertTrue(out.toString().contains("byte for byte"), out::toString);

        // Move the LOCATION (record 9) one step north: one byte of its signed latitude.
        ObjectMapper json = new ObjectMapper();
        Path framesFile = bundle.resolve("frames.json");
        JsonNode frames = json.readTree(framesFile.toFile());
        for (JsonNode frame : frames.get("frames")) {
            if (frame.get("record").asLong() == 9) {
                byte[] wire = HexFormat.of().parseHex(frame.get("wire").asText());
                wire[33]++;
                ((ObjectNode) frame).put("wire", HexFormat.of().formatHex(wire));
            }
        }
        json.writeValue(framesFile.toFile(), frames);

        assertEquals(AwareCommand.CHECK_FAILED, aware("log", "verify-bundle", "--bundle", bundle.toString()));
        assertTrue(err.toString().contains("bundle DAMAGED: frames.json, record 9"), err::toString);
        assertTrue(err.toString().contains("signature"), err::toString);
    }

    @Test
    void unknownAlert_exitsOneAndWritesNothing() throws Exception {
        Path data = dir.resolve("data");
        Path keys = dir.resolve("keys");
        deploymentWithAnAlert(data, keys);
        Path zip = dir.resolve("none.zip");
        assertEquals(AwareCommand.CHECK_FAILED, aware("log", "export", "--data-dir", data.toString(), "--key-dir",
                keys.toString(), "--alert", UUID.randomUUID().toString(), "--out", zip.toString()));
        assertTrue(err.toString().contains("no alert"), err::toString);
        assertTrue(Files.notExists(zip));
    }

    @Test
    void repeatedPressId_isNoAlert_exitsOneAndWritesNothing() throws Exception {
        Path data = dir.resolve("data");
        Path keys = dir.resolve("keys");
        deploymentWithAnAlert(data, keys);
        Path zip = dir.resolve("repeat.zip");
        assertEquals(AwareCommand.CHECK_FAILED, aware("log", "export", "--data-dir", data.toString(), "--key-dir",
                keys.toString(), "--alert", joinedPress.toString(), "--out", zip.toString()));
        assertTrue(err.toString().contains("not that of a repeated press"), err::toString);
        assertTrue(Files.notExists(zip));
    }

    @Test
    void help_exitsZero() {
        assertEquals(0, aware("log", "export", "--help"));
        assertEquals(0, aware("log", "verify-bundle", "--help"));
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
