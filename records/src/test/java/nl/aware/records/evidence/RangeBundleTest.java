package nl.aware.records.evidence;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import nl.aware.records.checkpoint.Checkpoints;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.Region;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.log.LogRecord;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.pki.Pem;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.Location;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Time-range export from a real log: alerts of two devices pressed at known receive times, a repeated press
 * inside an open alert (not an alert of its own), a new alert after a close, and a checkpoint after the first
 * alert. The container verifies offline, each bundle in it verifies alone, and edits are named.
 */
class RangeBundleTest {
    static final long A = 0xa1L;
    static final long B = 0xb2L;
    /** Now: the certificates (made now) must be valid at every press. */
    static final Instant T0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    @TempDir
    static Path shared;
    static Path logDir;
    static Path caPem;
    static DataKeyRing keys;
    static UUID first;   // A, T0 + 1 min, closed, anchored by the checkpoint
    static UUID second;  // B, T0 + 2 min (A presses again in it: same alert as first? no: A's first is closed)
    static UUID third;   // A, T0 + 3 min, new alert after the close; a repeat press at T0 + 4 min joins it
    static UUID late;    // B, T0 + 2 h (B's second alert opens after the close of B's first)

    @TempDir
    Path dir;

    @BeforeAll
    static void buildLog() throws Exception {
        logDir = shared.resolve("log");
        keys = DataKeyRing.create(shared.resolve("keys"));
        CertificateAuthority ca = CertificateAuthority.create("Test CA", Duration.ofDays(3650));
        caPem = shared.resolve("ca.pem");
        Files.writeString(caPem, Pem.encode(ca.certificate()));
        IssuedCredential server = ca.issueServer("test gateway", List.of("localhost"), List.of(), Duration.ofDays(30));
        IssuedCredential a = ca.issueDevice(A, Duration.ofDays(365));
        IssuedCredential b = ca.issueDevice(B, Duration.ofDays(365));
        FrameSigner sa = new FrameSigner(a.privateKey());
        FrameSigner sb = new FrameSigner(b.privateKey());
        EventCodec codec = new EventCodec(keys);
        first = UUID.randomUUID();
        second = UUID.randomUUID();
        third = UUID.randomUUID();
        late = UUID.randomUUID();
        try (EventLog log = EventLog.open(EventLogOptions.defaults(logDir), new SimpleMeterRegistry(), r -> { })) {
            append(log, codec, new Event.DeviceEnrolled(A, Region.IJSSELLAND, a.certificate().getEncoded()));
            append(log, codec, new Event.DeviceEnrolled(B, Region.TWENTE, b.certificate().getEncoded()));
            append(log, codec, press(first, A, 1, minutes(1), sa));
            LogRecord closed = append(log, codec, new Event.AlertStatusReported(first, AlertStatus.CLOSED, "MK-1", "oost"));
            append(log, codec, Checkpoints.sign(server.privateKey(), server.certificate(), closed.sequence(),
                    closed.hash(), minutes(1) + 500));
            append(log, codec, press(second, B, 1, minutes(2), sb));
            append(log, codec, press(third, A, 2, minutes(3), sa));
            append(log, codec, press(UUID.randomUUID(), A, 3, minutes(4), sa)); // repeated press: joins third
            append(log, codec, new Event.AlertStatusReported(second, AlertStatus.CLOSED, "MK-2", "oost"));
            append(log, codec, press(late, B, 2, minutes(120), sb));
        }
    }

    static long minutes(int m) {
        return T0.plus(Duration.ofMinutes(m)).toEpochMilli();
    }

    private static LogRecord append(EventLog log, EventCodec codec, Event event) {
        return log.append(EventCodec.typeOf(event), codec.encode(event)).join();
    }

    private static Event press(UUID id, long device, long counter, long at, FrameSigner signer) {
        ByteBuf payload = Unpooled.buffer(Location.BYTES);
        new Location(524_000_000 + (int) counter, 60_900_000, 10, 2, Location.SOURCE_GNSS, 90).write(payload);
        return new Event.FrameAccepted(id, at, DeviceFrame.create(FrameType.PANIC, device, counter, at - 100,
                ByteBufUtil.getBytes(payload), signer));
    }

    private RangeBundle export(Instant from, Instant to) throws Exception {
        return RangeBundle.export(logDir, caPem, keys, from, to, Instant.now());
    }

