package nl.aware.gateway.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.DeviceCertificateCheck;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.state.DeviceRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.EventCodec;
import nl.aware.core.intake.Intake;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.state.ServerState;
import nl.aware.http.Transports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DeviceTrust with both TLS providers the gateway may run on (OpenSSL via netty-tcnative when it loads, the
 * JDK otherwise), on real sockets: the current certificate completes the handshake, a superseded one fails
 * it, and the failure carries the DeadCertificateException that Rejections records from.
 */
class DeviceTrustProvidersTest {
    private static final long DEVICE = 0x00000000000a11ceL;
    private static final CertificateAuthority CA = CertificateAuthority.create("provider test CA", Duration.ofDays(2));
    private final EventLoopGroup group = Transports.group(1);
    private Channel server;
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void currentCertificatePasses_supersededOneFailsWithTheDeadCertificateCause(SslProvider provider) throws Exception {
        Assumptions.assumeTrue(provider != SslProvider.OPENSSL || OpenSsl.isAvailable(), "netty-tcnative not loadable");
        IssuedCredential old = CA.issueDevice(DEVICE, Duration.ofDays(1));
        IssuedCredential current = CA.issueDevice(DEVICE, Duration.ofDays(1));
        DeviceRegistry registry = enrolled(current);
        SslContext tls = gatewayTls(registry, provider);

        assertEquals(Optional.empty(), handshake(tls, current), "the current certificate was refused");
        Throwable refusal = handshake(tls, old).orElseThrow(() -> new AssertionError("the superseded certificate passed"));
        DeviceTrust.DeadCertificateException dead = null;
        for (Throwable t = refusal; t != null && dead == null; t = t.getCause()) {
            dead = t instanceof DeviceTrust.DeadCertificateException d ? d : null;
        }
        assertTrue(dead != null, "the handshake failure carries the refusal: " + refusal);
        assertEquals(DeviceRegistry.Standing.SUPERSEDED, dead.standing());
        assertEquals(DEVICE, dead.deviceId());
    }

