package nl.aware.gateway;

import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.gateway.testing.DispatchFixture;
import nl.aware.gateway.testing.LogContents;
import nl.aware.gateway.testing.ServerProcess;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Promise 1 with a real process and a real kill -9: no acknowledged press is lost, none is doubled. */
class CrashRecoveryTest {
    private static final int DEVICES = 16;
    private static final int KILL_AFTER_ACKS = 400;

    @TempDir
    Path dir;

    @Test
    void killDashNineMidBurst_losesNoAckedPressAndDoublesNone() throws Exception {
        TestServer deployment = TestServer.create(dir).start();
        Map<Long, IssuedCredential> credentials = new HashMap<>();
        for (long id = 1; id <= DEVICES; id++) {
            long deviceId = 0x00c0ffee00000000L + id;
            credentials.put(deviceId, deployment.enroll(deviceId, id % 2 == 0 ? Region.TWENTE : Region.IJSSELLAND));
        }
        deployment.close();
        CertificateAuthority ca = deployment.ca();
        Path dispatch = new DispatchFixture().write(dir.resolve("dispatch"), ca); // police unreachable: the log is what counts here

        Map<UUID, Long> acked = new ConcurrentHashMap<>();
        AtomicInteger ackCount = new AtomicInteger();
        List<Thread> devices = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(deployment, dispatch, dir)) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            for (var entry : credentials.entrySet()) {
                Thread thread = new Thread(() -> pressUntilTheServerDies(address, entry.getKey(), entry.getValue(),
                        ca, acked, ackCount), "device-" + entry.getKey());
                thread.start();
                devices.add(thread);
            }
            await().atMost(java.time.Duration.ofSeconds(60)).until(() -> ackCount.get() >= KILL_AFTER_ACKS);
            server.killDashNine();
        }
        for (Thread thread : devices) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }

        try (ServerProcess restarted = ServerProcess.start(deployment, dispatch, dir)) {
            assertEquals(143, restarted.stop(), "SIGTERM ends the JVM with 128+15 once the shutdown hook has closed the log");
        }

        LogContents log = deployment.log();
        assertTrue(log.verification().intact(), () -> "log does not verify: " + log.verification().problem());
        assertEquals(0, log.verification().tornTailBytes(), "recovery truncated the torn tail");
        Map<UUID, Integer> occurrences = new HashMap<>();
        Set<String> deviceCounters = new HashSet<>();
        for (Event.FrameAccepted accepted : log.accepted()) {
            occurrences.merge(accepted.eventId(), 1, Integer::sum);
            assertTrue(deviceCounters.add(accepted.frame().deviceId() + "/" + accepted.frame().counter()),
                    "one counter accepted twice");
        }
        assertTrue(acked.size() >= KILL_AFTER_ACKS);
        for (UUID eventId : acked.keySet()) {
            assertEquals(1, occurrences.getOrDefault(eventId, 0), "acknowledged press " + eventId + " in the log");
        }
    }

    /** One device pressing as fast as ACKs come back, until its connection dies with the server. */
    private static void pressUntilTheServerDies(InetSocketAddress address, long deviceId, IssuedCredential credential,
                                                CertificateAuthority ca, Map<UUID, Long> acked, AtomicInteger ackCount) {
        try (TestDevice device = TestDevice.connect(address, deviceId, credential, ca.certificate())) {
            for (long counter = 1; device.isOpen(); counter++) {
                device.send(device.panic(counter));
                ServerFrame answer = device.nextWithin(java.time.Duration.ofSeconds(5));
                if (answer instanceof ServerFrame.Ack ack) {
                    acked.put(ack.eventId(), deviceId);
                    ackCount.incrementAndGet();
                } else {
                    return;
                }
            }
        } catch (Exception | AssertionError serverGone) {
            // The kill closes every connection; what matters is what was ACKed before it.
        }
    }
}