    @Test
    void everyAlertOpenedInTheRange_isExportedAndTheContainerVerifiesOffline() throws Exception {
        RangeBundle range = export(T0, T0.plus(Duration.ofHours(1)));
        assertEquals(List.of(first, second, third), range.alerts().stream().map(AlertBundle::alertId).toList(),
                "the repeated press and the alert after the range are not alerts of the range");
        Path zip = dir.resolve("range.zip");
        range.write(zip);

        BundleVerifier.Result result = BundleVerifier.verify(zip);
        assertTrue(result.ok(), () -> String.valueOf(result.problem()));
        String summary = String.join("\n", result.summary());
        assertTrue(summary.startsWith("3 alert(s) whose press was received from " + T0), summary);
        assertTrue(summary.contains("1 anchored by a signed checkpoint"), summary);
        assertTrue(summary.contains("alert " + first + ", press received " + Instant.ofEpochMilli(minutes(1))
                + ": bundle OK, anchored by a signed checkpoint"), summary);
    }

    @Test
    void eachAlertBundleInside_verifiesOnItsOwn() throws Exception {
        RangeBundle range = export(T0, T0.plus(Duration.ofHours(1)));
        Path single = dir.resolve("third.zip");
        Files.write(single, range.files().get(RangeBundle.fileName(third)));
        BundleVerifier.Result result = BundleVerifier.verify(single);
        assertTrue(result.ok(), () -> String.valueOf(result.problem()));
        assertTrue(String.join("\n", result.summary()).contains("alert " + third), result.summary()::toString);
    }

    @Test
    void emptyRange_givesAContainerWithNoAlertsThatVerifies() throws Exception {
        Path out = dir.resolve("empty");
        export(T0.minus(Duration.ofDays(2)), T0.minus(Duration.ofDays(1))).write(out);
        BundleVerifier.Result result = BundleVerifier.verify(out);
        assertTrue(result.ok(), () -> String.valueOf(result.problem()));
        assertTrue(result.summary().get(0).startsWith("0 alert(s)"), result.summary()::toString);
    }

    @Test
    void changedLocationInsideOneAlertBundle_failsNamingThatBundleAndFrame() throws Exception {
        Path out = dir.resolve("range");
        export(T0, T0.plus(Duration.ofHours(1))).write(out);
        Path inner = out.resolve(RangeBundle.fileName(second));
        Map<String, byte[]> files = BundleVerifier.readZip(Files.readAllBytes(inner), "inner");
        Path unpacked = dir.resolve("unpacked");
        BundleFiles.write(files, unpacked);
        AlertBundleTest.editFrames(unpacked, frames -> {
            Map<String, Object> frame = AlertBundleTest.frameOf(frames, 6L);
            frame.put("wire", AlertBundleTest.flipHexByte((String) frame.get("wire"), 33));
        });
        AlertBundleTest.rehashManifest(unpacked);
        Map<String, byte[]> edited = new LinkedHashMap<>();
        try (var listing = Files.list(unpacked)) {
            for (Path p : listing.toList()) {
                edited.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        BundleFiles.zip(edited, zip);
        Files.write(inner, zip.toByteArray());
        AlertBundleTest.rehashManifest(out); // the container's digests fixed too

        BundleVerifier.Result result = BundleVerifier.verify(out);
        assertFalse(result.ok());
        assertEquals(RangeBundle.fileName(second) + "/" + BundleFormat.FRAMES, result.problem().file());
        assertEquals(6, result.problem().sequence());
        assertTrue(result.problem().description().contains("signature"), result.problem()::toString);
    }

    @Test
    void narrowedRangeInTheManifest_isRefusedNamingTheAlertOutsideIt() throws Exception {
        Path out = dir.resolve("range");
        export(T0, T0.plus(Duration.ofHours(1))).write(out);
        Path manifest = out.resolve(BundleFormat.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replace("\"from\" : \"" + T0 + "\"",
                "\"from\" : \"" + Instant.ofEpochMilli(minutes(2)) + "\""));
        BundleVerifier.Result result = BundleVerifier.verify(out);
        assertFalse(result.ok());
        assertEquals(RangeBundle.fileName(first), result.problem().file());
        assertTrue(result.problem().description().contains("outside the range"), result.problem()::toString);
    }

    @Test
    void unlistedAlertBundle_isRefused() throws Exception {
        Path out = dir.resolve("range");
        export(T0, T0.plus(Duration.ofHours(1))).write(out);
        Files.write(out.resolve(RangeBundle.fileName(late)), export(T0, T0.plus(Duration.ofHours(3))).files()
                .get(RangeBundle.fileName(late)));
        BundleVerifier.Result result = BundleVerifier.verify(out);
        assertFalse(result.ok());
        assertEquals(RangeBundle.fileName(late), result.problem().file());
        assertTrue(new String(Files.readAllBytes(out.resolve("README.txt")), StandardCharsets.UTF_8).contains("3 alert(s)"));
    }
}
