package nl.aware.records.history;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.admin.CarrierRegistration;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.Region;
import nl.aware.core.intake.Intake;
import nl.aware.core.intake.IntakeOutcome;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Test helper (shared through the test-jar): a real log, written through the real {@link EventLog},
 * {@link Intake} and {@link EventCodec} with frames signed by a device key from a real CA, holding one
 * alert that went through everything a follow-up report must show: a press whose device clock is behind,
 * two failed delivery attempts and a failover to the secondary route, an escalation, location updates,
 * a repeated press, the carrier's CANCEL and the control room's lifecycle up to CLOSED. Around it: another
 * carrier's alert, a heartbeat, a test alarm and a frame after the close, none of which belong to it.
 */
public final class AlertScenario {
    public static final long DEVICE = 0x00a1b2c3d4e5f601L;
    public static final long OTHER_DEVICE = 0x00a1b2c3d4e5f602L;
    /** The device's clock is this far behind at the press: more than 60 s, so the press is "delayed". */
    public static final long CLOCK_BEHIND_MS = 95_000;
    public static final String CARRIER_NAME = "Aïcha van den Berg-Öztürk";
    public static final String POLICE_NOTES = "Let op: <script>alert('x')</script> & \"aanhalingstekens\"";
    public static final String INCIDENT = "MK-2026-004711";
    /** The phone number after the profile edit that precedes the press. */
    public static final String UPDATED_PHONE = "+31 6 87654321";
    public static final String CONTROL_ROOM = "meldkamer-oost-nederland";
    /** Where the carrier was: Zwolle, moving north-east; degrees × 10^7 and accuracy in metres. */
    public static final int[][] TRACK = {
            {525_120_000, 60_940_000, 15},  // press
            {525_126_000, 60_951_000, 35},  // location 1
            {525_133_500, 60_958_000, 60},  // location 2
            {525_140_000, 60_971_000, 20},  // repeated press
            {525_146_000, 60_980_000, 10},  // location 3
    };

    public Path logDir;
    public Path caPem;
    public DataKeyRing keys;
    public CertificateAuthority ca;
    public UUID carrierId;
    public UUID alertId;
    public UUID repeatId;
    public UUID cancelId;
    public final List<UUID> locationIds = new ArrayList<>();
    public UUID otherAlertId;
    public UUID testAlertId;
    public long pressSequence;
    public long escalationSequence;
    public long closeSequence;
    public final List<Long> alertSequences = new ArrayList<>();

    /** With {@link #writeWithForgedLocation}: the log sequence of the second location, signed with the other device's key. */
    public long forgedSequence = -1;

    private EventLog log;
    private Intake intake;
    private FrameSigner signer;
    private boolean forgeSecondLocation;
    private FrameSigner forger;
    private long counter;

    /** Writes the log into {@code dir}/log, the data keys into {@code dir}/keys, the CA into {@code dir}/ca.pem. */
    public static AlertScenario write(Path dir) throws Exception {
        AlertScenario s = new AlertScenario();
        s.build(dir);
        return s;
    }

    /**
     * The same log, but the alert's second location is signed with the other device's key: intake does not check
     * signatures (the gateway does, before it), so only the history's own check can find it.
     */
    public static AlertScenario writeWithForgedLocation(Path dir) throws Exception {
        AlertScenario s = new AlertScenario();
        s.forgeSecondLocation = true;
        s.build(dir);
        return s;
    }

