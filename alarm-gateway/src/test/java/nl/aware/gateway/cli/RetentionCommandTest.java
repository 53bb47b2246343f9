package nl.aware.gateway.cli;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code aware retention purge|hold|release} on a deployment made with the tool: two alerts received 200 days ago,
 * one put under legal hold with the tool; after the purge the raw data and key directories are searched.
 */
class RetentionCommandTest {
    private static final String HELD = "00000000000000a1";
    private static final String OTHER = "00000000000000b2";
    private static final int HELD_LAT = 524_111_111;
    private static final int OTHER_LAT = 523_222_222;

    @TempDir
    Path dir;
    Path data;
    Path keys;
    UUID heldAlert;
    UUID otherAlert;
    YearMonth month;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int aware(String... args) {
        CommandLine commandLine = AwareCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @BeforeEach
    void deployment() throws Exception {
        data = dir.resolve("data");
        keys = dir.resolve("keys");
        assertEquals(0, aware("ca", "init", "--data-dir", data.toString()), err::toString);
        assertEquals(0, aware("keys", "init", "--key-dir", keys.toString()), err::toString);
        int before = out.toString().length();
        assertEquals(0, aware("carrier", "register", "--key-dir", keys.toString(), "--data-dir", data.toString(),
                "--region", "ijsselland", "--name", "Retention Test", "--intake-done", "--lives-in-region",
                "--agrees-to-report", "--realistic-risk", "--no-contact"), err::toString);
        Matcher registered = Pattern.compile("registered carrier ([0-9a-f-]{36})").matcher(out.toString().substring(before));
        assertTrue(registered.find(), out::toString);
        Path devices = dir.resolve("devices");
        for (String id : List.of(HELD, OTHER)) {
            assertEquals(0, aware("device", "enroll", "--key-dir", keys.toString(), "--data-dir", data.toString(),
                    "--id", id, "--carrier", registered.group(1), "--out", devices.toString()), err::toString);
        }
        heldAlert = UUID.randomUUID();
        otherAlert = UUID.randomUUID();
        Instant received = Instant.now().minus(Duration.ofDays(200));
        month = YearMonth.from(received.atZone(ZoneOffset.UTC));
        EventCodec codec = new EventCodec(DataKeyRing.load(keys));
        try (EventLog log = EventLog.open(EventLogOptions.defaults(data.resolve("log")), new SimpleMeterRegistry(),
                r -> { })) {
            append(log, codec, press(heldAlert, 0xa1, HELD_LAT, received, devices.resolve(HELD + ".key.pem")));
            append(log, codec, press(otherAlert, 0xb2, OTHER_LAT, received, devices.resolve(OTHER + ".key.pem")));
            append(log, codec, new Event.AlertStatusReported(heldAlert, AlertStatus.CLOSED, "MK-1", "oost"));
            append(log, codec, new Event.AlertStatusReported(otherAlert, AlertStatus.CLOSED, "MK-2", "oost"));
        }
    }

    private static void append(EventLog log, EventCodec codec, Event event) {
        log.append(EventCodec.typeOf(event), codec.encode(event)).join();
    }

    private static Event press(UUID id, long device, int lat, Instant at, Path key) throws Exception {
        ByteBuf payload = Unpooled.buffer(Location.BYTES);
        new Location(lat, 60_123_456, 10, 2, Location.SOURCE_GNSS, 90).write(payload);
        return new Event.FrameAccepted(id, at.toEpochMilli(), DeviceFrame.create(FrameType.PANIC, device, 1,
                at.toEpochMilli() - 100, ByteBufUtil.getBytes(payload), new FrameSigner(Pem.readPrivateKey(key))));
    }

    private String[] with(String... args) {
        return Stream.concat(Stream.of(args), Stream.of("--data-dir", data.toString(), "--key-dir", keys.toString()))
                .toArray(String[]::new);
    }

    @Test
    void purge_shredsTheUnheldLocation_keepsTheHeldOne_andTheLogStillVerifies() throws Exception {
        assertEquals(0, aware(with("retention", "hold", "--alert", heldAlert.toString(), "--reason", "case 2026/123",
                "--by", "mr. J. de Vries")), err::toString);
        Path monthKey = keys.resolve("location-key-" + month + ".key");
        String savedKey = Files.readString(monthKey).trim();

        assertEquals(0, aware(with("retention", "purge", "--older-than", "P90D", "--dry-run")), err::toString);
        assertTrue(out.toString().contains("dry run: nothing changed"), out::toString);
        assertTrue(Files.exists(monthKey), "a dry run destroys nothing");

        assertEquals(0, aware(with("retention", "purge", "--older-than", "P90D", "--by", "ops")), err::toString);
        assertTrue(out.toString().contains("purged: 1 month key(s)"), out::toString);

        // grep the raw files: the key is nowhere, no location is in clear anywhere
        assertFalse(Files.exists(monthKey));
        for (Path file : files(keys)) {
            assertFalse(Files.readString(file, StandardCharsets.ISO_8859_1).contains(savedKey), file + " holds the key");
        }
        for (Path file : files(data)) {
            String hex = HexFormat.of().formatHex(Files.readAllBytes(file));
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (int lat : new int[] {HELD_LAT, OTHER_LAT}) {
                assertFalse(hex.contains(HexFormat.of().formatHex(ByteBuffer.allocate(4).putInt(lat).array())), file.toString());
                assertFalse(text.contains(Integer.toString(lat)), file.toString());
            }
        }

        assertEquals(0, aware("log", "verify", "--data-dir", data.toString()), err::toString);
        assertTrue(out.toString().contains("log intact"), out::toString);

        Path heldBundle = dir.resolve("held");
        assertEquals(0, aware(with("log", "export", "--alert", heldAlert.toString(), "--out", heldBundle.toString())),
                err::toString);
        assertTrue(Files.readString(heldBundle.resolve("frames.json")).contains("52.4111111"), "held location recovered");

        assertEquals(AwareCommand.CHECK_FAILED, aware(with("log", "export", "--alert", otherAlert.toString(), "--out",
                dir.resolve("other").toString())));
        assertTrue(err.toString().contains("location purged on") && err.toString().contains("under retention policy P90D"),
                err::toString);
        assertEquals(AwareCommand.CHECK_FAILED, aware(with("retention", "hold", "--alert", otherAlert.toString(),
                "--reason", "too late", "--by", "officer")));
        assertTrue(err.toString().contains("nothing left to hold"), err::toString);
    }

    @Test
    void holdAndRelease_areRecordedOnce_andRefusedWhenTheyMakeNoSense() throws Exception {
        String[] hold = with("retention", "hold", "--alert", heldAlert.toString(), "--reason", "case 1", "--by", "officer");
        assertEquals(0, aware(hold), err::toString);
        assertEquals(AwareCommand.CHECK_FAILED, aware(hold));
        assertTrue(err.toString().contains("already under legal hold"), err::toString);
        assertEquals(AwareCommand.CHECK_FAILED, aware(with("retention", "hold", "--alert", UUID.randomUUID().toString(),
                "--reason", "x", "--by", "officer")));
        assertTrue(err.toString().contains("no alert"), err::toString);
        String[] release = with("retention", "release", "--alert", heldAlert.toString(), "--reason", "case closed",
                "--by", "officer");
        assertEquals(0, aware(release), err::toString);
        assertEquals(AwareCommand.CHECK_FAILED, aware(release));
        assertTrue(err.toString().contains("not under legal hold"), err::toString);
        assertEquals(AwareCommand.USAGE, aware(with("retention", "hold", "--alert", heldAlert.toString(), "--by", "x")));
    }

    @Test
    void whileTheLogIsInUse_theCommandsRefuseWithExitThree() throws Exception {
        try (EventLog running = EventLog.open(EventLogOptions.defaults(data.resolve("log")), new SimpleMeterRegistry(),
                r -> { })) {
            assertEquals(AwareCommand.ENVIRONMENT, aware(with("retention", "purge", "--older-than", "P90D")));
            assertTrue(err.toString().contains("stop that first"), err::toString);
        }
        assertTrue(Files.exists(keys.resolve("location-key-" + month + ".key")));
    }

    @Test
    void help_exitsZero() {
        for (String command : List.of("purge", "hold", "release")) {
            assertEquals(0, aware("retention", command, "--help"));
        }
        assertTrue(out.toString().contains("--older-than") && out.toString().contains("--reason"), out::toString);
    }

    private static List<Path> files(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
