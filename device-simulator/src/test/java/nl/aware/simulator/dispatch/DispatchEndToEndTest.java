package nl.aware.simulator.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.dispatch.DispatchMetrics;
import nl.aware.dispatch.police.CarrierDirectory;
import nl.aware.dispatch.police.PoliceProfile;
import nl.aware.gateway.testing.DispatchFixture;
import nl.aware.gateway.testing.LogContents;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import nl.aware.simulator.controlroom.ArrivalListener;
import nl.aware.simulator.controlroom.ReceivedAlert;
import nl.aware.simulator.controlroom.SimulatedControlRoom;
import nl.aware.simulator.controlroom.SimulatedPolice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A press's way to the police with real processes' parts: TLS devices, the server, HTTPS control rooms. */
class DispatchEndToEndTest {
    private static final long ALICE = 0x00000000000a11ceL;
    private static final long BOB = 0x0000000000000b0bL;
    private static final PoliceProfile PROFILE = new PoliceProfile("Test Carrier", "photo-ref-1",
            "ex-partner made threats", "tall, dark coat, grey car", "dog in the house");
    private static final CarrierDirectory CARRIERS = deviceId -> Optional.of(PROFILE);

    @TempDir
    Path dir;
    private TestServer server;
    private SimulatedPolice police;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        if (police != null) {
            police.close();
        }
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    private void startWithPolice(Duration escalateAfter) throws Exception {
        server = TestServer.create(dir);
        police = SimulatedPolice.start(server.ca(), 0, ArrivalListener.NONE);
        server.start(police.dispatchConfig(escalateAfter), CARRIERS);
    }

    private List<Event> events() {
        return server.log().events();
    }

    private boolean delivered(UUID itemId) {
        return events().stream().anyMatch(e -> e instanceof Event.Delivered d && d.itemId().equals(itemId));
    }

    @Test
    void press_reachesTheControlRoomOnceWithItsLocation_afterTheDeviceHasItsAck() throws Exception {
        startWithPolice(Duration.ofSeconds(15));
        SimulatedControlRoom room = police.room(Region.IJSSELLAND);
        room.responseDelay(Duration.ofMillis(1500));
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        ServerFrame.Ack ack;
        try (TestDevice device = server.connect(ALICE, alice)) {
            device.send(device.panic(1));
            ack = device.nextAck();
            assertFalse(delivered(ack.eventId()), "ACK (durable) comes before the police call completes");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(ack.eventId()));

        assertEquals(1, room.alertCount());
        assertEquals(0, police.room(Region.TWENTE).alertCount(), "only the carrier's region");
        ReceivedAlert alert = room.alerts().get(ack.eventId().toString());
        JsonNode body = alert.body();
        assertEquals("ijsselland", body.get("region").asText());
        assertFalse(body.get("test").asBoolean());
        assertEquals(52.5168, body.at("/location/latitude").asDouble(), 1e-7);
        assertEquals(6.0830, body.at("/location/longitude").asDouble(), 1e-7);
        assertEquals(TestDevice.ZWOLLE.accuracyM(), body.at("/location/accuracyM").asInt());
        assertEquals(TestDevice.ZWOLLE.fixAgeS(), body.at("/location/fixAgeS").asInt());
        assertEquals("Test Carrier", body.at("/carrier/name").asText());
        assertEquals("1", body.at("/press/counter").asText());
        assertFalse(body.at("/press/delayed").asBoolean());
        assertEquals(0, police.duplicates());
        Event.Delivered delivered = events().stream().filter(Event.Delivered.class::isInstance)
                .map(Event.Delivered.class::cast).filter(d -> d.itemId().equals(ack.eventId())).findFirst().orElseThrow();
        assertEquals(alert.incidentRef(), delivered.reference());
    }

