package nl.aware.records.history;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.admin.CarrierRegistration;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.Region;
import nl.aware.core.intake.Intake;
import nl.aware.core.intake.IntakeOutcome;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.state.ServerState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One carrier, one incident in the records too (issue 11): a PANIC from the carrier's second device while
 * the alert is open joins it in the alert list, the history and the membership the evidence uses, as it
 * does in dispatch (OpenAlarms decides for all of them). After the control room closes it, the next press
 * is a new alert. Read from a real log written through the intake.
 */
class OneCarrierOneAlertTest {
    private static final long FIRST = 0x00000000000c0a01L;
    private static final long SECOND = 0x00000000000c0a02L;
    private static final long STRANGER = 0x00000000000d0001L;

    @TempDir
    static Path dir;
    static Path logDir;
    static DataKeyRing keys;
    static CertificateAuthority ca;
    static UUID alertId;
    static UUID secondDevicesPress;
    static UUID secondDevicesLocation;
    static UUID strangersAlert;
    static UUID afterClose;

    @BeforeAll
    static void write() throws Exception {
        logDir = dir.resolve("log");
        keys = DataKeyRing.create(dir.resolve("keys"));
        ca = CertificateAuthority.create("test device CA", Duration.ofDays(30));
        IssuedCredential first = ca.issueDevice(FIRST, Duration.ofDays(2));
        IssuedCredential second = ca.issueDevice(SECOND, Duration.ofDays(2));
        IssuedCredential stranger = ca.issueDevice(STRANGER, Duration.ofDays(2));
        try (EventLog log = EventLog.open(EventLogOptions.defaults(logDir), new SimpleMeterRegistry(), r -> { })) {
            Intake intake = new Intake(log, new EventCodec(keys), new ServerState(), Clock.systemUTC());
            Event.CarrierRegistered carrier = CarrierRegistration.of(Region.IJSSELLAND, new CarrierProfile("Test Carrier",
                    "", "", "", "", "", new CarrierProfile.Eligibility(true, true, true, true, true)));
            intake.record(carrier).join();
            for (IssuedCredential device : List.of(first, second, stranger)) {
                long id = nl.aware.core.pki.DeviceIds.fromCertificate(device.certificate()).orElseThrow();
                intake.record(new Event.DeviceEnrolled(id, Region.IJSSELLAND, device.certificate().getEncoded())).join();
            }
            intake.record(new Event.DeviceAssigned(FIRST, carrier.carrierId())).join();
            intake.record(new Event.DeviceAssigned(SECOND, carrier.carrierId())).join();
            FrameSigner a = new FrameSigner(first.privateKey());
            FrameSigner b = new FrameSigner(second.privateKey());
            FrameSigner d = new FrameSigner(stranger.privateKey());
            alertId = submit(intake, FrameType.PANIC, FIRST, 1, a);
            secondDevicesPress = submit(intake, FrameType.PANIC, SECOND, 1, b);
            secondDevicesLocation = submit(intake, FrameType.LOCATION, SECOND, 2, b);
            strangersAlert = submit(intake, FrameType.PANIC, STRANGER, 1, d);
            intake.record(new Event.AlertStatusReported(alertId, AlertStatus.CLOSED, "MK-1", "meldkamer")).join();
            afterClose = submit(intake, FrameType.PANIC, SECOND, 3, b);
        }
    }

    private static UUID submit(Intake intake, FrameType type, long device, long counter, FrameSigner signer) {
        IntakeOutcome outcome = intake.submit(AlertScenario.located(type, device, counter, System.currentTimeMillis(),
                525_000_000, 60_000_000, 10, signer)).join();
        return ((IntakeOutcome.Accepted) outcome).eventId();
    }

