package nl.aware.simulator.controlroom;

import nl.aware.dispatch.police.ClientTls;
import nl.aware.dispatch.police.DeliveryException;
import nl.aware.dispatch.police.Endpoint;
import nl.aware.dispatch.police.HttpsPoster;
import nl.aware.dispatch.police.Receipt;
import nl.aware.dispatch.work.DispatchItem;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static nl.aware.simulator.controlroom.Fixtures.alertBody;
import static nl.aware.simulator.controlroom.Fixtures.panic;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dispatch's HTTPS client against a simulated control room: real sockets, mutual TLS 1.3 from the test CA. */
class HttpsPosterTest {
    private static final long DEVICE = 0x00000000000b0057L;

    private SimulatedControlRoom room;
    private EventLoopGroup io;
    private HttpsPoster poster;

    @BeforeEach
    void start() throws Exception {
        room = new SimulatedControlRoom(Fixtures.options("twente"), Fixtures.SERVER, Fixtures.CA.certificate());
        room.start();
        io = ClientTls.ioThreads(1, "poster-test");
        poster = poster(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        poster.close();
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        room.close();
    }

    private HttpsPoster poster(Duration timeout) throws Exception {
        return new HttpsPoster(ClientTls.context(Fixtures.DISPATCH.privateKey(),
                new X509Certificate[] {Fixtures.DISPATCH.certificate(), Fixtures.DISPATCH.issuer()},
                Fixtures.CA.certificate()), timeout, io);
    }

    private Receipt postAlert(HttpsPoster through, URI base) throws Exception {
        DispatchItem item = panic(UUID.randomUUID(), DEVICE, 1);
        return through.post(new Endpoint("twente/primary", base), "alerts", item.alertId().toString(), alertBody(item))
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void postsOneAfterAnother_shareOneTlsConnection() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertTrue(postAlert(poster, room.baseUrl()).reference().startsWith("IJS-"));
        }

        assertEquals(20, room.alertCount());
        assertEquals(1, room.handshakes());
    }

    @Test
    void receiverClosedTheKeptConnection_nextPostGoesOutOnANewOne() throws Exception {
        postAlert(poster, room.baseUrl());
        room.down(); // closes every connection, ours included
        // the same port again; on this shared machine a bind can fail for a moment (another process's socket)
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            room.up();
            return room.listening();
        });

        Receipt receipt = postAlert(poster, room.baseUrl());

        assertTrue(receipt.reference().startsWith("IJS-"));
        assertEquals(2, room.alertCount());
        assertEquals(2, room.handshakes());
    }

    @Test
    void noAnswerWithinTheTimeout_isARetryableFailureNamingTheTarget() throws Exception {
        room.responseDelay(Duration.ofSeconds(3));
        try (HttpsPoster impatient = poster(Duration.ofMillis(300))) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> postAlert(impatient, room.baseUrl()));

            DeliveryException failure = assertInstanceOf(DeliveryException.class, e.getCause());
            assertEquals("twente/primary", failure.target());
            assertFalse(failure.permanent());
            assertTrue(failure.getMessage().contains("TimeoutException"), failure.getMessage());
        }
    }

    @Test
    void receiverNamedOtherwiseThanItsCertificate_isRefusedInTheHandshake() throws Exception {
        // the receiver's certificate names localhost and 127.0.0.1, not 127.0.0.2 (which also reaches it on Linux)
        SimulatedControlRoom everywhere = new SimulatedControlRoom(Fixtures.options("twente").withBindAddress("0.0.0.0"),
                Fixtures.SERVER, Fixtures.CA.certificate());
        everywhere.start();
        try {
            URI elsewhere = URI.create("https://127.0.0.2:" + everywhere.port() + "/");

            ExecutionException e = assertThrows(ExecutionException.class, () -> postAlert(poster, elsewhere));

            DeliveryException failure = assertInstanceOf(DeliveryException.class, e.getCause());
            assertFalse(failure.permanent());
            assertTrue(failure.getMessage().contains("SSLHandshakeException"), failure.getMessage());
            assertEquals(0, everywhere.alertCount());
        } finally {
            everywhere.close();
        }
    }
}
