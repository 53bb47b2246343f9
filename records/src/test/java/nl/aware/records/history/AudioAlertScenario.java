package nl.aware.records.history;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.admin.CarrierRegistration;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.ListeningEnd;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.Region;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.pki.Pem;
import nl.aware.core.protocol.AudioChunk;
import nl.aware.core.protocol.DeviceCommand;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.Location;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A real log (signed frames, sealed under real data keys) of an alert with sound: the press's stream 1 with
 * frames 0, 1 and 3 (frame 2 never arrived; 3 is the last), a LISTEN an operator sent for the alert (stream
 * {@link #LISTEN_ID}, frames 0 and 1, cut off), and in between one AUDIO frame of a stream that is not the
 * alert's. Each AUDIO frame holds 20 Opus packets of 20 ms (400 ms).
 */
public final class AudioAlertScenario {
    public static final long DEVICE = 0x00a1b2c3d4e5f6aaL;
    public static final long LISTEN_ID = 1_000;
    public static final String OPERATOR = "operator.jansen";
    /** The press: a little after now, so the freshly issued device certificate is valid at every frame. */
    public static final Instant T0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);

    public Path logDir;
    public Path caPem;
    public DataKeyRing keys;
    public UUID alertId;

    private EventLog log;
    private EventCodec codec;
    private FrameSigner signer;
    private long counter;

    public static AudioAlertScenario write(Path dir) throws Exception {
        AudioAlertScenario s = new AudioAlertScenario();
        s.build(dir);
        return s;
    }

    private void build(Path dir) throws Exception {
        logDir = dir.resolve("log");
        keys = DataKeyRing.create(dir.resolve("keys"));
        CertificateAuthority ca = CertificateAuthority.create("Kadera test device CA", Duration.ofDays(3650));
        caPem = dir.resolve("ca.pem");
        Files.writeString(caPem, Pem.encode(ca.certificate()));
        IssuedCredential device = ca.issueDevice(DEVICE, Duration.ofDays(365));
        signer = new FrameSigner(device.privateKey());
        codec = new EventCodec(keys);
        try (EventLog opened = EventLog.open(EventLogOptions.defaults(logDir), new SimpleMeterRegistry(), r -> { })) {
            log = opened;
            Event.CarrierRegistered carrier = CarrierRegistration.of(Region.IJSSELLAND, new CarrierProfile("Sound Carrier",
                    "", "", "", "", "", new CarrierProfile.Eligibility(true, true, true, true, true), true));
            append(carrier);
            append(new Event.DeviceEnrolled(DEVICE, Region.IJSSELLAND, device.certificate().getEncoded()));
            append(new Event.DeviceAssigned(DEVICE, carrier.carrierId()));
            ByteBuf location = Unpooled.buffer(Location.BYTES);
            new Location(524_111_111, 60_123_456, 10, 2, Location.SOURCE_GNSS, 90).write(location);
            alertId = frame(0, FrameType.PANIC, ByteBufUtil.getBytes(location));
            long press = counter;
            audio(1_000, press, 0, false);
            audio(1_400, press, 1, false);
            audio(2_200, press, 3, true);
            audio(2_300, 77, 0, false); // a stream the alert never opened
            append(new Event.CommandSent(DEVICE, LISTEN_ID, DeviceCommand.LISTEN, 30, OPERATOR, alertId,
                    T0.plusSeconds(5).toEpochMilli()));
            audio(6_000, LISTEN_ID, 0, false);
            audio(6_400, LISTEN_ID, 1, false);
            UUID session = UUID.randomUUID();
            append(new Event.ListeningStarted(session, alertId, DEVICE, "operator.devries", true,
                    T0.plusSeconds(1).toEpochMilli()));
            append(new Event.ListeningStarted(UUID.randomUUID(), UUID.randomUUID(), DEVICE, "operator.other", false,
                    T0.plusSeconds(2).toEpochMilli())); // another alert's session: not this alert's record
            append(new Event.ListeningEnded(session, alertId, DEVICE, "operator.devries", ListeningEnd.STOPPED,
                    T0.plusSeconds(13).toEpochMilli()));
            append(new Event.AlertStatusReported(alertId, AlertStatus.CLOSED, "MK-1", "oost"));
        }
    }

    private UUID frame(long atMs, FrameType type, byte[] payload) {
        UUID id = UUID.randomUUID();
        long at = T0.toEpochMilli() + atMs;
        append(new Event.FrameAccepted(id, at, DeviceFrame.create(type, DEVICE, ++counter, at, payload, signer)));
        return id;
    }

    private void audio(long atMs, long stream, long seq, boolean last) {
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            packets.add(new byte[] {(byte) (9 << 3), (byte) seq, (byte) i, 42}); // SILK wideband 20 ms
        }
        frame(atMs, FrameType.AUDIO, AudioChunk.opus(stream, seq, last, 400, packets).payload());
    }

    private void append(Event event) {
        log.append(EventCodec.typeOf(event), codec.encode(event)).join();
    }
}