    @Test
    void registeredCarriersProfile_reachesThePolice_andIsSealedOnDisk() throws Exception {
        server = TestServer.create(dir);
        police = SimulatedPolice.start(server.ca(), 0, ArrivalListener.NONE);
        server.start(police.dispatchConfig(Duration.ofSeconds(15)), null); // profiles from the carrier registry
        UUID carrier = server.server().registerCarrier(Region.TWENTE, new CarrierProfile("Sanne Kuipers", "0612345678",
                "kadera-photo-88", "threats by ex-partner", "man, 40, red van", "two children at home",
                new CarrierProfile.Eligibility(true, true, true, true, true))).join();
        IssuedCredential bob = server.enroll(BOB, Region.TWENTE);
        server.server().assign(BOB, carrier).join();
        UUID alert;
        try (TestDevice device = server.connect(BOB, bob)) {
            device.send(device.panic(1));
            alert = device.nextAck().eventId();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> police.room(Region.TWENTE).alerts().containsKey(alert.toString()));
        JsonNode body = police.room(Region.TWENTE).alerts().get(alert.toString()).body();
        assertEquals("Sanne Kuipers", body.at("/carrier/name").asText());
        assertEquals("man, 40, red van", body.at("/carrier/aggressor").asText());
        assertTrue(body.get("profileAvailable").asBoolean());
        server.close();
        try (var files = java.nio.file.Files.walk(server.data().root())) {
            for (Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                String text = new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertFalse(text.contains("Sanne") || text.contains("Kuipers") || text.contains("red van"),
                        "carrier data in plain text in " + file);
            }
        }
    }

    @Test
    void panicFromAnotherDeviceOfTheSameCarrier_joinsTheOpenAlertAsARepeatedPress() throws Exception {
        server = TestServer.create(dir);
        police = SimulatedPolice.start(server.ca(), 0, ArrivalListener.NONE);
        server.start(police.dispatchConfig(Duration.ofSeconds(15)), null);
        UUID carrier = server.server().registerCarrier(Region.IJSSELLAND, new CarrierProfile("Test Carrier",
                "0600000000", "photo-ref-2", "threats", "tall", "none",
                new CarrierProfile.Eligibility(true, true, true, true, true))).join();
        IssuedCredential first = server.enroll(ALICE, Region.IJSSELLAND);
        IssuedCredential second = server.enroll(BOB, Region.IJSSELLAND);
        server.server().assign(ALICE, carrier).join();
        server.server().assign(BOB, carrier).join();
        UUID alert;
        UUID repeat;
        try (TestDevice device = server.connect(ALICE, first)) {
            device.send(device.panic(1));
            alert = device.nextAck().eventId();
        }
        SimulatedControlRoom room = police.room(Region.IJSSELLAND);
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(alert));
        try (TestDevice device = server.connect(BOB, second)) {
            device.send(device.panic(1));
            repeat = device.nextAck().eventId();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(repeat));