    @Test
    void alertList_showsTheSecondDevicesPressAsARepeatOfTheCarriersOpenAlert() throws Exception {
        AlertIndex index = AlertIndex.load(logDir, keys).index();
        Map<UUID, AlertSummary> rows = index.list(AlertFilter.ALL, 100).stream()
                .collect(Collectors.toMap(AlertSummary::alertId, row -> row));
        assertEquals(java.util.Set.of(alertId, strangersAlert, afterClose), rows.keySet(),
                "three alerts: the carrier's, the stranger's, and the carrier's next after the close");
        assertEquals(2, rows.get(alertId).presses(), "the second device's press counted on the carrier's alert");
        assertEquals(1, rows.get(strangersAlert).presses(), "another carrier's press is not joined");
    }

    @Test
    void alertHistory_holdsTheSecondDevicesPressAndLocation_eachVerifiedWithItsOwnCertificate() throws Exception {
        AlertHistory history = AlertHistoryReader.read(logDir, keys, ca.certificate(), alertId);
        assertEquals(List.of(secondDevicesPress), history.repeatedPresses().stream()
                .map(AlertHistory.Press::eventId).toList());
        assertTrue(history.track().stream().anyMatch(p -> p.eventId().equals(secondDevicesLocation)),
                "the second device's location is on the alert's track");
        assertEquals(3, history.verification().signatures().frames());
        assertTrue(history.verification().signatures().allVerified(), () -> "failed records "
                + history.verification().signatures().failedRecords());
        assertEquals(FIRST, history.deviceId(), "the alert names the device whose press opened it");
    }

    @Test
    void membership_takesTheCarriersOtherDevice_untilTheClose_andNeverAnotherCarriersPress() throws Exception {
        AlertMembership membership = new AlertMembership(alertId, new EventCodec(keys));
        java.util.Set<UUID> members = new java.util.HashSet<>();
        EventLog.read(logDir, record -> {
            try {
                if (membership.offer(record) instanceof Event.FrameAccepted accepted) {
                    members.add(accepted.eventId());
                }
            } catch (nl.aware.core.event.EventFormatException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(java.util.Set.of(alertId, secondDevicesPress, secondDevicesLocation), members);
    }

    @Test
    void evidenceBundle_holdsTheSecondDevicesFramesWithItsCertificate_andVerifies() throws Exception {
        Path caPem = dir.resolve("ca.pem");
        java.nio.file.Files.writeString(caPem, nl.aware.core.pki.Pem.encode(ca.certificate()));
        nl.aware.records.evidence.AlertBundle bundle = nl.aware.records.evidence.AlertBundle.export(logDir, caPem, keys,
                alertId, java.time.Instant.parse("2030-01-02T03:04:05Z"));
        assertEquals(3, bundle.frames(), "the press, the second device's press and its location");
        assertTrue(bundle.files().containsKey("device-" + nl.aware.core.pki.DeviceIds.format(SECOND) + ".pem"));
        Path out = dir.resolve("bundle.zip");
        bundle.write(out);
        var result = nl.aware.records.evidence.BundleVerifier.verify(out);
        assertTrue(result.ok(), () -> String.valueOf(result.problem()));
    }

    @Test
    void evidenceBundle_whoseManifestDropsTheSecondDevice_isDamagedAtThatDevicesFirstFrame() throws Exception {
        Path caPem = dir.resolve("ca-2.pem");
        java.nio.file.Files.writeString(caPem, nl.aware.core.pki.Pem.encode(ca.certificate()));
        var bundle = nl.aware.records.evidence.AlertBundle.export(logDir, caPem, keys, alertId,
                java.time.Instant.parse("2030-01-02T03:04:05Z"));
        Path out = dir.resolve("bundle-without-second-device");
        java.nio.file.Files.createDirectories(out);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (var file : bundle.files().entrySet()) {
            byte[] bytes = file.getValue();
            if (file.getKey().equals("manifest.json")) {
                var manifest = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(bytes);
                manifest.remove("otherDevices");
                bytes = json.writeValueAsBytes(manifest);
            }
            java.nio.file.Files.write(out.resolve(file.getKey()), bytes);
        }
        var result = nl.aware.records.evidence.BundleVerifier.verify(out);
        assertTrue(!result.ok() && String.valueOf(result.problem()).contains("is from device "
                + nl.aware.core.pki.DeviceIds.format(SECOND)), () -> String.valueOf(result.problem()));
    }
}
