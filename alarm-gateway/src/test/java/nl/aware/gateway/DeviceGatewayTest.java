package nl.aware.gateway;

import nl.aware.core.event.Event;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.NackReason;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.gateway.testing.LogContents;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway's promises on real sockets, real TLS 1.3 and a real event log on disk. */
class DeviceGatewayTest {
    private static final long ALICE = 0x00000000000a11ceL;
    private static final long BOB = 0x0000000000000b0bL;

    @TempDir
    Path dir;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void enrolledDevicesPanic_isAckedAndInTheLogAfterRestart() throws Exception {
        IssuedCredential alice = server.enroll(ALICE);
        ServerFrame.Ack ack;
        try (TestDevice device = server.connect(ALICE, alice)) {
            device.send(device.panic(1));
            ack = device.nextAck();
        }
        assertEquals(1, ack.counter());
        assertFalse(ack.duplicate());

        server.restart();

        List<Event.FrameAccepted> accepted = server.log().accepted();
        assertEquals(1, accepted.size());
        assertEquals(ack.eventId(), accepted.get(0).eventId());
        assertEquals(FrameType.PANIC, accepted.get(0).frame().type());
        assertEquals(TestDevice.ZWOLLE, accepted.get(0).frame().location());
        assertEquals(ack.eventId(), server.server().state().openAlarms().of(ALICE).orElseThrow().alertId());
    }

