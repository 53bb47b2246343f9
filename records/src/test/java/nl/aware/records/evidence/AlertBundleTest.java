package nl.aware.records.evidence;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Export of one alert from a real log (real segments, sealed frames, real certificates) and its
 * offline verification, untouched and after the edits a forger would make.
 */
class AlertBundleTest {
    static final long CARRIER = 0xa1L;
    static final long OTHER = 0xb2L;
    /** The other carrier's whereabouts: must never appear in the bundle in clear. */
    static final int OTHER_LAT = 522_345_671;
    static final int OTHER_LON = 61_234_563;

    @TempDir
    static Path shared;
    static Path logDir;
    static Path caPem;
    static DataKeyRing keys;
    static UUID alertId;
    static long pressSequence;
    static long secondLocationSequence;
    static long closeSequence;
    static long lastLogSequence;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildLog() throws Exception {
        logDir = shared.resolve("log");
        keys = DataKeyRing.create(shared.resolve("keys"));
        CertificateAuthority ca = CertificateAuthority.create("Test device CA", Duration.ofDays(3650));
        caPem = shared.resolve("ca.pem");
        Files.writeString(caPem, Pem.encode(ca.certificate()));
        IssuedCredential carrier = ca.issueDevice(CARRIER, Duration.ofDays(365));
        IssuedCredential other = ca.issueDevice(OTHER, Duration.ofDays(365));
        FrameSigner carrierKey = new FrameSigner(carrier.privateKey());
        FrameSigner otherKey = new FrameSigner(other.privateKey());
        EventCodec codec = new EventCodec(keys);
        long t = System.currentTimeMillis();
        alertId = UUID.randomUUID();
        UUID loc1 = UUID.randomUUID();
        UUID loc2 = UUID.randomUUID();
        UUID otherPress = UUID.randomUUID();
        try (EventLog log = EventLog.open(EventLogOptions.defaults(logDir), new SimpleMeterRegistry(), r -> { })) {
            append(log, codec, new Event.DeviceEnrolled(CARRIER, Region.IJSSELLAND, carrier.certificate().getEncoded()));
            append(log, codec, new Event.DeviceEnrolled(OTHER, Region.TWENTE, other.certificate().getEncoded()));
            append(log, codec, accepted(UUID.randomUUID(), t, frame(FrameType.HEARTBEAT, CARRIER, 1, t, carrierKey)));
            pressSequence = append(log, codec, accepted(alertId, t + 10, location(FrameType.PANIC, CARRIER, 2, t,
                    524_000_001, 60_900_002, carrierKey)));
            append(log, codec, accepted(otherPress, t + 20, location(FrameType.PANIC, OTHER, 7, t + 15,
                    OTHER_LAT, OTHER_LON, otherKey)));
            append(log, codec, new Event.Delivered(alertId, "ijsselland/primary", 1, "MK-2024-0001"));
            append(log, codec, new Event.Delivered(otherPress, "twente/primary", 1, "MK-2024-0002"));
            append(log, codec, accepted(loc1, t + 30, location(FrameType.LOCATION, CARRIER, 3, t + 25,
                    524_000_101, 60_900_102, carrierKey)));
            append(log, codec, new Event.DeliveryFailed(loc1, "ijsselland/primary", 1, "timeout"));
            append(log, codec, new Event.AlertEscalated(alertId, "ijsselland/escalation", "no acceptance in 30 s"));
            append(log, codec, accepted(UUID.randomUUID(), t + 40, location(FrameType.LOCATION, OTHER, 8, t + 35,
                    OTHER_LAT + 10, OTHER_LON + 10, otherKey)));
            append(log, codec, new Event.Delivered(loc1, "ijsselland/primary", 2, ""));
            secondLocationSequence = append(log, codec, accepted(loc2, t + 50, location(FrameType.LOCATION, CARRIER, 4,
                    t + 45, 524_000_201, 60_900_202, carrierKey)));
            append(log, codec, new Event.AlertStatusReported(alertId, AlertStatus.ACKNOWLEDGED, "MK-2024-0001", "meldkamer-oost"));
            append(log, codec, accepted(UUID.randomUUID(), t + 60, frame(FrameType.HEARTBEAT, CARRIER, 5, t + 55, carrierKey)));
            append(log, codec, new Event.Delivered(loc2, "ijsselland/primary", 1, ""));
            append(log, codec, accepted(UUID.randomUUID(), t + 62, DeviceFrame.create(FrameType.CANCEL, CARRIER, 6,
                    t + 61, new byte[0], carrierKey)));
            closeSequence = append(log, codec, new Event.AlertStatusReported(alertId, AlertStatus.CLOSED, "MK-2024-0001",
                    "meldkamer-oost"));
            // After the close: a new incident of the same carrier and more of the other device.
            append(log, codec, accepted(UUID.randomUUID(), t + 70, location(FrameType.PANIC, CARRIER, 7, t + 65,
                    524_000_301, 60_900_302, carrierKey)));
            lastLogSequence = append(log, codec, accepted(UUID.randomUUID(), t + 80, location(FrameType.LOCATION, OTHER, 9,
                    t + 75, OTHER_LAT + 20, OTHER_LON + 20, otherKey)));
        }
    }

