package nl.aware.core.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real TLS 1.3 mutual authentication over loopback with JDK TLS and the issued credentials. */
class TlsHandshakeTest {
    private static final int TIMEOUT_MS = 15_000;
    private static final long DEVICE_ID = 0x00c0ffee12345678L;

    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final CertificateAuthority ca = CertificateAuthority.create("AWARE Device CA", Duration.ofDays(30));
    private final IssuedCredential server = ca.issueServer("gateway", List.of("localhost"),
            List.of("127.0.0.1"), Duration.ofDays(7));

    private record ServerView(X509Certificate peer, String protocol) {
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void deviceCompletesTls13HandshakeAndServerSeesDeviceIdAsPeerCn() throws Exception {
        IssuedCredential device = ca.issueDevice(DEVICE_ID, Duration.ofDays(7));
        try (SSLServerSocket listener = listen(TestTls.context(server, ca.certificate()))) {
            Future<ServerView> accepted = executor.submit(() -> acceptOne(listener));
            try (SSLSocket client = connect(TestTls.context(device, ca.certificate()), listener.getLocalPort())) {
                client.startHandshake();
                assertEquals("TLSv1.3", client.getSession().getProtocol());
                assertEquals(1, client.getInputStream().read(), "server confirmed the handshake");
            }
            ServerView view = accepted.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            assertEquals("TLSv1.3", view.protocol());
            assertEquals("CN=00c0ffee12345678", view.peer().getSubjectX500Principal().getName());
            assertEquals(OptionalLong.of(DEVICE_ID), DeviceIds.fromCertificate(view.peer()));
        }
    }

    @Test
    void clientCertificateFromAnotherCaFailsTheHandshake() throws Exception {
        CertificateAuthority rogue = CertificateAuthority.create("AWARE Device CA", Duration.ofDays(30));
        IssuedCredential impostor = rogue.issueDevice(DEVICE_ID, Duration.ofDays(7));
        try (SSLServerSocket listener = listen(TestTls.context(server, ca.certificate()))) {
            Future<ServerView> accepted = executor.submit(() -> acceptOne(listener));
            try (SSLSocket client = connect(TestTls.context(impostor, ca.certificate()), listener.getLocalPort())) {
                // In TLS 1.3 the client may finish its side before the server's rejection arrives;
                // the rejection then surfaces on the first read, as the server's alert (SSLException)
                // or, if the server has already closed, as a connection reset. Either way the client
                // must never get the byte the server only sends after a successful handshake.
                int confirmation;
                try {
                    client.startHandshake();
                    confirmation = client.getInputStream().read();
                } catch (IOException expected) {
                    confirmation = -2;
                }
                assertNotEquals(1, confirmation, "server must not accept the foreign client certificate");
            }
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> accepted.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            assertInstanceOf(SSLHandshakeException.class, e.getCause());
        }
    }

    private static SSLServerSocket listen(SSLContext ctx) throws IOException {
        SSLServerSocket listener = (SSLServerSocket) ctx.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        listener.setEnabledProtocols(new String[] {"TLSv1.3"});
        listener.setNeedClientAuth(true);
        listener.setSoTimeout(TIMEOUT_MS);
        return listener;
    }

    private static ServerView acceptOne(SSLServerSocket listener) throws IOException {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
            socket.setSoTimeout(TIMEOUT_MS);
            socket.startHandshake();
            X509Certificate peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            socket.getOutputStream().write(1);
            socket.getOutputStream().flush();
            return new ServerView(peer, socket.getSession().getProtocol());
        }
    }

    private static SSLSocket connect(SSLContext ctx, int port) throws IOException {
        SSLSocket client = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        client.setSoTimeout(TIMEOUT_MS);
        client.setEnabledProtocols(new String[] {"TLSv1.3"});
        SSLParameters params = client.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS"); // checks the server's IP SAN too
        client.setSSLParameters(params);
        return client;
    }
}
