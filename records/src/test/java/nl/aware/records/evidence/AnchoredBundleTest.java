package nl.aware.records.evidence;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import nl.aware.records.checkpoint.Checkpoints;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.DeviceNoticeKind;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bundle whose range ends with a checkpoint signed by the server's CA-certified key: it verifies offline and
 * says it is anchored; a changed location, a foreign checkpoint key, or a record rewritten with every hash
 * recomputed (which the chain alone cannot see) each fail.
 */
class AnchoredBundleTest {
    static final long CARRIER = 0xa1L;

    @TempDir
    Path dir;
    Path logDir;
    Path caPem;
    DataKeyRing keys;
    UUID alertId;
    long closeSequence;
    long noticeSequence;
    long checkpointSequence;

    void buildLog(CertificateAuthority ca, IssuedCredential checkpointSigner) throws Exception {
        logDir = dir.resolve("log");
        keys = DataKeyRing.create(dir.resolve("keys"));
        caPem = dir.resolve("ca.pem");
        Files.writeString(caPem, Pem.encode(ca.certificate()));
        IssuedCredential device = ca.issueDevice(CARRIER, Duration.ofDays(365));
        FrameSigner signer = new FrameSigner(device.privateKey());
        EventCodec codec = new EventCodec(keys);
        long t = System.currentTimeMillis();
        alertId = UUID.randomUUID();
        UUID location = UUID.randomUUID();
        try (EventLog log = EventLog.open(EventLogOptions.defaults(logDir), new SimpleMeterRegistry(), r -> { })) {
            append(log, codec, new Event.DeviceEnrolled(CARRIER, Region.IJSSELLAND, device.certificate().getEncoded()));
            append(log, codec, new Event.FrameAccepted(alertId, t + 5, frame(FrameType.PANIC, 1, t, 524_100_000, signer)));
            append(log, codec, new Event.Delivered(alertId, "ijsselland/primary", 1, "MK-1"));
            append(log, codec, new Event.FrameAccepted(location, t + 15,
                    frame(FrameType.LOCATION, 2, t + 10, 524_100_100, signer)));
            closeSequence = append(log, codec, new Event.AlertStatusReported(alertId, AlertStatus.CLOSED, "MK-1",
                    "meldkamer-oost")).sequence();
            LogRecord notice = append(log, codec, new Event.DeviceNotice(0xb2, DeviceNoticeKind.LOW_BATTERY, 9));
            noticeSequence = notice.sequence();
            Event.Checkpoint checkpoint = Checkpoints.sign(checkpointSigner.privateKey(), checkpointSigner.certificate(),
                    notice.sequence(), notice.hash(), t + 20);
            checkpointSequence = append(log, codec, checkpoint).sequence();
            append(log, codec, new Event.DeviceNotice(0xb2, DeviceNoticeKind.OFFLINE, 9));
        }
    }

    private static LogRecord append(EventLog log, EventCodec codec, Event event) {
        return log.append(EventCodec.typeOf(event), codec.encode(event)).join();
    }

    private static DeviceFrame frame(FrameType type, long counter, long time, int lat, FrameSigner signer) {
        ByteBuf payload = Unpooled.buffer(Location.BYTES);
        new Location(lat, 60_000_000, 10, 2, Location.SOURCE_GNSS, 90).write(payload);
        return DeviceFrame.create(type, CARRIER, counter, time, ByteBufUtil.getBytes(payload), signer);
    }

    private Path export() throws Exception {
        AlertBundle bundle = AlertBundle.export(logDir, caPem, keys, alertId, Instant.now());
        assertEquals(checkpointSequence, bundle.lastSequence(), "the range runs on to the checkpoint");
        assertEquals(checkpointSequence, bundle.checkpointSequence());
        Path out = dir.resolve("bundle");
        bundle.write(out);
        return out;
    }

