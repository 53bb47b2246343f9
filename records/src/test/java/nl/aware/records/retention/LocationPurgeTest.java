package nl.aware.records.retention;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import nl.aware.records.evidence.AlertBundle;
import nl.aware.records.evidence.BundleVerifier;
import nl.aware.records.checkpoint.CheckpointVerifier;
import nl.aware.records.checkpoint.Checkpoints;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.crypto.LocationPurgedException;
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
import nl.aware.core.state.ServerState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The retention purge on real files: frames received now, purged "as of" 200 days from now with P90D, so this
 * month has expired. One alert is under legal hold, one is not. Afterwards the raw data and key directories are
 * searched: the unheld location cannot be recovered (its key is gone), the held one can, the log still verifies.
 */
class LocationPurgeTest {
    static final long HELD_DEVICE = 0xa1L;
    static final long OTHER_DEVICE = 0xb2L;
    static final int HELD_LAT = 524_111_111;
    static final int OTHER_LAT = 523_222_222;

    @TempDir
    Path dir;
    Path logDir;
    Path keyDir;
    Path caPem;
    DataKeyRing keys;
    CertificateAuthority ca;
    UUID heldAlert;
    UUID otherAlert;
    long otherPressSequence;
    final Instant now = Instant.now();
    final Instant later = now.plus(Duration.ofDays(200));
    final YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));

    @BeforeEach
    void logWithTwoAlerts() throws Exception {
        logDir = dir.resolve("data/log");
        keyDir = dir.resolve("keys");
        keys = DataKeyRing.create(keyDir);
        ca = CertificateAuthority.create("Test CA", Duration.ofDays(3650));
        caPem = dir.resolve("ca.pem");
        Files.writeString(caPem, Pem.encode(ca.certificate()));
        IssuedCredential server = ca.issueServer("test gateway", List.of("localhost"), List.of(), Duration.ofDays(300));
        IssuedCredential held = ca.issueDevice(HELD_DEVICE, Duration.ofDays(365));
        IssuedCredential other = ca.issueDevice(OTHER_DEVICE, Duration.ofDays(365));
        heldAlert = UUID.randomUUID();
        otherAlert = UUID.randomUUID();
        EventCodec codec = new EventCodec(keys);
        long t = now.toEpochMilli();
        try (EventLog log = EventLog.open(EventLogOptions.defaults(logDir), new SimpleMeterRegistry(), r -> { })) {
            append(log, codec, new Event.DeviceEnrolled(HELD_DEVICE, Region.IJSSELLAND, held.certificate().getEncoded()));
            append(log, codec, new Event.DeviceEnrolled(OTHER_DEVICE, Region.TWENTE, other.certificate().getEncoded()));
            append(log, codec, accepted(heldAlert, t, FrameType.PANIC, HELD_DEVICE, 1, HELD_LAT, held));
            otherPressSequence = append(log, codec, accepted(otherAlert, t + 1, FrameType.PANIC, OTHER_DEVICE, 7,
                    OTHER_LAT, other)).sequence();
            append(log, codec, accepted(UUID.randomUUID(), t + 2, FrameType.LOCATION, HELD_DEVICE, 2, HELD_LAT + 100, held));
            append(log, codec, new Event.AlertStatusReported(otherAlert, AlertStatus.CLOSED, "MK-2", "oost"));
            append(log, codec, new Event.AlertStatusReported(heldAlert, AlertStatus.CLOSED, "MK-1", "oost"));
            LogRecord last = append(log, codec, new Event.LegalHoldPlaced(heldAlert, "mr. J. de Vries", "case 2026/123"));
            append(log, codec, Checkpoints.sign(server.privateKey(), server.certificate(), last.sequence(), last.hash(), t + 3));
        }
    }

    private static LogRecord append(EventLog log, EventCodec codec, Event event) {
        return log.append(EventCodec.typeOf(event), codec.encode(event)).join();
    }

    private static Event accepted(UUID id, long at, FrameType type, long device, long counter, int lat,
                                  IssuedCredential key) {
        ByteBuf payload = Unpooled.buffer(Location.BYTES);
        new Location(lat, 60_123_456, 10, 2, Location.SOURCE_GNSS, 90).write(payload);
        return new Event.FrameAccepted(id, at, DeviceFrame.create(type, device, counter, at - 100,
                ByteBufUtil.getBytes(payload), new FrameSigner(key.privateKey())));
    }

    /** What `aware retention purge` does, with the clock of {@code asOf}. */
    private LocationPurge.Plan purge(Instant asOf) throws Exception {
        try (EventLog log = EventLog.open(EventLogOptions.defaults(logDir), new SimpleMeterRegistry(), r -> { })) {
            LocationPurge.Plan plan = LocationPurge.plan(logDir, keys, asOf, Period.ofDays(90));
            EventCodec codec = new EventCodec(keys);
            for (Event event : LocationPurge.records(plan, "P90D", "test")) {
                append(log, codec, event);
            }
            LocationPurge.destroyKeys(plan, keys, LocationPurge.note(LocalDate.now(ZoneOffset.UTC), "P90D"));
            return plan;
        }
    }

    private List<Event> decodeAll(DataKeyRing ring) throws Exception {
        EventCodec codec = new EventCodec(ring);
        List<Event> events = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        EventLog.read(logDir, record -> {
            try {
                events.add(codec.decode(record));
            } catch (Exception e) {
                failures.add(e);
            }
        });
        assertEquals(List.of(), failures, "every record still decodes");
        return events;
    }

    @Test
    void nothingExpiredYet_isNothingToDo() throws Exception {
        LocationPurge.Plan plan = LocationPurge.plan(logDir, keys, now, Period.ofDays(90));
        assertTrue(plan.nothingToDo());
        assertTrue(Files.exists(keyDir.resolve("location-key-" + month + ".key")));
    }

    @Test
    void purge_destroysTheMonthKey_unheldLocationIsUnrecoverable_heldOneIsNot() throws Exception {
        Path monthKey = keyDir.resolve("location-key-" + month + ".key");
        String savedKey = Files.readString(monthKey).trim(); // what a leaked backup would hold
        byte[] otherSealed = sealedFrameOf(otherPressSequence);

        LocationPurge.Plan plan = purge(later);

        assertEquals(List.of(month, month.plusMonths(1)), plan.months(), "this month, and the next one prepared ahead");
        assertEquals(2, plan.toHold().size(), "the held alert's press and location");
        assertEquals(java.util.Set.of(HELD_DEVICE, OTHER_DEVICE), plan.floors().keySet());

        // The key directory: the month key is gone, a tombstone says why, no file holds the key any more.
        assertFalse(Files.exists(monthKey));
        assertTrue(Files.readString(keyDir.resolve("location-key-" + month + ".key.purged"))
                .contains("location purged on " + LocalDate.now(ZoneOffset.UTC) + " under retention policy P90D"));
        assertTrue(Files.exists(keyDir.resolve("hold-key-" + heldAlert + ".key")));
        for (Path file : files(keyDir)) {
            assertFalse(Files.readString(file, StandardCharsets.ISO_8859_1).contains(savedKey), file + " holds the key");
        }
        // The data directory: no location in clear anywhere (before or after: frames are sealed).
        for (Path file : files(dir.resolve("data"))) {
            byte[] bytes = Files.readAllBytes(file);
            for (int lat : new int[] {HELD_LAT, OTHER_LAT}) {
                assertFalse(contains(bytes, ByteBuffer.allocate(4).putInt(lat).array()), file + " shows a latitude");
                assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains(Integer.toString(lat)));
            }
        }
        // The sealed bytes of the unheld press are still in the log, unchanged: only the destroyed key opens them.
        assertArrayEquals(otherSealed, sealedFrameOf(otherPressSequence));
        byte[] wire = openWith(savedKey, otherSealed, otherAlert);
        assertTrue(contains(wire, ByteBuffer.allocate(4).putInt(OTHER_LAT).array()), "the saved key still opens it");
        DataKeyRing reloaded = DataKeyRing.load(keyDir);
        LocationPurgedException gone = assertThrows(LocationPurgedException.class,
                () -> reloaded.open(otherSealed, ByteBuffer.allocate(16).putLong(otherAlert.getMostSignificantBits())
                        .putLong(otherAlert.getLeastSignificantBits()).array()));
        assertTrue(gone.getMessage().startsWith("location purged on "), gone.getMessage());

        // Readers: the unheld frame reads as purged with the note; the held copy has its location.
        List<Event> events = decodeAll(reloaded);
        Event.FramePurged purged = events.stream().filter(e -> e instanceof Event.FramePurged p
                && p.eventId().equals(otherAlert)).map(Event.FramePurged.class::cast).findFirst().orElseThrow();
        assertTrue(purged.note().contains("under retention policy P90D"), purged.note());
        Event.FrameHeld copy = events.stream().filter(e -> e instanceof Event.FrameHeld h && h.eventId().equals(heldAlert))
                .map(Event.FrameHeld.class::cast).findFirst().orElseThrow();
        assertEquals(HELD_LAT, Location.read(Unpooled.wrappedBuffer(copy.frame().payload())).latE7());
        assertTrue(events.stream().anyMatch(e -> e instanceof Event.LocationsPurged p && p.months().contains(month.toString())));

        // The log still verifies, checkpoint included, and a server replays it with the counters kept.
        CheckpointVerifier.Report report = CheckpointVerifier.verify(logDir, ca.certificate());
        assertTrue(report.intact(), () -> String.valueOf(report.problem()));
        ServerState state = new ServerState();
        EventCodec codec = new EventCodec(reloaded);
        EventLog.read(logDir, record -> {
            try {
                state.apply(record, codec.decode(record));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(7, state.counters(OTHER_DEVICE).highWater(), "a replay of the purged press stays refused");
    }

    @Test
    void afterThePurge_theHeldAlertExportsWithItsLocationAndVerifiesOffline_theOtherSaysPurged() throws Exception {
        purge(later);
        DataKeyRing reloaded = DataKeyRing.load(keyDir);
        AlertBundle bundle = AlertBundle.export(logDir, caPem, reloaded, heldAlert, Instant.now());
        assertEquals(2, bundle.frames());
        Path out = dir.resolve("held-bundle");
        bundle.write(out);
        assertTrue(Files.readString(out.resolve("frames.json")).contains("52.4111111"), "the held location is there");
        BundleVerifier.Result result = BundleVerifier.verify(out);
        assertTrue(result.ok(), () -> String.valueOf(result.problem()));
        BundleVerifier.Result withKeys = new BundleVerifier(ca.certificate(), reloaded).check(out);
        assertTrue(withKeys.ok(), () -> String.valueOf(withKeys.problem()));
        assertTrue(String.join("\n", withKeys.summary()).contains("location purged on"), withKeys.summary()::toString);

        AlertBundle.ExportException refused = assertThrows(AlertBundle.ExportException.class,
                () -> AlertBundle.export(logDir, caPem, reloaded, otherAlert, Instant.now()));
        assertTrue(refused.getMessage().contains("location purged on " + LocalDate.now(ZoneOffset.UTC)
                + " under retention policy P90D"), refused.getMessage());
    }

    @Test
    void releasedHold_isPurgedByTheNextRun_andASecondRunChangesNothingMore() throws Exception {
        purge(later);
        try (EventLog log = EventLog.open(EventLogOptions.defaults(logDir), new SimpleMeterRegistry(), r -> { })) {
            append(log, new EventCodec(keys), new Event.LegalHoldReleased(heldAlert, "mr. J. de Vries", "case closed"));
        }
        LocationPurge.Plan second = purge(later);
        assertEquals(List.of(heldAlert), second.releasedHolds());
        assertFalse(Files.exists(keyDir.resolve("hold-key-" + heldAlert + ".key")));
        AlertBundle.ExportException refused = assertThrows(AlertBundle.ExportException.class,
                () -> AlertBundle.export(logDir, caPem, DataKeyRing.load(keyDir), heldAlert, Instant.now()));
        assertTrue(refused.getMessage().contains("location purged on"), refused.getMessage());
        assertTrue(LocationPurge.plan(logDir, DataKeyRing.load(keyDir), later, Period.ofDays(90)).nothingToDo());
        assertTrue(CheckpointVerifier.verify(logDir, ca.certificate()).intact());
        decodeAll(DataKeyRing.load(keyDir));
    }

    @Test
    void aPurgedMonth_neverGetsANewKey() throws Exception {
        purge(later);
        DataKeyRing reloaded = DataKeyRing.load(keyDir);
        assertThrows(java.io.UncheckedIOException.class,
                () -> reloaded.sealLocation(new byte[] {1}, new byte[] {2}, now.toEpochMilli()));
    }

    // ------------------------------------------------------------------------------------- helpers

    private byte[] sealedFrameOf(long sequence) throws Exception {
        byte[][] sealed = {null};
        EventLog.read(logDir, record -> {
            if (record.sequence() == sequence) {
                ByteBuffer in = ByteBuffer.wrap(record.payload());
                in.position(16 + 8);
                byte[] bytes = new byte[in.getShort() & 0xFFFF];
                in.get(bytes);
                sealed[0] = bytes;
            }
        });
        return sealed[0];
    }

    private static byte[] openWith(String base64Key, byte[] sealed, UUID eventId) throws Exception {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(java.util.Base64.getDecoder().decode(base64Key), "AES"),
                new GCMParameterSpec(128, sealed, 3, 12));
        cipher.updateAAD(ByteBuffer.allocate(16).putLong(eventId.getMostSignificantBits())
                .putLong(eventId.getLeastSignificantBits()).array());
        return cipher.doFinal(sealed, 15, sealed.length - 15);
    }

    private static List<Path> files(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        return HexFormat.of().formatHex(haystack).contains(HexFormat.of().formatHex(needle));
    }
}