    private void build(Path dir) throws Exception {
        logDir = dir.resolve("log");
        keys = DataKeyRing.create(dir.resolve("keys"));
        ca = CertificateAuthority.create("Kadera test device CA", Duration.ofDays(3650));
        caPem = dir.resolve("ca.pem");
        Files.writeString(caPem, Pem.encode(ca.certificate()));
        IssuedCredential device = ca.issueDevice(DEVICE, Duration.ofDays(365));
        IssuedCredential other = ca.issueDevice(OTHER_DEVICE, Duration.ofDays(365));
        signer = new FrameSigner(device.privateKey());
        FrameSigner otherSigner = new FrameSigner(other.privateKey());
        forger = forgeSecondLocation ? otherSigner : null;
        ServerState state = new ServerState();
        EventCodec codec = new EventCodec(keys);
        try (EventLog opened = EventLog.open(EventLogOptions.defaults(logDir), new SimpleMeterRegistry(), r -> { })) {
            log = opened;
            intake = new Intake(log, codec, state, Clock.systemUTC());
            Event.CarrierRegistered carrier = CarrierRegistration.of(Region.IJSSELLAND, new CarrierProfile(CARRIER_NAME,
                    "+31 6 12345678", "KAD-FOTO-2026-117", "Ex-partner dreigt haar iets aan te doen; volgt haar.",
                    "Man, 38, 1.85 m, kaal, donkere jas, rijdt een grijze VW Golf", POLICE_NOTES,
                    new CarrierProfile.Eligibility(true, true, true, true, true)));
            carrierId = carrier.carrierId();
            record(carrier);
            // Kadera edited the police profile after intake: the history shows the profile in force at the press.
            record(new Event.CarrierProfileUpdated(carrierId, new CarrierProfile(CARRIER_NAME, UPDATED_PHONE,
                    "KAD-FOTO-2026-117", "Ex-partner dreigt haar iets aan te doen; volgt haar.",
                    "Man, 38, 1.85 m, kaal, donkere jas, rijdt een grijze VW Golf", POLICE_NOTES,
                    new CarrierProfile.Eligibility(true, true, true, true, true))));
            record(new Event.DeviceEnrolled(DEVICE, Region.IJSSELLAND, device.certificate().getEncoded()));
            record(new Event.DeviceAssigned(DEVICE, carrierId));
            Event.CarrierRegistered otherCarrier = CarrierRegistration.of(Region.TWENTE, new CarrierProfile("Other Carrier",
                    "", "", "", "", "", new CarrierProfile.Eligibility(true, true, true, true, true)));
            record(otherCarrier);
            record(new Event.DeviceEnrolled(OTHER_DEVICE, Region.TWENTE, other.certificate().getEncoded()));
            record(new Event.DeviceAssigned(OTHER_DEVICE, otherCarrier.carrierId()));

            submit(DeviceFrame.create(FrameType.HEARTBEAT, DEVICE, ++counter, now(), new byte[] {90, 0}, signer));
            long pressedAt = now() - CLOCK_BEHIND_MS;
            alertId = frame(FrameType.PANIC, pressedAt, 0);
            pressSequence = log.lastSequence();
            otherAlertId = submit(located(FrameType.PANIC, OTHER_DEVICE, 1, now(), 523_000_000, 65_000_000, 30, otherSigner));
            alertRecord(new Event.DeliveryFailed(alertId, "ijsselland/primary", 1, "connect timed out after 2000 ms"));
            alertRecord(new Event.DeliveryFailed(alertId, "ijsselland/primary", 2, "HTTP 503 from the control room"));
            record(new Event.Delivered(otherAlertId, "twente/primary", 1, "MK-2026-000999"));
            alertRecord(new Event.Delivered(alertId, "ijsselland/secondary", 3, INCIDENT));
            escalationSequence = alertRecord(new Event.AlertEscalated(alertId, "kadera/escalation",
                    "no police acceptance within 15 s"));
            locationIds.add(frame(FrameType.LOCATION, now(), 1));
            alertRecord(new Event.Delivered(locationIds.get(0), "ijsselland/secondary", 1, ""));
            alertRecord(new Event.AlertStatusReported(alertId, AlertStatus.ACKNOWLEDGED, INCIDENT, CONTROL_ROOM));
            locationIds.add(frame(FrameType.LOCATION, now(), 2));
            if (forger != null) {
                forgedSequence = log.lastSequence();
            }
            alertRecord(new Event.Delivered(locationIds.get(1), "ijsselland/secondary", 1, ""));
            alertRecord(new Event.AlertStatusReported(alertId, AlertStatus.UNIT_DISPATCHED, INCIDENT, CONTROL_ROOM));
            repeatId = frame(FrameType.PANIC, now(), 3);
            alertRecord(new Event.Delivered(repeatId, "ijsselland/secondary", 1, ""));
            testAlertId = submit(located(FrameType.TEST, OTHER_DEVICE, 2, now(), 523_000_000, 65_000_000, 30, otherSigner));
            locationIds.add(frame(FrameType.LOCATION, now(), 4));
            alertRecord(new Event.Delivered(locationIds.get(2), "ijsselland/secondary", 1, ""));
            cancelId = frame(FrameType.CANCEL, now(), -1);
            alertRecord(new Event.Delivered(cancelId, "ijsselland/secondary", 1, ""));
            alertRecord(new Event.AlertStatusReported(alertId, AlertStatus.ON_SCENE, INCIDENT, CONTROL_ROOM));
            closeSequence = alertRecord(new Event.AlertStatusReported(alertId, AlertStatus.CLOSED, INCIDENT, CONTROL_ROOM));
            // After the close: the device's next location belongs to no alert.
            submit(located(FrameType.LOCATION, DEVICE, ++counter, now(), 525_150_000, 60_990_000, 12, signer));
        }
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    /** A frame of the alert's device; {@code point} indexes {@link #TRACK}, -1 for a CANCEL. */
    private UUID frame(FrameType type, long deviceTime, int point) {
        FrameSigner by = point == 2 && forger != null ? forger : signer;
        DeviceFrame frame = point < 0
                ? DeviceFrame.create(type, DEVICE, ++counter, deviceTime, new byte[0], by)
                : located(type, DEVICE, ++counter, deviceTime, TRACK[point][0], TRACK[point][1], TRACK[point][2], by);
        UUID id = submit(frame);
        alertSequences.add(log.lastSequence());
        return id;
    }

    static DeviceFrame located(FrameType type, long device, long counter, long time, int lat, int lon, int accuracy,
                               FrameSigner signer) {
        ByteBuf payload = Unpooled.buffer(Location.BYTES);
        new Location(lat, lon, accuracy, 4, Location.SOURCE_GNSS, 81).write(payload);
        return DeviceFrame.create(type, device, counter, time, ByteBufUtil.getBytes(payload), signer);
    }

    private UUID submit(DeviceFrame frame) {
        IntakeOutcome outcome = intake.submit(frame).join();
        if (!(outcome instanceof IntakeOutcome.Accepted accepted) || accepted.duplicate()) {
            throw new IllegalStateException("intake did not accept the frame: " + outcome);
        }
        return accepted.eventId();
    }

    private long record(Event event) {
        LogRecord record = intake.record(event).join();
        return record.sequence();
    }

    private long alertRecord(Event event) {
        long sequence = record(event);
        alertSequences.add(sequence);
        return sequence;
    }
}