    @Test
    void dataDirectory_holdsNoLocationInPlainText() throws Exception {
        IssuedCredential alice = server.enroll(ALICE);
        byte[] payload;
        try (TestDevice device = server.connect(ALICE, alice)) {
            var panic = device.panic(1);
            payload = panic.payload();
            device.send(panic);
            device.nextAck();
        }
        server.close();
        byte[] coordinates = java.util.Arrays.copyOfRange(payload, 0, 8); // latE7, lonE7
        try (var files = java.nio.file.Files.walk(server.data().root())) {
            for (Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                byte[] bytes = java.nio.file.Files.readAllBytes(file);
                assertFalse(contains(bytes, coordinates), "coordinates in plain text in " + file);
            }
        }
        assertEquals(TestDevice.ZWOLLE, server.log().accepted().get(0).frame().location(), "readable with the keys");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void counterHighWaterMark_survivesRestart() throws Exception {
        IssuedCredential alice = server.enroll(ALICE);
        try (TestDevice device = server.connect(ALICE, alice)) {
            device.send(device.heartbeat(10));
            device.nextAck();
        }
        server.restart();
        try (TestDevice device = server.connect(ALICE, alice)) {
            device.send(device.heartbeat(9));
            assertEquals(NackReason.REPLAYED_COUNTER, ((ServerFrame.Nack) device.next()).reason());
        }
    }

    @Test
    void reEnrolment_startsANewCounterEpoch_soADeviceAtTheLastCounterCanBeBroughtBack() throws Exception {
        IssuedCredential first = server.enroll(ALICE);
        try (TestDevice device = server.connect(ALICE, first)) {
            device.send(device.heartbeat(-1L)); // 2^64-1: no higher counter exists
            device.nextAck();
            device.send(device.heartbeat(2));
            assertEquals(NackReason.REPLAYED_COUNTER, ((ServerFrame.Nack) device.next()).reason());
        }
        IssuedCredential second = server.enroll(ALICE); // a new certificate
        ServerFrame.Ack ack;
        try (TestDevice device = server.connect(ALICE, second)) {
            device.send(device.panic(1));
            ack = device.nextAck();
        }
        assertFalse(ack.duplicate());
        server.restart();
        try (TestDevice device = server.connect(ALICE, second)) {
            device.send(device.heartbeat(1));
            assertEquals(NackReason.REPLAYED_COUNTER, ((ServerFrame.Nack) device.next()).reason(),
                    "after a restart the new epoch's mark stands, rebuilt from the log");
            device.send(device.heartbeat(2));
            assertEquals(2, device.nextAck().counter());
        }
    }

    @Test
    void certificateFromAnotherCa_failsTheHandshake() {
        CertificateAuthority rogue = CertificateAuthority.create("Rogue CA", Duration.ofDays(2));
        IssuedCredential forged = rogue.issueDevice(ALICE, Duration.ofDays(1));
        server.enroll(ALICE);
        // In TLS 1.3 the client may finish its side before the server rejects its certificate,
        // so the refusal shows either as a failed connect or as a connection closed unanswered.
        TestDevice device;
        try {
            device = server.connect(ALICE, forged);
        } catch (Exception refused) {
            return;
        }
        try (device) {
            assertTrue(device.awaitClosed(Duration.ofSeconds(5)));
            assertNull(device.poll(), "nothing is answered on a refused connection");
        }
        assertTrue(server.log().accepted().isEmpty());
    }

    @Test
    void unenrolledDevice_isRefusedInTheHandshake() throws Exception {
        assertRefusedInTheHandshake(BOB, server.ca().issueDevice(BOB, Duration.ofDays(2)));
    }

    @Test
    void revokedDevice_isRefusedInTheHandshake() throws Exception {
        IssuedCredential alice = server.enroll(ALICE);
        server.server().revoke(ALICE, "device reported stolen").join();
        assertRefusedInTheHandshake(ALICE, alice);
    }

    @Test
    void revocation_closesTheOpenConnectionAtOnce_andTheNextConnectionIsRefusedInTheHandshake() throws Exception {
        IssuedCredential alice = server.enroll(ALICE);
        try (TestDevice device = server.connect(ALICE, alice)) {
            device.send(device.heartbeat(1));
            device.nextAck();
            server.server().revoke(ALICE, "device reported stolen").join();
            assertTrue(device.awaitClosed(Duration.ofSeconds(1)), "closed within a second of the revocation");
        }
        assertNoSessionFor(ALICE, alice);
    }

    /** A dead certificate (revoked, replaced) gets no session: the handshake fails, or the connection closes unanswered. */
    private void assertNoSessionFor(long deviceId, IssuedCredential credential) throws Exception {
        TestDevice device;
        try {
            device = server.connect(deviceId, credential);
        } catch (Exception refused) {
            return;
        }
        try (device) {
            device.sendUnlessClosed(device.panic(99));
            assertTrue(device.awaitClosed(Duration.ofSeconds(5)), "the refused connection was closed");
            assertNull(device.poll(), "nothing is answered on a refused connection");
        }
    }

    @Test
    void reenrolment_closesTheConnectionOfTheOldCertificate() throws Exception {
        IssuedCredential old = server.enroll(ALICE);
        try (TestDevice device = server.connect(ALICE, old)) {
            device.send(device.heartbeat(1));
            device.nextAck();
            server.enroll(ALICE);
            assertTrue(device.awaitClosed(Duration.ofSeconds(1)));
        }
    }

    @Test
    void reenrolledDevicesOldCertificate_isRefusedInTheHandshake() throws Exception {
        IssuedCredential old = server.enroll(ALICE);
        server.enroll(ALICE);
        assertRefusedInTheHandshake(ALICE, old);
    }

    @Test
    void frameNamingAnotherDevice_getsNack4AndTheConnectionCloses() throws Exception {
        IssuedCredential alice = server.enroll(ALICE);
        server.enroll(BOB);
        try (TestDevice device = server.connect(ALICE, alice)) {
            device.send(device.frame(FrameType.PANIC, BOB, 5, TestDevice.location(TestDevice.ZWOLLE)));
            assertNack(device, NackReason.IDENTITY_MISMATCH, 5);
            assertTrue(device.awaitClosed(Duration.ofSeconds(5)));
        }
        awaitViolation(NackReason.IDENTITY_MISMATCH);
        assertTrue(server.log().accepted().isEmpty());
    }

    @Test
    void badSignature_getsNack1AndIsAudited() throws Exception {
        IssuedCredential alice = server.enroll(ALICE);
        try (TestDevice device = server.connect(ALICE, alice)) {
            byte[] wire = device.panic(3).wireBytes();
            wire[wire.length - 1] ^= 0x01;
            device.sendRaw(wire);
            assertNack(device, NackReason.BAD_SIGNATURE, 3);
            assertTrue(device.awaitClosed(Duration.ofSeconds(5)));
        }
        awaitViolation(NackReason.BAD_SIGNATURE);
    }

    @Test
    void replayedCounter_getsNack2AndASecurityEvent() throws Exception {
        IssuedCredential alice = server.enroll(ALICE);
        try (TestDevice device = server.connect(ALICE, alice)) {
            device.send(device.heartbeat(7));
            device.nextAck();
            device.send(device.panic(7)); // same counter, other bytes
            assertNack(device, NackReason.REPLAYED_COUNTER, 7);
            device.send(device.heartbeat(8));
            assertEquals(8, device.nextAck().counter(), "a replay does not close the connection");
        }
        awaitViolation(NackReason.REPLAYED_COUNTER);
    }

    @Test
    void identicalRetransmission_isAckedWithStatus1AndTheOriginalEventId() throws Exception {
        IssuedCredential alice = server.enroll(ALICE);
        ServerFrame.Ack first;
        ServerFrame.Ack again;
        try (TestDevice device = server.connect(ALICE, alice)) {
            var panic = device.panic(1);
            device.send(panic);
            first = device.nextAck();
            device.send(panic);
            again = device.nextAck();
        }
        assertFalse(first.duplicate());
        assertTrue(again.duplicate());
        assertEquals(first.eventId(), again.eventId());
        assertEquals(1, server.log().accepted().size());
    }

    @Test
    void retransmissionOverANewConnection_isRecognised() throws Exception {
        IssuedCredential alice = server.enroll(ALICE);
        ServerFrame.Ack first;
        var panic = (nl.aware.core.protocol.DeviceFrame) null;
        try (TestDevice device = server.connect(ALICE, alice)) {
            panic = device.panic(1);
            device.send(panic);
            first = device.nextAck();
        }
        try (TestDevice device = server.connect(ALICE, alice)) {
            device.send(panic);
            ServerFrame.Ack again = device.nextAck();
            assertTrue(again.duplicate());
            assertEquals(first.eventId(), again.eventId());
        }
    }

    @Test
    void oversizedFrame_closesOnlyThatConnection() throws Exception {
        IssuedCredential alice = server.enroll(ALICE);
        IssuedCredential bob = server.enroll(BOB);
        try (TestDevice bad = server.connect(ALICE, alice); TestDevice good = server.connect(BOB, bob)) {
            bad.sendRaw(new byte[] {(byte) 0xFF, (byte) 0xFF, 1, 2, 3});
            assertTrue(bad.awaitClosed(Duration.ofSeconds(5)));
            good.send(good.panic(1));
            assertEquals(1, good.nextAck().counter());
            assertTrue(good.isOpen());
        }
    }

    @Test
    void garbageFrame_getsNack5AndClosesOnlyThatConnection() throws Exception {
        IssuedCredential alice = server.enroll(ALICE);
        IssuedCredential bob = server.enroll(BOB);
        try (TestDevice bad = server.connect(ALICE, alice); TestDevice good = server.connect(BOB, bob)) {
            byte[] garbage = new byte[40];
            new java.util.Random(7).nextBytes(garbage);
            garbage[0] = 0;
            garbage[1] = 38;
            garbage[2] = 1; // version 1, then noise
            garbage[3] = 1; // PANIC
            bad.sendRaw(garbage);
            assertEquals(NackReason.MALFORMED, ((ServerFrame.Nack) bad.next()).reason());
            assertTrue(bad.awaitClosed(Duration.ofSeconds(5)));
            good.send(good.panic(1));
            assertEquals(1, good.nextAck().counter());
        }
    }

    /**
     * No session: in TLS 1.3 the client may finish its side before the server judges its certificate, so
     * the refusal shows as a failed connect or as a connection closed without any answer (never a NACK).
     */
    private void assertRefusedInTheHandshake(long deviceId, IssuedCredential credential) throws Exception {
        assertNoSessionFor(deviceId, credential);
        assertTrue(server.log().accepted().isEmpty());
    }

    private static void assertNack(TestDevice device, NackReason reason, long counter) throws InterruptedException {
        ServerFrame.Nack nack = assertInstanceOf(ServerFrame.Nack.class, device.next());
        assertEquals(reason, nack.reason());
        assertEquals(counter, nack.counter());
    }

    private void awaitViolation(NackReason reason) {
        await().atMost(Duration.ofSeconds(5)).until(() -> server.log().violations().stream()
                .anyMatch(v -> v.reason() == reason));
    }
}