    @BeforeEach
    void deployment() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("Test CA", Duration.ofDays(3650));
        buildLog(ca, ca.issueServer("test gateway", List.of("localhost"), List.of(), Duration.ofDays(30)));
    }

    @Test
    void bundleWithCheckpoint_verifiesOfflineAndSaysItIsAnchored() throws Exception {
        Path bundle = export();
        Path zip = dir.resolve("alert.zip");
        AlertBundle.export(logDir, caPem, keys, alertId, Instant.now()).write(zip);
        for (Path each : List.of(bundle, zip)) {
            BundleVerifier.Result result = new BundleVerifier(Pem.readCertificate(caPem), null).check(each);
            assertTrue(result.ok(), () -> String.valueOf(result.problem()));
            String summary = String.join("\n", result.summary());
            assertTrue(summary.contains("anchored by a signed checkpoint: record " + checkpointSequence + " signs record "
                    + noticeSequence), summary);
            assertTrue(summary.contains("CN=test gateway"), summary);
        }
        assertTrue(Files.readString(bundle.resolve(BundleFormat.MANIFEST)).contains("\"formatVersion\" : 2"));
    }

    @Test
    void changedLocation_failsVerification() throws Exception {
        Path bundle = export();
        AlertBundleTest.editFrames(bundle, frames -> {
            Map<String, Object> frame = AlertBundleTest.frameOf(frames, 4L);
            frame.put("wire", AlertBundleTest.flipHexByte((String) frame.get("wire"), 33)); // the latitude's last byte
        });
        AlertBundleTest.rehashManifest(bundle);
        BundleVerifier.Result result = BundleVerifier.verify(bundle);
        assertFalse(result.ok());
        assertEquals(BundleFormat.FRAMES, result.problem().file());
        assertEquals(4, result.problem().sequence());
        assertTrue(result.problem().description().contains("signature"), result.problem()::toString);
    }

    @Test
    void recordRewrittenWithEveryHashRecomputed_failsOnTheCheckpoint() throws Exception {
        Path bundle = export();
        HexFormat hex = HexFormat.of();
        AlertBundleTest.editRecords(bundle, records -> {
            byte[] previous = null;
            for (Object item : records) {
                @SuppressWarnings("unchecked")
                Map<String, Object> record = (Map<String, Object>) item;
                byte[] body = hex.parseHex((String) record.get("body"));
                if (record.get("sequence").equals(noticeSequence)) {
                    body[body.length - 1] = 99; // the other device's battery, in a record the alert does not own
                }
                if (previous != null) {
                    System.arraycopy(BundleFormat.sha256(previous), 0, body, 17, 32);
                    record.put("prevHash", hex.formatHex(BundleFormat.sha256(previous)));
                }
                record.put("body", hex.formatHex(body));
                record.put("hash", hex.formatHex(BundleFormat.sha256(body)));
                previous = body;
            }
        });
        fixHashOfLast(bundle);
        AlertBundleTest.rehashManifest(bundle);

        BundleVerifier.Result result = BundleVerifier.verify(bundle);
        assertFalse(result.ok());
        assertEquals(BundleFormat.RECORDS, result.problem().file());
        assertEquals(noticeSequence, result.problem().sequence());
        assertTrue(result.problem().description().contains("not the one the checkpoint"), result.problem()::toString);
    }

    @Test
    void checkpointOfAKeyTheCaDidNotCertify_fails() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("Test CA", Duration.ofDays(3650));
        CertificateAuthority rogue = CertificateAuthority.create("Rogue CA", Duration.ofDays(3650));
        dir = dir.resolve("rogue");
        buildLog(ca, rogue.issueServer("rogue gateway", List.of("localhost"), List.of(), Duration.ofDays(30)));
        BundleVerifier.Result result = BundleVerifier.verify(export());
        assertFalse(result.ok());
        assertEquals(checkpointSequence, result.problem().sequence());
        assertTrue(result.problem().description().contains("not issued by the trusted CA"), result.problem()::toString);
    }

    @Test
    void alertWithoutACheckpointYet_isExportedAsVersionOneAndSaysItIsNotAnchored() throws Exception {
        alertId = UUID.randomUUID();
        CertificateAuthority ca = CertificateAuthority.create("Test CA", Duration.ofDays(3650));
        IssuedCredential device = ca.issueDevice(CARRIER, Duration.ofDays(365));
        EventCodec codec = new EventCodec(keys);
        try (EventLog log = EventLog.open(EventLogOptions.defaults(logDir), new SimpleMeterRegistry(), r -> { })) {
            append(log, codec, new Event.DeviceEnrolled(CARRIER, Region.IJSSELLAND, device.certificate().getEncoded()));
            append(log, codec, new Event.FrameAccepted(alertId, System.currentTimeMillis(),
                    frame(FrameType.PANIC, 10, System.currentTimeMillis(), 524_100_000, new FrameSigner(device.privateKey()))));
        }
        Files.writeString(caPem, Pem.encode(ca.certificate()), java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        AlertBundle bundle = AlertBundle.export(logDir, caPem, keys, alertId, Instant.now());
        assertEquals(-1, bundle.checkpointSequence());
        Path out = dir.resolve("unanchored");
        bundle.write(out);
        BundleVerifier.Result result = BundleVerifier.verify(out);
        assertTrue(result.ok(), () -> String.valueOf(result.problem()));
        assertTrue(String.join("\n", result.summary()).contains("NOT anchored"), result.summary()::toString);
        assertTrue(Files.readString(out.resolve(BundleFormat.MANIFEST)).contains("\"formatVersion\" : 1"));
    }

    @SuppressWarnings("unchecked")
    private static void fixHashOfLast(Path bundle) throws Exception {
        Path manifest = bundle.resolve(BundleFormat.MANIFEST);
        Map<String, Object> root = (Map<String, Object>) Json.parse(Files.readString(manifest));
        Map<String, Object> records = (Map<String, Object>) Json.parse(Files.readString(bundle.resolve(BundleFormat.RECORDS)));
        List<Object> list = (List<Object>) records.get("records");
        ((Map<String, Object>) root.get("range")).put("hashOfLast", ((Map<String, Object>) list.get(list.size() - 1)).get("hash"));
        Files.writeString(manifest, Json.write(root));
    }
}
