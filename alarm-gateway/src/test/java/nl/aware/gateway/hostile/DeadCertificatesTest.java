package nl.aware.gateway.hostile;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.event.Event;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.gateway.netty.GatewayConfig;
import nl.aware.gateway.netty.GatewayMetrics;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dead certificates cost nothing (issue 11), on real sockets, real TLS 1.3 and the project's CA: a
 * revoked, superseded or never-enrolled certificate fails the handshake (no session, so no NACK), its
 * refusals write one record a minute per certificate and per address, and a frame begun must be
 * complete within the frame deadline.
 */
class DeadCertificatesTest {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DeadCertificatesTest.class);
    private static final long ALICE = 0x00000000000a11ceL;
    private static final long BOB = 0x0000000000000b0bL;
    private static final Duration BOUND = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TestServer server;

    private void start(GatewayConfig gateway) throws Exception {
        server = TestServer.create(dir).gateway(gateway).meters(meters).start();
    }

    private void start() throws Exception {
        start(GatewayConfig.defaults().withPort("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void revokedCertificate_isRefusedInTheHandshake() throws Exception {
        start();
        IssuedCredential alice = server.enroll(ALICE);
        server.server().revoke(ALICE, "device reported stolen").join();
        assertFalse(getsASession(alice), "a revoked certificate got a TLS session");
        assertEquals(1.0, deadCertificates("revoked"));
    }

    @Test
    void supersededCertificate_isRefusedInTheHandshake_whileTheCurrentOneGetsASession() throws Exception {
        start();
        IssuedCredential old = server.enroll(ALICE);
        IssuedCredential current = server.enroll(ALICE);
        assertFalse(getsASession(old), "the superseded certificate got a TLS session");
        assertTrue(getsASession(current), "the current certificate was refused");
        assertEquals(1.0, deadCertificates("superseded"));
    }

    @Test
    void certificateOfNoEnrolledDevice_isRefusedInTheHandshake() throws Exception {
        start();
        assertFalse(getsASession(server.ca().issueDevice(BOB, Duration.ofDays(2))));
        assertEquals(1.0, deadCertificates("unknown"));
    }

    @Test
    void hundredReconnectsOfASupersededCertificate_writeOneRecord_andCountTheRest() throws Exception {
        start();
        IssuedCredential old = server.enroll(ALICE);
        server.enroll(ALICE);
        for (int i = 0; i < 100; i++) {
            assertFalse(getsASession(old));
        }
        await("every refusal counted").atMost(BOUND).until(() -> deadCertificates("superseded") == 100.0);
        await("the one record written").atMost(BOUND).until(() -> violationsOf(ALICE) == 1);
        assertEquals(99.0, meters.get(GatewayMetrics.REFUSAL_RECORDS_SKIPPED).counter().count());
        assertEquals(1, violationsOf(ALICE), "one refusal record for 100 reconnects within a minute");
    }

    @Test
    void twoHundredConnectionsOfASupersededCertificate_holdNone() throws Exception {
        start();
        IssuedCredential old = server.enroll(ALICE);
        IssuedCredential current = server.enroll(ALICE);
        SSLContext deadTls = clientTls(old);
        List<SSLSocket> sockets = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                sockets.add(handshake(deadTls));
            }
            try (TestDevice device = server.connect(ALICE, current)) {
                await("no dead connection stays open").atMost(BOUND)
                        .until(() -> meters.get(GatewayMetrics.CONNECTIONS).gauge().value() == 1.0);
                device.send(device.panic(1));
                assertEquals(1, device.nextAck().counter());
            }
        } finally {
            for (SSLSocket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void frameBegunButNotFinished_isClosedAtTheFrameDeadline_longBeforeTheIdleTimeout() throws Exception {
        start(GatewayConfig.defaults().withPort("127.0.0.1", 0).withFrameDeadline(Duration.ofSeconds(2)));
        try (TestDevice slow = server.connect(ALICE, server.enroll(ALICE))) {
            byte[] frame = slow.heartbeat(1).wireBytes();
            // One byte, then one more every second (each resets the 5 min idle timer; none finishes the frame).
            long started = System.nanoTime();
            try {
                for (int i = 0; i < 20 && slow.isOpen(); i++) {
                    slow.sendRaw(new byte[] {frame[i]});
                    Thread.sleep(1000);
                }
            } catch (Exception closedWhileSending) {
                // the server hung up between two bytes
            }
            assertTrue(slow.awaitClosed(BOUND), "a frame trickled for 20 s was still open");
            log.info("frame trickled at 1 B/s closed {} ms after its first byte (deadline 2 s)",
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            assertEquals(1.0, meters.get(GatewayMetrics.CLOSED).tag("cause", "frame-deadline").counter().count());
            assertEquals(null, slow.poll(), "half a frame is never answered");
        }
    }

    @Test
    void frameSentInTwoHalvesWithinTheDeadline_isAcked() throws Exception {
        start(GatewayConfig.defaults().withPort("127.0.0.1", 0).withFrameDeadline(Duration.ofSeconds(3)));
        try (TestDevice device = server.connect(ALICE, server.enroll(ALICE))) {
            byte[] frame = device.panic(1).wireBytes();
            device.sendRaw(java.util.Arrays.copyOfRange(frame, 0, frame.length / 2));
            Thread.sleep(500);
            device.sendRaw(java.util.Arrays.copyOfRange(frame, frame.length / 2, frame.length));
            ServerFrame answer = device.nextWithin(BOUND);
            assertEquals(1, assertInstanceOf(ServerFrame.Ack.class, answer).counter());
            assertTrue(device.isOpen());
        }
    }

    private double deadCertificates(String standing) {
        return meters.get(GatewayMetrics.DEAD_CERTIFICATES).tag("standing", standing).counter().count();
    }

    private long violationsOf(long deviceId) {
        return server.log().violations().stream().filter(v -> v.tlsDeviceId() == deviceId).count();
    }

    /**
     * True when the server keeps a TLS session with this certificate open. In TLS 1.3 the client may
     * finish its side before the server judges its certificate, so a refusal shows as an alert or an
     * end of stream on the first read; a session shows as a read that waits for the device to speak.
     */
    private boolean getsASession(IssuedCredential credential) throws Exception {
        try (SSLSocket socket = handshake(clientTls(credential))) {
            socket.setSoTimeout(1500);
            return socket.getInputStream().read() != -1;
        } catch (SocketTimeoutException waiting) {
            return true;
        } catch (SSLException | java.net.SocketException refused) {
            return false;
        }
    }

    private SSLSocket handshake(SSLContext tls) throws IOException {
        InetSocketAddress address = server.server().address();
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(address.getHostString(), address.getPort());
        socket.setEnabledProtocols(new String[] {"TLSv1.3"});
        try {
            socket.startHandshake();
        } catch (SSLException refused) {
            // refused before the client finished: the same as refused after
        }
        return socket;
    }

    private SSLContext clientTls(IssuedCredential credential) throws Exception {
        char[] password = "test".toCharArray();
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(credential.toKeyStore(password, "device"), password);
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", (X509Certificate) server.ca().certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }
}
