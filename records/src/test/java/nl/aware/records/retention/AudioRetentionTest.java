package nl.aware.records.retention;

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
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.AudioChunk;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.Location;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Recorded sound is sealed under the month key like a location: the retention purge shreds it, and a legal hold
 * keeps the sound of the held alert (real log, real keys, real purge).
 */
class AudioRetentionTest {
    private static final long HELD_DEVICE = 0xa1L;
    private static final long OTHER_DEVICE = 0xb2L;

    @TempDir
    Path dir;

    @Test
    void purge_shredsTheSoundOfAnUnheldAlert_andKeepsTheSoundOfAHeldOne() throws Exception {
        Path logDir = dir.resolve("data/log");
        DataKeyRing keys = DataKeyRing.create(dir.resolve("keys"));
        CertificateAuthority ca = CertificateAuthority.create("Test CA", Duration.ofDays(3650));
        IssuedCredential held = ca.issueDevice(HELD_DEVICE, Duration.ofDays(365));
        IssuedCredential other = ca.issueDevice(OTHER_DEVICE, Duration.ofDays(365));
        UUID heldAlert = UUID.randomUUID();
        UUID otherAlert = UUID.randomUUID();
        List<UUID> heldAudio = List.of(UUID.randomUUID(), UUID.randomUUID());
        List<UUID> otherAudio = List.of(UUID.randomUUID(), UUID.randomUUID());
        EventCodec codec = new EventCodec(keys);
        long t = Instant.now().toEpochMilli();
        try (EventLog log = EventLog.open(EventLogOptions.defaults(logDir), new SimpleMeterRegistry(), r -> { })) {
            append(log, codec, new Event.DeviceEnrolled(HELD_DEVICE, Region.IJSSELLAND, held.certificate().getEncoded()));
            append(log, codec, new Event.DeviceEnrolled(OTHER_DEVICE, Region.TWENTE, other.certificate().getEncoded()));
            append(log, codec, press(heldAlert, t, HELD_DEVICE, held));
            append(log, codec, press(otherAlert, t, OTHER_DEVICE, other));
            for (int seq = 0; seq < 2; seq++) {
                append(log, codec, audio(heldAudio.get(seq), t + 1, HELD_DEVICE, 2 + seq, seq, held));
                append(log, codec, audio(otherAudio.get(seq), t + 1, OTHER_DEVICE, 2 + seq, seq, other));
            }
            append(log, codec, new Event.AlertStatusReported(otherAlert, AlertStatus.CLOSED, "MK-2", "oost"));
            append(log, codec, new Event.AlertStatusReported(heldAlert, AlertStatus.CLOSED, "MK-1", "oost"));
            append(log, codec, new Event.LegalHoldPlaced(heldAlert, "mr. J. de Vries", "case 2026/123"));
        }

        LocationPurge.Plan plan;
        try (EventLog log = EventLog.open(EventLogOptions.defaults(logDir), new SimpleMeterRegistry(), r -> { })) {
            plan = LocationPurge.plan(logDir, keys, Instant.now().plus(Duration.ofDays(200)), Period.ofDays(90));
            for (Event event : LocationPurge.records(plan, "P90D", "test")) {
                append(log, codec, event);
            }
            LocationPurge.destroyKeys(plan, keys, LocationPurge.note(LocalDate.now(ZoneOffset.UTC), "P90D"));
        }

        Set<UUID> heldCopies = plan.toHold().stream().map(Event.FrameHeld::eventId).collect(Collectors.toSet());
        assertEquals(Set.of(heldAlert, heldAudio.get(0), heldAudio.get(1)), heldCopies,
                "the held alert's press and both of its audio frames are kept under the hold key");
        List<Event> events = new ArrayList<>();
        EventCodec reloaded = new EventCodec(DataKeyRing.load(dir.resolve("keys")));
        EventLog.read(logDir, record -> {
            try {
                events.add(reloaded.decode(record));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        Set<UUID> purged = events.stream().filter(Event.FramePurged.class::isInstance)
                .map(e -> ((Event.FramePurged) e).eventId()).collect(Collectors.toSet());
        assertEquals(true, purged.containsAll(otherAudio), "the unheld alert's sound can no longer be read");
        List<AudioChunk> keptSound = events.stream().filter(Event.FrameHeld.class::isInstance)
                .map(e -> ((Event.FrameHeld) e).frame()).filter(f -> f.type() == FrameType.AUDIO)
                .map(DeviceFrame::audio).toList();
        assertEquals(List.of(chunk(0), chunk(1)), keptSound, "the held sound reads back intact");
    }

    private static void append(EventLog log, EventCodec codec, Event event) {
        log.append(EventCodec.typeOf(event), codec.encode(event)).join();
    }

    private static Event press(UUID id, long at, long device, IssuedCredential key) {
        ByteBuf payload = Unpooled.buffer(Location.BYTES);
        new Location(524_111_111, 60_123_456, 10, 2, Location.SOURCE_GNSS, 90).write(payload);
        return new Event.FrameAccepted(id, at, DeviceFrame.create(FrameType.PANIC, device, 1, at,
                ByteBufUtil.getBytes(payload), new FrameSigner(key.privateKey())));
    }

    private static AudioChunk chunk(long seq) {
        return new AudioChunk(1, seq, AudioChunk.CODEC_G711_ULAW, 0, 20, new byte[160]);
    }

    private static Event audio(UUID id, long at, long device, long counter, long seq, IssuedCredential key) {
        return new Event.FrameAccepted(id, at, DeviceFrame.create(FrameType.AUDIO, device, counter, at,
                chunk(seq).payload(), new FrameSigner(key.privateKey())));
    }
}