    private static long append(EventLog log, EventCodec codec, Event event) {
        LogRecord record = log.append(EventCodec.typeOf(event), codec.encode(event)).join();
        return record.sequence();
    }

    private static Event accepted(UUID id, long receiveTime, DeviceFrame frame) {
        return new Event.FrameAccepted(id, receiveTime, frame);
    }

    private static DeviceFrame location(FrameType type, long device, long counter, long time, int lat, int lon,
                                        FrameSigner signer) {
        ByteBuf payload = Unpooled.buffer(Location.BYTES);
        new Location(lat, lon, 12, 3, Location.SOURCE_GNSS, 80).write(payload);
        return DeviceFrame.create(type, device, counter, time, ByteBufUtil.getBytes(payload), signer);
    }

    private static DeviceFrame frame(FrameType type, long device, long counter, long time, FrameSigner signer) {
        return DeviceFrame.create(type, device, counter, time, new byte[] {80, 0}, signer);
    }

    private AlertBundle export() throws Exception {
        return AlertBundle.export(logDir, caPem, keys, alertId, Instant.parse("2030-01-02T03:04:05Z"));
    }

    private Path exportToDirectory() throws Exception {
        Path out = dir.resolve("bundle");
        export().write(out);
        return out;
    }

    // ----------------------------------------------------------------------------------- untouched

    @Test
    void exportedZip_verifiesOnItsOwn() throws Exception {
        AlertBundle bundle = export();
        assertEquals(pressSequence, bundle.firstSequence());
        assertEquals(closeSequence, bundle.lastSequence());
        assertEquals(4, bundle.frames(), "press, two locations and the cancel; no heartbeat");
        Path zip = dir.resolve("alert.zip");
        bundle.write(zip);
        BundleVerifier.Result result = BundleVerifier.verify(zip);
        assertTrue(result.ok(), () -> String.valueOf(result.problem()));
        String summary = String.join("\n", result.summary());
        assertTrue(summary.contains("log records " + pressSequence + ".." + closeSequence), summary);
        assertTrue(summary.contains("closed by the control room"), summary);
    }

    @Test
    void exportedDirectory_verifiesAlsoWithTheDataKeysAndATrustedCa() throws Exception {
        Path out = exportToDirectory();
        BundleVerifier.Result result = new BundleVerifier(Pem.readCertificate(caPem), keys).check(out);
        assertTrue(result.ok(), () -> String.valueOf(result.problem()));
        assertTrue(String.join("\n", result.summary()).contains("byte for byte"), result.summary()::toString);
    }