    /** The registry is no CA: a certificate enrolled without the CA's signature (enrol takes any) never gets a session. */
    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void enrolledCertificateOfACaWithTheSameNameButAnotherKey_failsTheHandshake(SslProvider provider) throws Exception {
        Assumptions.assumeTrue(provider != SslProvider.OPENSSL || OpenSsl.isAvailable(), "netty-tcnative not loadable");
        CertificateAuthority impostor = CertificateAuthority.create("provider test CA", Duration.ofDays(2));
        IssuedCredential forged = impostor.issueDevice(DEVICE, Duration.ofDays(1));
        DeviceRegistry registry = enrolled(forged);

        Throwable refusal = handshake(gatewayTls(registry, provider), forged)
                .orElseThrow(() -> new AssertionError("a certificate without the device CA's signature passed"));
        assertEquals("device certificate does not carry the device CA's signature", rootCause(refusal).getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void currentCertificate_pastItsEnd_failsTheHandshake(SslProvider provider) throws Exception {
        Assumptions.assumeTrue(provider != SslProvider.OPENSSL || OpenSsl.isAvailable(), "netty-tcnative not loadable");
        IssuedCredential current = CA.issueDevice(DEVICE, Duration.ofDays(1));
        DeviceRegistry registry = enrolled(current);
        DeviceTrust twoDaysOn = new DeviceTrust(new DeviceCertificateCheck(CA.certificate()),
                registry, Clock.offset(Clock.systemUTC(), Duration.ofDays(2)));

        Throwable refusal = handshake(gatewayTls(twoDaysOn, provider), current)
                .orElseThrow(() -> new AssertionError("an expired certificate passed"));
        assertEquals("device certificate expired at " + current.certificate().getNotAfter().toInstant(),
                rootCause(refusal).getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void heldConnection_keepsTheRegistrysCertificate_notAParsedOneOfItsOwn(SslProvider provider) throws Exception {
        Assumptions.assumeTrue(provider != SslProvider.OPENSSL || OpenSsl.isAvailable(), "netty-tcnative not loadable");
        IssuedCredential current = CA.issueDevice(DEVICE, Duration.ofDays(1));
        DeviceRegistry registry = enrolled(current);
        SslContext tls = gatewayTls(registry, provider);
        CompletableFuture<DeviceSession> session = new CompletableFuture<>();

        // Rejections only acts on a failed handshake, which this one is not.
        assertEquals(Optional.empty(), handshake(tls, current,
                new DeviceIdentityHandler(null, new DeviceConnections(registry), registry),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                        if (event instanceof SslHandshakeCompletionEvent) {
                            session.complete(DeviceSession.of(ctx.channel()));
                        }
                        ctx.fireUserEventTriggered(event);
                    }
                }));

        DeviceSession held = session.get(10, TimeUnit.SECONDS);
        assertEquals(DEVICE, held.deviceId());
        assertSame(registry.find(DEVICE).orElseThrow().certificate(), held.certificate());
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void revokedWhileAway_isRefusedEvenWhenItsClientResumesTheEarlierSession(SslProvider provider) throws Exception {
        Assumptions.assumeTrue(provider != SslProvider.OPENSSL || OpenSsl.isAvailable(), "netty-tcnative not loadable");
        IssuedCredential current = CA.issueDevice(DEVICE, Duration.ofDays(1));
        DeviceRegistry registry = enrolled(current);
        SslContext tls = gatewayTls(registry, provider);
        try (EventLog log = EventLog.open(EventLogOptions.defaults(dir.resolve("log")), new SimpleMeterRegistry(),
                record -> { })) {
            Rejections rejections = new Rejections(new Intake(log, new EventCodec(DataKeyRing.create(dir.resolve("keys"))),
                    new ServerState(), Clock.systemUTC()), new GatewayMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
            DeviceConnections connections = new DeviceConnections(registry);
            BlockingQueue<Channel> admitted = new LinkedBlockingQueue<>();
            InetSocketAddress address = serve(tls, () -> new ChannelHandler[] {
                    new DeviceIdentityHandler(rejections, connections, registry),
                    new ChannelInboundHandlerAdapter() {
                        @Override
                        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                            if (event instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
                                admitted.add(ctx.channel());
                            }
                        }
                    }});
            SSLContext device = clientTls(current); // one context: the JDK client offers its cached session again

            handshakeFrom(device, address, 1000);
            Channel first = admitted.poll(10, TimeUnit.SECONDS);
            assertTrue(first != null, "the enrolled device was refused");
            registry.apply(new Event.DeviceRevoked(DEVICE, "lost"));
            handshakeFrom(device, address, 1000);

            Channel second = admitted.poll(3, TimeUnit.SECONDS);
            assertTrue(second == null, "the revoked device's connection was admitted");
            assertTrue(connections.current(DEVICE) == null || !connections.current(DEVICE).isActive(),
                    "the revoked device holds a connection");
        }
    }

    /**
     * BoringSSL's per-connection buffer for what it writes while Netty reads is kept small (it is held for the
     * connection's life); the server's first flight, larger than it, waits in BoringSSL and still completes the
     * handshake.
     */
    @Test
    void openSsl_keepsTheSmallHandshakeBuffer_andAFlightLargerThanItStillCompletesTheHandshake() throws Exception {
        Assumptions.assumeTrue(OpenSsl.isAvailable(), "netty-tcnative not loadable");
        IssuedCredential current = CA.issueDevice(DEVICE, Duration.ofDays(1));
        IssuedCredential gateway = CA.issueServer("gateway", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
        SslContext tls = TlsContexts.deviceServer(gateway.privateKey(), gateway.certificate(), CA.certificate(),
                DeviceTrust.of(CA.certificate(), enrolled(current)), SslProvider.OPENSSL);

        assertEquals(TlsContexts.DEVICE_HANDSHAKE_BUFFER_BYTES,
                ((ReferenceCountedOpenSslContext) tls).getBioNonApplicationBufferSize());
        int chain = gateway.certificate().getEncoded().length + CA.certificate().getEncoded().length;
        assertTrue(chain > TlsContexts.DEVICE_HANDSHAKE_BUFFER_BYTES, "the flight fits the buffer: " + chain + " bytes");
        assertEquals(Optional.empty(), handshake(tls, current), "the handshake did not complete");
    }

    /** A registry in which {@code credential}'s certificate is the device's current one. */
    private static DeviceRegistry enrolled(IssuedCredential credential) throws Exception {
        DeviceRegistry registry = new DeviceRegistry();
        registry.apply(new Event.DeviceEnrolled(DEVICE, Region.IJSSELLAND, credential.certificate().getEncoded()));
        return registry;
    }

    /** The server's verdict on one handshake: empty when it completed, else its failure. */
    private Optional<Throwable> handshake(SslContext tls, IssuedCredential client, ChannelHandler... before)
            throws Exception {
        CompletableFuture<Optional<Throwable>> verdict = new CompletableFuture<>();
        ChannelHandler judge = new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                if (event instanceof SslHandshakeCompletionEvent done) {
                    verdict.complete(done.isSuccess() ? Optional.empty() : Optional.of(done.cause()));
                    ctx.close();
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        };
        ChannelHandler[] pipeline = java.util.Arrays.copyOf(before, before.length + 1);
        pipeline[before.length] = judge; // one connection per server: the same handlers serve it
        handshakeFrom(clientTls(client), serve(tls, () -> pipeline), 5000);
        return verdict.get(10, TimeUnit.SECONDS);
    }

    /** A server on a free port (replacing the last one) whose connections get TLS, then {@code handlers}. */
    private InetSocketAddress serve(SslContext tls, java.util.function.Supplier<ChannelHandler[]> handlers) {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        server = new ServerBootstrap().group(group).channel(Transports.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(tls.newHandler(channel.alloc())).addLast(handlers.get());
                    }
                }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
        return (InetSocketAddress) server.localAddress();
    }

    /**
     * The device's side of one handshake; the verdict is the server's. TLS 1.3: the server judges the client's
     * certificate (and sends its tickets) after this side is done, so the client reads once: a refusal closes the
     * connection, an admitted one stays quiet until {@code timeoutMs}.
     */
    private static void handshakeFrom(SSLContext device, InetSocketAddress address, int timeoutMs) throws Exception {
        try (SSLSocket socket = (SSLSocket) device.getSocketFactory()
                .createSocket(address.getHostString(), address.getPort())) {
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            socket.setSoTimeout(timeoutMs);
            try {
                socket.startHandshake();
                socket.getInputStream().read();
            } catch (java.io.IOException refusedClosedOrQuiet) {
                // the verdict is the server's
            }
        }
    }

    /** The gateway's device context on {@code provider}, judging clients by {@code registry}. */
    private static SslContext gatewayTls(DeviceRegistry registry, SslProvider provider) throws Exception {
        return gatewayTls(DeviceTrust.of(CA.certificate(), registry), provider);
    }

    private static SslContext gatewayTls(DeviceTrust trust, SslProvider provider) throws Exception {
        IssuedCredential gateway = CA.issueServer("gateway", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
        return TlsContexts.deviceServer(gateway.privateKey(), gateway.certificate(), CA.certificate(), trust, provider);
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static SSLContext clientTls(IssuedCredential credential) throws Exception {
        char[] password = "test".toCharArray();
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(credential.toKeyStore(password, "device"), password);
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", CA.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }
}