        assertEquals(1, room.alertCount(), "one carrier, one open incident");
        List<JsonNode> updates = room.updates(alert.toString());
        assertEquals(1, updates.size());
        JsonNode update = updates.get(0);
        assertEquals("repeated_press", update.get("kind").asText());
        assertEquals(repeat.toString(), update.get("updateId").asText());
        assertEquals(String.format("%016x", BOB), update.at("/press/deviceId").asText(), "which device pressed");
        assertEquals(2, update.at("/press/presses").asInt());
        assertEquals(0, police.duplicates());
    }

    @Test
    void panicWithTheDeviceClockAtMax_reachesThePoliceWithItsReceiveTime_andSaysTheClockIsWrong() throws Exception {
        startWithPolice(Duration.ofSeconds(15));
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        UUID alert;
        try (TestDevice device = server.connect(ALICE, alice)) {
            device.send(device.panicAt(1, Long.MAX_VALUE));
            alert = device.nextAck().eventId();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(alert));
        JsonNode press = police.room(Region.IJSSELLAND).alerts().get(alert.toString()).body().get("press");
        assertEquals(press.get("receiveTime").asText(), press.get("deviceTime").asText(),
                "a wrong device time goes out as the receive time");
        assertTrue(press.get("deviceClockWrong").asBoolean());
        assertTrue(java.time.Instant.parse(press.get("deviceTime").asText()).isAfter(java.time.Instant.parse("2020-01-01T00:00:00Z")));
        assertEquals(0, police.duplicates());
    }

    @Test
    void panicWithTheDeviceClockBefore2020_isEscalatedWithAValidDate() throws Exception {
        startWithPolice(Duration.ofSeconds(1));
        police.room(Region.IJSSELLAND).down();
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        UUID alert;
        try (TestDevice device = server.connect(ALICE, alice)) {
            device.send(device.panicAt(1, Long.MIN_VALUE));
            alert = device.nextAck().eventId();
        }
        assertTrue(police.kadera().awaitEscalations(1, Duration.ofSeconds(20)), "Kadera took the escalation");
        JsonNode press = police.kadera().escalations().get(alert.toString()).body().path("alert").path("press");
        assertTrue(press.get("deviceClockWrong").asBoolean());
        assertEquals(press.get("receiveTime").asText(), press.get("deviceTime").asText());
    }

    @Test
    void panicRefusedAsInvalid_isEscalatedAtOnce_andCounted() throws Exception {
        io.micrometer.prometheusmetrics.PrometheusMeterRegistry meters =
                new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        server = TestServer.create(dir).meters(meters);
        police = SimulatedPolice.start(server.ca(), 0, ArrivalListener.NONE);
        server.start(police.dispatchConfig(Duration.ofMinutes(10)), CARRIERS); // the timer would wait 10 min
        SimulatedControlRoom room = police.room(Region.IJSSELLAND);
        room.failureStatus(400);
        room.failureShare(1.0);
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        UUID alert;
        try (TestDevice device = server.connect(ALICE, alice)) {
            device.send(device.panic(1));
            alert = device.nextAck().eventId();
        }
        assertTrue(police.kadera().awaitEscalations(1, Duration.ofSeconds(20)), "escalated long before 10 min");
        assertTrue(police.kadera().escalations().get(alert.toString()).body().path("reason").asText()
                .contains("refused"));
        await().atMost(Duration.ofSeconds(10)).until(() -> events().stream()
                .anyMatch(e -> e instanceof Event.AlertEscalated x && x.alertId().equals(alert)));
        String scrape = meters.scrape();
        assertTrue(scrape.matches("(?s).*aware_dispatch_refused_total\\{region=\"ijsselland\",?\\} [1-9].*"), scrape);

        room.failureShare(0.0); // fixed: the PANIC was never dropped and still reaches the police
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(alert));
        assertEquals(0, police.duplicates());
    }

    @Test
    void policeConnections_areMadeAndCheckedAtStart_andTheFirstPanicNeedsNoNewHandshake() throws Exception {
        startWithPolice(Duration.ofSeconds(15));
        SimulatedControlRoom room = police.room(Region.IJSSELLAND);
        await().atMost(Duration.ofSeconds(10)).until(() -> room.handshakes() >= 2 && police.kadera().handshakes() >= 1
                && police.room(Region.TWENTE).handshakes() >= 2);
        long handshakesBeforePress = room.handshakes();
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        UUID alert;
        try (TestDevice device = server.connect(ALICE, alice)) {
            device.send(device.panic(1));
            alert = device.nextAck().eventId();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(alert));
        assertEquals(handshakesBeforePress, room.handshakes(), "the first PANIC went over a connection made at start");
    }

    @Test
    void acceptedAlert_dropsItsEscalationTimer_whileAnUnacceptedOneKeepsIt() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        server = TestServer.create(dir).meters(meters);
        police = SimulatedPolice.start(server.ca(), 0, ArrivalListener.NONE);
        server.start(police.dispatchConfig(Duration.ofMinutes(10)), CARRIERS);
        java.util.function.DoubleSupplier armed = () -> meters.get(DispatchMetrics.ESCALATIONS_ARMED).gauge().value();
        java.util.function.DoubleSupplier unrecorded =
                () -> meters.get(DispatchMetrics.ACCEPTANCES_UNRECORDED).gauge().value();
        police.room(Region.TWENTE).down();
        UUID waiting;
        try (TestDevice bob = server.connect(BOB, server.enroll(BOB, Region.TWENTE))) {
            bob.send(bob.panic(1));
            waiting = bob.nextAck().eventId();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> armed.getAsDouble() == 1);
        UUID accepted;
        try (TestDevice alice = server.connect(ALICE, server.enroll(ALICE, Region.IJSSELLAND))) {
            alice.send(alice.panic(1));
            accepted = alice.nextAck().eventId();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(accepted));
        await().atMost(Duration.ofSeconds(5)).until(() -> armed.getAsDouble() == 1);
        // The police's answer is kept only until its Delivered record is applied: not one id per alert for ever.
        await().atMost(Duration.ofSeconds(5)).until(() -> unrecorded.getAsDouble() == 0);
        assertFalse(delivered(waiting));

        police.room(Region.TWENTE).up();
        await().atMost(Duration.ofSeconds(30)).until(() -> delivered(waiting));
        await().atMost(Duration.ofSeconds(5)).until(() -> armed.getAsDouble() == 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> unrecorded.getAsDouble() == 0);
        assertTrue(police.kadera().escalations().isEmpty(), "nothing waited 10 minutes");
    }

    @Test
    void endpointDownFor20Seconds_deliversEveryAlertOnceAndEscalatesThoseThatWaited() throws Exception {
        startWithPolice(Duration.ofSeconds(5));
        SimulatedControlRoom room = police.room(Region.IJSSELLAND);
        room.down();
        List<UUID> alerts = new ArrayList<>();
        for (long id = 1; id <= 3; id++) {
            IssuedCredential credential = server.enroll(0x0000000000d00000L + id, Region.IJSSELLAND);
            try (TestDevice device = server.connect(0x0000000000d00000L + id, credential)) {
                device.send(device.panic(1));
                alerts.add(device.nextAck().eventId());
            }
        }
        Thread.sleep(20_000);
        assertEquals(0, room.alertCount());
        room.up();

        await().atMost(Duration.ofSeconds(30)).until(() -> alerts.stream().allMatch(this::delivered));
        assertEquals(3, room.alertCount());
        assertEquals(0, police.duplicates());
        List<Event> events = events();
        for (UUID alert : alerts) {
            assertTrue(police.kadera().escalations().containsKey(alert.toString()), "escalated " + alert);
            assertTrue(events.stream().anyMatch(e -> e instanceof Event.AlertEscalated x && x.alertId().equals(alert)));
            assertTrue(events.stream().anyMatch(e -> e instanceof Event.DeliveryFailed f && f.itemId().equals(alert)),
                    "failed attempts are on the record");
        }
    }

    @Test
    void deadPrimary_sendsAlertsToTheSecondary() throws Exception {
        server = TestServer.create(dir);
        police = SimulatedPolice.start(server.ca(), 0, ArrivalListener.NONE);
        SimulatedControlRoom secondary = police.room(Region.IJSSELLAND);
        var config = new DispatchFixture()
                .police(Region.IJSSELLAND, "https://127.0.0.1:1/dead-primary/", secondary.baseUrl().toString())
                .police(Region.TWENTE, police.room(Region.TWENTE).baseUrl().toString(), null)
                .kadera(police.kadera().baseUrl().toString())
                .load(dir.resolve("dispatch"), server.ca());
        server.start(config, CARRIERS);
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        UUID alert;
        try (TestDevice device = server.connect(ALICE, alice)) {
            device.send(device.panic(1));
            alert = device.nextAck().eventId();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(alert));
        assertEquals(1, secondary.alertCount());
        Event.Delivered delivered = events().stream().filter(Event.Delivered.class::isInstance)
                .map(Event.Delivered.class::cast).filter(d -> d.itemId().equals(alert)).findFirst().orElseThrow();
        assertEquals("ijsselland/secondary", delivered.target());
    }

    @Test
    void newPanic_isForwardedNextPastAThousandAndMoreQueuedTests() throws Exception {
        startWithPolice(Duration.ofSeconds(60));
        SimulatedControlRoom room = police.room(Region.IJSSELLAND);
        room.responseDelay(Duration.ofMillis(500));
        police.kadera().responseDelay(Duration.ofMillis(500));
        IssuedCredential bob = server.enroll(BOB, Region.IJSSELLAND);
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        int backlog = 1500;
        try (TestDevice noisy = server.connect(BOB, bob)) {
            for (int i = 1; i <= backlog; i++) {
                noisy.send(noisy.frame(FrameType.TEST, BOB, i, TestDevice.location(TestDevice.ZWOLLE)));
            }
            for (int i = 1; i <= backlog; i++) {
                noisy.nextAck();
            }
        }
        int testsBefore = room.alertCount();
        UUID panic;
        try (TestDevice device = server.connect(ALICE, alice)) {
            device.send(device.panic(1));
            panic = device.nextAck().eventId();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> room.alerts().containsKey(panic.toString()));
        List<String> order = new ArrayList<>(room.alerts().keySet());
        int position = order.indexOf(panic.toString());
        // Only requests already in flight when the PANIC arrived may come before it.
        assertTrue(position <= testsBefore + 16, "PANIC arrived as number " + position + " after " + testsBefore
                + " tests had arrived before it was pressed");
        assertTrue(backlog - room.alertCount() > 1000, "the test backlog was still queued");
    }
}
