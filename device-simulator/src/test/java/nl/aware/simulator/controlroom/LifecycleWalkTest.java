package nl.aware.simulator.controlroom;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.dispatch.police.MutualTls;
import nl.aware.dispatch.police.PoliceMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static nl.aware.simulator.controlroom.Fixtures.alertBody;
import static nl.aware.simulator.controlroom.Fixtures.panic;
import static nl.aware.simulator.controlroom.Fixtures.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lifecycle walk against a small callback receiver standing in for our server: JDK HttpsServer,
 * TLS 1.3, the control room's client certificate required.
 */
class LifecycleWalkTest {
    private static final long DEVICE = 0x00000000000b0b01L;
    private static final IssuedCredential CONTROL_ROOM_CLIENT =
            Fixtures.CA.issueClient("control-room-ijsselland", Fixtures.DAY);

    /** One status report as our callback received it. */
    record Report(String path, String status, String incidentRef, String clientCn) {
    }

    private final List<Report> reports = new CopyOnWriteArrayList<>();
    private final AtomicInteger unavailableAnswers = new AtomicInteger();
    private HttpsServer callback;
    private SimulatedControlRoom room;
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();

    @BeforeEach
    void startCallback() throws Exception {
        SSLContext tls = MutualTls.context(Fixtures.SERVER.privateKey(),
                new X509Certificate[] {Fixtures.SERVER.certificate(), Fixtures.SERVER.issuer()}, Fixtures.CA.certificate());
        callback = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        callback.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = tls.getDefaultSSLParameters();
                parameters.setProtocols(new String[] {"TLSv1.3"});
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        callback.createContext("/police/v1/alerts/", exchange -> {
            var body = PoliceMessages.json().readTree(exchange.getRequestBody());
            if (unavailableAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                String cn = ((X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0])
                        .getSubjectX500Principal().getName();
                reports.add(new Report(exchange.getRequestURI().getPath(), body.path("status").asText(),
                        body.path("incidentRef").asText(), cn));
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        callback.start();
    }

    @AfterEach
    void stop() {
        if (room != null) {
            room.close();
        }
        callback.stop(0);
    }

    private void startRoom() throws Exception {
        URI base = URI.create("https://127.0.0.1:" + callback.getAddress().getPort());
        LifecycleOptions lifecycle = LifecycleOptions.of(base, CONTROL_ROOM_CLIENT, Fixtures.CA.certificate())
                .withSteps(Duration.ofMillis(50), Duration.ofMillis(30), Duration.ofMillis(30), Duration.ofMillis(30))
                .withRetries(4, Duration.ofMillis(50));
        room = new SimulatedControlRoom(Fixtures.options("ijsselland"), Fixtures.SERVER, Fixtures.CA.certificate(),
                lifecycle, new ControlRoomView(new PrintStream(screen, true, StandardCharsets.UTF_8)));
        room.start();
    }

    private String sendAlert(nl.aware.dispatch.work.DispatchItem item) throws Exception {
        HttpClient client = Fixtures.client(Fixtures.DISPATCH);
        post(client, room.baseUrl(), "alerts", item.alertId().toString(), alertBody(item));
        return item.alertId().toString();
    }

    @Test
    void newAlert_isWalkedThroughTheFourStatusesInOrder() throws Exception {
        startRoom();

        String alertId = sendAlert(panic(UUID.randomUUID(), DEVICE, 1));

        await().atMost(Duration.ofSeconds(5)).until(() -> reports.size() == 4);
        assertEquals(LifecycleOptions.STATUSES, reports.stream().map(Report::status).toList());
        for (Report report : reports) {
            assertEquals("/police/v1/alerts/" + alertId + "/status", report.path());
            assertEquals("IJS-1", report.incidentRef());
            assertEquals("CN=control-room-ijsselland", report.clientCn());
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> room.callbacks().size() == 4);
        assertTrue(room.callbacks().stream().allMatch(CallbackOutcome::delivered));
        String shown = screen.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("STATUS closed"), shown);
    }

    @Test
    void reportAnswered503_isRetriedAndTheOrderHolds() throws Exception {
        unavailableAnswers.set(2);
        startRoom();

        sendAlert(panic(UUID.randomUUID(), DEVICE, 1));

        await().atMost(Duration.ofSeconds(5)).until(() -> room.callbacks().size() == 4);
        assertEquals(LifecycleOptions.STATUSES, reports.stream().map(Report::status).toList());
        assertEquals(3, room.callbacks().get(0).attempts());
    }

    @Test
    void testAlert_isNotWalked() throws Exception {
        startRoom();

        sendAlert(Fixtures.testAlert(UUID.randomUUID(), DEVICE, 1));
        sendAlert(panic(UUID.randomUUID(), DEVICE, 2));

        await().atMost(Duration.ofSeconds(5)).until(() -> reports.size() == 4);
        assertTrue(reports.stream().allMatch(report -> report.incidentRef().equals("IJS-2")));
    }
}