    @Test
    void bundleHoldsNoClearLocationOfAnotherDevice() throws Exception {
        Path out = exportToDirectory();
        HexFormat hex = HexFormat.of();
        List<String> forbidden = new ArrayList<>();
        for (int delta : new int[] {0, 10}) {
            forbidden.add(Integer.toString(OTHER_LAT + delta));
            forbidden.add(Integer.toString(OTHER_LON + delta));
            forbidden.add(new java.math.BigDecimal(OTHER_LAT + delta).movePointLeft(7).toPlainString());
            forbidden.add(new java.math.BigDecimal(OTHER_LON + delta).movePointLeft(7).toPlainString());
            forbidden.add(hex.formatHex(java.nio.ByteBuffer.allocate(8).putInt(OTHER_LAT + delta)
                    .putInt(OTHER_LON + delta).array()));
        }
        boolean carrierShown = false;
        try (var files = Files.list(out)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String f : forbidden) {
                    assertFalse(text.contains(f), file.getFileName() + " shows another carrier's location: " + f);
                }
                carrierShown |= text.contains("52.4000101");
            }
        }
        assertTrue(carrierShown, "the alert's own locations are in the bundle");
    }

    @Test
    void bundleCarriesTheFollowUpReports_listedWithTheirDigests() throws Exception {
        Path out = exportToDirectory();
        @SuppressWarnings("unchecked")
        List<Object> listed = (List<Object>) ((Map<String, Object>) Json.parse(
                Files.readString(out.resolve(BundleFormat.MANIFEST)))).get("files");
        List<String> names = listed.stream().map(f -> (String) ((Map<?, ?>) f).get("name")).toList();
        for (String report : List.of("report-nl.html", "report-nl.pdf", "report-en.html", "report-en.pdf")) {
            assertTrue(names.contains(report), report + " is listed in the manifest");
            assertTrue(Files.size(out.resolve(report)) > 1000, report);
        }
        String html = Files.readString(out.resolve("report-en.html"));
        assertTrue(html.contains(alertId.toString()) && html.contains("Record verified"), "the alert's own report");
        assertTrue(new String(Files.readAllBytes(out.resolve("report-nl.pdf")), 0, 5, StandardCharsets.US_ASCII)
                .equals("%PDF-"));
        assertTrue(BundleVerifier.verify(out).ok());
    }

    @Test
    void editedReport_failsOnItsDigest() throws Exception {
        Path out = exportToDirectory();
        Path report = out.resolve("report-en.html");
        Files.writeString(report, Files.readString(report).replace("Record verified", "Record verified!"));
        BundleVerifier.Result result = BundleVerifier.verify(out);
        assertFalse(result.ok());
        assertEquals("report-en.html", result.problem().file(), result.problem()::toString);
        assertTrue(result.problem().description().contains("does not match the manifest"), result.problem()::toString);
    }

    @Test
    void unknownAlert_isNotExported() {
        AlertBundle.ExportException e = assertThrows(AlertBundle.ExportException.class,
                () -> AlertBundle.export(logDir, caPem, keys, UUID.randomUUID(), Instant.now()));
        assertTrue(e.getMessage().contains("no alert"), e::getMessage);
    }

    // ----------------------------------------------------------------------------------- damaged

    @Test
    void oneLocationByteChanged_failsNamingTheFrame() throws Exception {
        Path out = exportToDirectory();
        editFrames(out, frames -> {
            Map<String, Object> frame = frameOf(frames, secondLocationSequence);
            String wire = (String) frame.get("wire");
            // wire = u16 length | 28-byte header | latE7 ...: the last byte of the latitude is at 33.
            frame.put("wire", flipHexByte(wire, 33));
        });
        rehashManifest(out); // a forger would fix the file digests too
        BundleVerifier.Result result = BundleVerifier.verify(out);
        assertFalse(result.ok());
        assertEquals(BundleFormat.FRAMES, result.problem().file());
        assertEquals(secondLocationSequence, result.problem().sequence());
        assertTrue(result.problem().description().contains("signature"), result.problem()::toString);
    }

    @Test
    void readableLatitudeChanged_failsEvenThoughTheSignedBytesAreIntact() throws Exception {
        Path out = exportToDirectory();
        editFrames(out, frames -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) frameOf(frames, secondLocationSequence).get("frame");
            fields.put("latitude", "52.5000000");
        });
        rehashManifest(out);
        BundleVerifier.Result result = BundleVerifier.verify(out);
        assertFalse(result.ok());
        assertEquals(secondLocationSequence, result.problem().sequence(), result.problem()::toString);
        assertTrue(result.problem().description().contains("frame.latitude"), result.problem()::toString);
    }

    @Test
    void editedFileWithoutFixingTheManifest_failsOnItsDigest() throws Exception {
        Path out = exportToDirectory();
        Files.writeString(out.resolve(BundleFormat.README), "nothing to see here\n");
        BundleVerifier.Result result = BundleVerifier.verify(out);
        assertFalse(result.ok());
        assertEquals(BundleFormat.README, result.problem().file(), result.problem()::toString);
    }

    @Test
    void oneByteOfARecordBodyChanged_failsNamingTheRecord() throws Exception {
        Path out = exportToDirectory();
        long target = pressSequence + 3; // the other carrier's Delivered: a record not of the alert
        editRecords(out, records -> {
            Map<String, Object> record = recordOf(records, target);
            String body = (String) record.get("body");
            record.put("body", flipHexByte(body, body.length() / 2 - 1));
        });
        rehashManifest(out);
        BundleVerifier.Result result = BundleVerifier.verify(out);
        assertFalse(result.ok());
        assertEquals(BundleFormat.RECORDS, result.problem().file());
        assertEquals(target, result.problem().sequence());
        assertTrue(result.problem().description().contains("altered"), result.problem()::toString);
    }

    @Test
    void alteredBodyWithItsHashRecomputed_breaksTheChainAtTheNextRecord() throws Exception {
        Path out = exportToDirectory();
        long target = pressSequence + 3;
        editRecords(out, records -> {
            Map<String, Object> record = recordOf(records, target);
            String body = flipHexByte((String) record.get("body"), ((String) record.get("body")).length() / 2 - 1);
            Map<String, Object> forged = BundleFormat.recordEntry(HexFormat.of().parseHex(body), false);
            record.clear();
            record.putAll(forged);
        });
        rehashManifest(out);
        BundleVerifier.Result result = BundleVerifier.verify(out);
        assertFalse(result.ok());
        assertEquals(target + 1, result.problem().sequence(), result.problem()::toString);
        assertTrue(result.problem().description().contains("chain broken"), result.problem()::toString);
    }

    @Test
    void deletedRecord_failsNamingTheMissingRecord() throws Exception {
        Path out = exportToDirectory();
        long target = pressSequence + 2;
        editRecords(out, records -> records.remove(recordOf(records, target)));
        rehashManifest(out);
        BundleVerifier.Result result = BundleVerifier.verify(out);
        assertFalse(result.ok());
        assertEquals(target, result.problem().sequence(), result.problem()::toString);
        assertTrue(result.problem().description().contains("missing"), result.problem()::toString);
    }

    @Test
    void hiddenEscalation_isNoticedFromItsClearFields() throws Exception {
        Path out = exportToDirectory();
        editRecords(out, records -> {
            for (Object r : records) {
                @SuppressWarnings("unchecked")
                Map<String, Object> record = (Map<String, Object>) r;
                if ("AlertEscalated".equals(record.get("typeName"))) {
                    record.put("ofAlert", false);
                    record.remove("event");
                }
            }
        });
        rehashManifest(out);
        BundleVerifier.Result result = BundleVerifier.verify(out);
        assertFalse(result.ok());
        assertTrue(result.problem().description().contains("refers to alert"), result.problem()::toString);
    }

    @Test
    void anotherCa_isRefusedWhenACaIsTrusted() throws Exception {
        Path out = exportToDirectory();
        CertificateAuthority stranger = CertificateAuthority.create("Someone else", Duration.ofDays(10));
        BundleVerifier.Result result = new BundleVerifier(stranger.certificate(), null).check(out);
        assertFalse(result.ok());
        assertEquals(BundleFormat.CA_CERT, result.problem().file(), result.problem()::toString);
    }

    // ----------------------------------------------------------------------------------- helpers

    interface Edit {
        void apply(List<Object> items) throws Exception;
    }

    static void editFrames(Path bundle, Edit edit) throws Exception {
        editList(bundle.resolve(BundleFormat.FRAMES), "frames", edit);
    }

    static void editRecords(Path bundle, Edit edit) throws Exception {
        editList(bundle.resolve(BundleFormat.RECORDS), "records", edit);
    }

    @SuppressWarnings("unchecked")
    private static void editList(Path file, String key, Edit edit) throws Exception {
        Map<String, Object> root = (Map<String, Object>) Json.parse(Files.readString(file));
        edit.apply((List<Object>) root.get(key));
        Files.writeString(file, Json.write(root));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> frameOf(List<Object> frames, long record) {
        return frames.stream().map(f -> (Map<String, Object>) f).filter(f -> f.get("record").equals(record))
                .findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> recordOf(List<Object> records, long sequence) {
        return records.stream().map(f -> (Map<String, Object>) f).filter(f -> f.get("sequence").equals(sequence))
                .findFirst().orElseThrow();
    }

    static String flipHexByte(String hex, int byteIndex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        bytes[byteIndex] ^= 0x01;
        return HexFormat.of().formatHex(bytes);
    }

    /** Recomputes the manifest's file digests, as someone who edits a bundle on purpose would. */
    @SuppressWarnings("unchecked")
    static void rehashManifest(Path bundle) throws Exception {
        Path manifest = bundle.resolve(BundleFormat.MANIFEST);
        Map<String, Object> root = (Map<String, Object>) Json.parse(Files.readString(manifest));
        for (Object item : (List<Object>) root.get("files")) {
            Map<String, Object> f = (Map<String, Object>) item;
            byte[] content = Files.readAllBytes(bundle.resolve((String) f.get("name")));
            f.put("bytes", (long) content.length);
            f.put("sha256", HexFormat.of().formatHex(BundleFormat.sha256(content)));
        }
        Files.writeString(manifest, Json.write(root));
    }
}
