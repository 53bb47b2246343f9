package nl.aware.simulator.operations;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.FileAppender;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import nl.aware.core.event.DeviceNoticeKind;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.dispatch.police.PoliceProfile;
import nl.aware.gateway.OperationsEndpoint;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import nl.aware.monitoring.supervision.SupervisionSettings;
import nl.aware.simulator.controlroom.ArrivalListener;
import nl.aware.simulator.controlroom.SimulatedPolice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What operators and Kadera see of a running server: metrics, readiness, device supervision, logs. */
class OperationsEndToEndTest {
    private static final PoliceProfile PROFILE = new PoliceProfile("Marieke Testpersoon", "photo-7",
            "threatened", "aggressor", "notes");

    @TempDir
    Path dir;
    private TestServer server;
    private SimulatedPolice police;
    private OperationsEndpoint operations;

    @AfterEach
    void tearDown() {
        if (operations != null) {
            operations.close();
        }
        if (server != null) {
            server.close();
        }
        if (police != null) {
            police.close();
        }
    }

    private PrometheusMeterRegistry startWithPolice(SupervisionSettings supervision) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        server = TestServer.create(dir).meters(registry).supervision(supervision);
        police = SimulatedPolice.start(server.ca(), 0, ArrivalListener.NONE);
        server.start(police.dispatchConfig(Duration.ofSeconds(15)), deviceId -> Optional.of(PROFILE));
        return registry;
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + operations.address().getPort() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " ([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void scrapeAfterThreePresses_showsCountersAndHistogramsMovedByThree() throws Exception {
        PrometheusMeterRegistry registry = startWithPolice(SupervisionSettings.DEFAULTS);
        operations = OperationsEndpoint.start(server.server(), registry, server.data(), null,
                InetAddress.getLoopbackAddress(), 0);
        String frames = "aware_gateway_frames_total{result=\"accepted\",type=\"panic\"}";
        String ackLatency = "aware_gateway_ack_latency_seconds_count{type=\"panic\"}";
        String policeLatency = "aware_dispatch_police_accepted_latency_seconds_count{region=\"ijsselland\"}";
        String delivered = "aware_dispatch_attempts_total{outcome=\"delivered\",target=\"ijsselland/primary\"}";
        String before = get("/metrics");

        for (long id = 1; id <= 3; id++) {
            IssuedCredential credential = server.enroll(0x0000000000e00000L + id, Region.IJSSELLAND);
            try (TestDevice device = server.connect(0x0000000000e00000L + id, credential)) {
                device.send(device.panic(1));
                device.nextAck();
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> police.room(Region.IJSSELLAND).alertCount() == 3
                && value(get("/metrics"), delivered) - value(before, delivered) == 3);
        String after = get("/metrics");

        assertEquals(3, value(after, frames) - value(before, frames), 1e-9);
        assertEquals(3, value(after, ackLatency) - value(before, ackLatency), 1e-9);
        assertEquals(3, value(after, policeLatency) - value(before, policeLatency), 1e-9);
        assertEquals(3, value(after, delivered) - value(before, delivered), 1e-9);
        assertTrue(value(after, "aware_eventlog_append_latency_seconds_count") >= 3 + value(before,
                "aware_eventlog_append_latency_seconds_count"));
        assertTrue(after.contains("aware_gateway_ack_latency_seconds_bucket{type=\"panic\",le="), "histogram buckets");
        assertFalse(after.contains("deviceId") || after.contains("e00001"), "no device id in any label");
        assertTrue(get("/health/ready").contains("police-ijsselland"));
    }

