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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code aware log export --from --to} on a deployment made with the tool, and {@code verify-bundle} on its output. */
class RangeExportCommandTest {
    private static final String DEVICE = "00000000000000a1";

    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private int aware(String... args) {
        CommandLine commandLine = AwareCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    /** Two closed alerts of one carrier, one minute and one hour after t0. */
    private void deployment(Path data, Path keys) throws Exception {
        assertEquals(0, aware("ca", "init", "--data-dir", data.toString()), err::toString);
        assertEquals(0, aware("keys", "init", "--key-dir", keys.toString()), err::toString);
        int before = out.toString().length();
        assertEquals(0, aware("carrier", "register", "--key-dir", keys.toString(), "--data-dir", data.toString(),
                "--region", "ijsselland", "--name", "Range Test", "--intake-done", "--lives-in-region",
                "--agrees-to-report", "--realistic-risk", "--no-contact"), err::toString);
        Matcher registered = Pattern.compile("registered carrier ([0-9a-f-]{36})").matcher(out.toString().substring(before));
        assertTrue(registered.find(), out::toString);
        Path devices = dir.resolve("devices");
        assertEquals(0, aware("device", "enroll", "--key-dir", keys.toString(), "--data-dir", data.toString(),
                "--id", DEVICE, "--carrier", registered.group(1), "--out", devices.toString()), err::toString);
        FrameSigner signer = new FrameSigner(Pem.readPrivateKey(devices.resolve(DEVICE + ".key.pem")));
        EventCodec codec = new EventCodec(DataKeyRing.load(keys));
        try (EventLog log = EventLog.open(EventLogOptions.defaults(data.resolve("log")), new SimpleMeterRegistry(),
                r -> { })) {
            for (int i = 0; i < 2; i++) {
                UUID alert = UUID.randomUUID();
                long at = t0.plus(i == 0 ? Duration.ofMinutes(1) : Duration.ofHours(1)).toEpochMilli();
                ByteBuf payload = Unpooled.buffer(Location.BYTES);
                new Location(524_100_000 + i, 60_000_000, 10, 2, Location.SOURCE_GNSS, 90).write(payload);
                append(log, codec, new Event.FrameAccepted(alert, at, DeviceFrame.create(FrameType.PANIC, 0xa1, i + 1,
                        at - 50, ByteBufUtil.getBytes(payload), signer)));
                append(log, codec, new Event.AlertStatusReported(alert, AlertStatus.CLOSED, "MK-" + i, "oost"));
            }
        }
    }

    private static void append(EventLog log, EventCodec codec, Event event) {
        log.append(EventCodec.typeOf(event), codec.encode(event)).join();
    }

    @Test
    void rangeExport_verifiesWithNoDataDirectoryAndNoKeys() throws Exception {
        Path data = dir.resolve("data");
        Path keys = dir.resolve("keys");
        deployment(data, keys);
        Path zip = dir.resolve("range.zip");
        assertEquals(0, aware("log", "export", "--data-dir", data.toString(), "--key-dir", keys.toString(),
                "--from", t0.toString(), "--to", t0.plus(Duration.ofMinutes(30)).toString(), "--out", zip.toString()),
                err::toString);
        assertTrue(out.toString().contains("exported 1 alert(s)"), out::toString);
        deleteTree(data);
        deleteTree(keys);

        assertEquals(0, aware("log", "verify-bundle", "--bundle", zip.toString()), err::toString);
        assertTrue(out.toString().contains("bundle OK"), out::toString);
        assertTrue(out.toString().contains("1 alert(s) whose press was received from " + t0), out::toString);
    }

    @Test
    void badRanges_areUsageErrors() throws Exception {
        Path data = dir.resolve("data");
        Path keys = dir.resolve("keys");
        deployment(data, keys);
        String[] common = {"log", "export", "--data-dir", data.toString(), "--key-dir", keys.toString(), "--out",
                dir.resolve("x.zip").toString()};
        assertEquals(AwareCommand.USAGE, aware(concat(common, "--from", "yesterday", "--to", t0.toString())));
        assertTrue(err.toString().contains("--from"), err::toString);
        assertEquals(AwareCommand.USAGE, aware(concat(common, "--from", t0.toString(), "--to", t0.toString())));
        assertTrue(err.toString().contains("must be before"), err::toString);
        assertEquals(AwareCommand.USAGE, aware(concat(common, "--from", t0.toString())));
        assertEquals(AwareCommand.USAGE, aware(concat(common, "--alert", UUID.randomUUID().toString(),
                "--from", t0.toString(), "--to", t0.plusSeconds(60).toString())));
        assertTrue(Files.notExists(dir.resolve("x.zip")));
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