    @Test
    void scrapeRightAfterStart_hasEveryLabelledDispatchCounterAtZero_andTheDocumentedCertificateNames()
            throws Exception {
        PrometheusMeterRegistry registry = startWithPolice(SupervisionSettings.DEFAULTS);
        operations = OperationsEndpoint.start(server.server(), registry, server.data(),
                police.dispatchConfig(Duration.ofSeconds(15)), InetAddress.getLoopbackAddress(), 0);
        String scrape = get("/metrics");
        for (String region : new String[] {"ijsselland", "twente"}) {
            // Born at 0: the first escalation after a start is an increase() that AwareAlertEscalated sees.
            assertTrue(scrape.contains("aware_dispatch_escalations_total{region=\"" + region + "\"} 0.0"), region);
            assertTrue(scrape.contains("aware_dispatch_refused_total{region=\"" + region + "\"} 0.0"), region);
            assertTrue(scrape.contains("aware_dispatch_attempts_total{outcome=\"failed\",target=\"" + region
                    + "/primary\"} 0.0"), region);
        }
        assertTrue(scrape.contains("aware_dispatch_attempts_total{outcome=\"failed\",target=\"kadera\"} 0.0"));
        assertTrue(scrape.contains("aware_dispatch_shed_total{priority=\"test\"} 0.0"));
        Matcher certificates = Pattern.compile("aware_tls_certificate_expiry_seconds\\{certificate=\"([^\"]+)\"")
                .matcher(scrape);
        java.util.Set<String> names = new java.util.TreeSet<>();
        while (certificates.find()) {
            names.add(certificates.group(1));
        }
        assertEquals(java.util.Set.of("device-ca", "dispatch-client", "gateway-server"), names,
                "the values docs/monitoring.md lists");
    }

    @Test
    void silentDevice_getsOneOfflineAndOneBackOnlineNotice_evenAcrossARestart() throws Exception {
        startWithPolice(new SupervisionSettings(Duration.ofMillis(300), 2, Duration.ofMillis(50)));
        long deviceId = 0x0000000000e10001L;
        IssuedCredential credential = server.enroll(deviceId, Region.TWENTE);
        try (TestDevice device = server.connect(deviceId, credential)) {
            device.send(device.heartbeat(1));
            device.nextAck();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> notices(DeviceNoticeKind.OFFLINE) == 1);
        server.restart(); // still silent: no second OFFLINE for a device already reported
        Thread.sleep(1500);
        assertEquals(1, notices(DeviceNoticeKind.OFFLINE));

        try (TestDevice device = server.connect(deviceId, credential)) {
            device.send(device.heartbeat(2));
            device.nextAck();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> notices(DeviceNoticeKind.BACK_ONLINE) == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> police.kadera().notices().size() == 2);
        assertEquals(1, notices(DeviceNoticeKind.OFFLINE));
        assertEquals(0, police.room(Region.TWENTE).alertCount(), "notices go to Kadera, never to the police");
    }

    private long notices(DeviceNoticeKind kind) {
        return server.log().events().stream().filter(e -> e instanceof Event.DeviceNotice n && n.kind() == kind).count();
    }

    @Test
    void pressToPoliceRun_writesNoNameAndNoCoordinatesIntoTheServerLogs() throws Exception {
        Path logFile = dir.resolve("server.log");
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d %-5level %logger - %msg%n%ex");
        encoder.start();
        FileAppender<ch.qos.logback.classic.spi.ILoggingEvent> file = new FileAppender<>();
        file.setContext(context);
        file.setFile(logFile.toString());
        file.setEncoder(encoder);
        file.start();
        List<Logger> serverLoggers = List.of("nl.aware.core", "nl.aware.gateway", "nl.aware.dispatch", "nl.aware.monitoring")
                .stream().map(context::getLogger).toList();
        serverLoggers.forEach(logger -> {
            logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
            logger.addAppender(file);
        });
        UUID alert;
        try {
            startWithPolice(SupervisionSettings.DEFAULTS);
            IssuedCredential credential = server.enroll(0x0000000000e20001L, Region.IJSSELLAND);
            try (TestDevice device = server.connect(0x0000000000e20001L, credential)) {
                device.send(device.panic(1));
                alert = device.nextAck().eventId();
                device.send(device.frame(nl.aware.core.protocol.FrameType.LOCATION, device.deviceId(), 2,
                        TestDevice.location(TestDevice.ZWOLLE)));
                device.nextAck();
            }
            String alertId = alert.toString();
            await().atMost(Duration.ofSeconds(20)).until(() -> police.room(Region.IJSSELLAND).updates(alertId).size() == 1);
            server.close();
        } finally {
            serverLoggers.forEach(logger -> {
                logger.detachAppender(file);
                logger.setLevel(null);
            });
            file.stop();
        }
        String written = Files.readString(logFile);
        assertTrue(written.contains(alert.toString()), "the run was logged, with its alert id");
        for (String secret : new String[] {"Marieke", "Testpersoon", "52.5168", "6.083", "525168000", "60830000"}) {
            assertFalse(written.contains(secret), "'" + secret + "' in the server's log");
        }
    }
}
