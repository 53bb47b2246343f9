package nl.aware.gateway.audio;

import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.CommandResult;
import nl.aware.core.protocol.DeviceCommand;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.NackReason;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.dispatch.lifecycle.LifecycleGate;
import nl.aware.gateway.netty.DeviceCommands;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** COMMAND on real sockets and real TLS 1.3: sent, answered or not, and every step on the record. */
class DeviceCommandsTest {
    private static final long DEVICE = 0x00000000c0aa0001L;

    @TempDir
    Path dir;
    private TestServer server;
    private IssuedCredential credential;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
        credential = server.enroll(DEVICE);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /**
     * Connects and waits until the server has taken the connection in (its handshake may finish after the
     * device's): a heartbeat's ACK says so. Counter 1 is used.
     */
    private TestDevice connected() throws Exception {
        TestDevice device = server.connect(DEVICE, credential);
        device.send(device.heartbeat(1));
        device.nextAck();
        return device;
    }

    private DeviceCommands commands() {
        return server.server().commands();
    }

    private <T extends Event> List<T> events(Class<T> kind) {
        return server.log().events().stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    private static ServerFrame.Command nextCommand(TestDevice device) throws InterruptedException {
        return assertInstanceOf(ServerFrame.Command.class, device.next());
    }

    private static void answer(TestDevice device, long counter, long commandId, CommandResult.Outcome outcome)
            throws InterruptedException {
        device.send(device.frame(FrameType.COMMAND_RESULT, DEVICE, counter,
                new CommandResult(commandId, outcome).payload()));
        assertEquals(counter, device.nextAck().counter());
    }

    @Test
    void listenToADeviceThatNeverAnswers_isNoAnswerAfter10sAndRecorded() throws Exception {
        try (TestDevice device = connected()) {
            long sentAt = System.nanoTime();
            var outcome = commands().send(DEVICE, DeviceCommand.LISTEN, 60, "operator-a", null);
            ServerFrame.Command command = nextCommand(device);
            assertEquals(DeviceCommand.LISTEN, command.command().orElseThrow());
            assertEquals(60, command.argument());
            var noAnswer = assertInstanceOf(DeviceCommands.Outcome.NoAnswer.class, outcome.get(30, TimeUnit.SECONDS));
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);
            assertTrue(waitedMs >= DeviceCommand.ANSWER_WITHIN_MS, "gave up after " + waitedMs + " ms, not 10 s");
            assertEquals(command.commandId(), noAnswer.commandId());
        }
        server.restart();
        Event.CommandSent sent = events(Event.CommandSent.class).get(0);
        assertEquals(DeviceCommand.LISTEN, sent.command());
        assertEquals("operator-a", sent.by());
        Event.CommandUnanswered unanswered = events(Event.CommandUnanswered.class).get(0);
        assertEquals(sent.commandId(), unanswered.commandId());
        assertEquals(DEVICE, unanswered.deviceId());
        assertTrue(unanswered.atMs() - sent.atMs() >= DeviceCommand.ANSWER_WITHIN_MS);
    }

    @Test
    void listenAnsweredStarted_letsTheDeviceStreamUnderTheCommandId() throws Exception {
        try (TestDevice device = connected()) {
            var outcome = commands().send(DEVICE, DeviceCommand.LISTEN, 30, "operator-a", null);
            long commandId = nextCommand(device).commandId();
            answer(device, 10, commandId, CommandResult.Outcome.STARTED);
            var answered = assertInstanceOf(DeviceCommands.Outcome.Answered.class, outcome.get(10, TimeUnit.SECONDS));
            assertEquals(CommandResult.Outcome.STARTED, answered.result());
            device.send(device.frame(FrameType.AUDIO, DEVICE, 11, AudioIntakeTest.chunk(commandId, 0, false).payload()));
            assertEquals(11, device.nextAck().counter(), "audio of the LISTEN's stream is kept");
        }
        server.restart();
        assertTrue(events(Event.CommandUnanswered.class).isEmpty());
        assertEquals(1, server.log().accepted().stream().filter(a -> a.frame().type() == FrameType.COMMAND_RESULT)
                .count(), "the device's signed answer is on the record");
    }

    @Test
    void stop_endsTheListenStream() throws Exception {
        try (TestDevice device = connected()) {
            commands().send(DEVICE, DeviceCommand.LISTEN, 30, "operator-a", null);
            long listen = nextCommand(device).commandId();
            answer(device, 10, listen, CommandResult.Outcome.STARTED);
            var stopped = commands().send(DEVICE, DeviceCommand.STOP, 0, "operator-a", null);
            ServerFrame.Command stop = nextCommand(device);
            assertTrue(stop.commandId() > listen, "command ids only grow");
            answer(device, 11, stop.commandId(), CommandResult.Outcome.DONE);
            stopped.get(10, TimeUnit.SECONDS);
            device.send(device.frame(FrameType.AUDIO, DEVICE, 12, AudioIntakeTest.chunk(listen, 0, false).payload()));
            assertEquals(NackReason.NOT_EXPECTED, assertInstanceOf(ServerFrame.Nack.class, device.next()).reason());
        }
    }

    @Test
    void listenTheDeviceRefuses_leavesNoStreamOpen() throws Exception {
        try (TestDevice device = connected()) {
            commands().send(DEVICE, DeviceCommand.LISTEN, 30, "operator-a", null);
            long listen = nextCommand(device).commandId();
            answer(device, 10, listen, CommandResult.Outcome.REFUSED_BY_SETTINGS);
            device.send(device.frame(FrameType.AUDIO, DEVICE, 11, AudioIntakeTest.chunk(listen, 0, false).payload()));
            assertEquals(NackReason.NOT_EXPECTED, assertInstanceOf(ServerFrame.Nack.class, device.next()).reason());
        }
    }

    @Test
    void commandToADeviceWithoutConnection_isNotConnectedAndNotRecorded() throws Exception {
        assertInstanceOf(DeviceCommands.Outcome.NotConnected.class,
                commands().send(DEVICE, DeviceCommand.LOCATE, 0, "operator-a", null).get(5, TimeUnit.SECONDS));
        server.restart();
        assertTrue(events(Event.CommandSent.class).isEmpty());
    }

    @Test
    void listenOfMoreThan600Seconds_isRefusedBeforeAnythingIsSent() throws Exception {
        try (TestDevice device = connected()) {
            assertThrows(IllegalArgumentException.class,
                    () -> commands().send(DEVICE, DeviceCommand.LISTEN, 601, "operator-a", null));
            assertEquals(null, device.nextWithin(Duration.ofMillis(500)));
        }
    }

    @Test
    void lifecycleSteps_sendAlertStatusToTheDeviceThatPressed() throws Exception {
        UUID carrier = server.server().registerCarrier(Region.IJSSELLAND, new CarrierProfile("Test Carrier", "", "",
                "", "", "", new CarrierProfile.Eligibility(true, true, true, true, true))).join();
        server.server().assign(DEVICE, carrier).join();
        try (TestDevice device = connected()) {
            device.send(device.panic(2));
            UUID alert = device.nextAck().eventId();
            long counter = 3;
            for (AlertStatus step : List.of(AlertStatus.ACKNOWLEDGED, AlertStatus.UNIT_DISPATCHED, AlertStatus.CLOSED)) {
                assertInstanceOf(LifecycleGate.Outcome.Recorded.class, server.server().reportAlertStatus(
                        new Event.AlertStatusReported(alert, step, "MK-1", "control room")).get(10, TimeUnit.SECONDS));
                ServerFrame.Command feedback = nextCommand(device);
                assertEquals(DeviceCommand.ALERT_STATUS, feedback.command().orElseThrow());
                int expected = switch (step) {
                    case ACKNOWLEDGED -> 1;
                    case UNIT_DISPATCHED -> 2;
                    default -> 3;
                };
                assertEquals(expected, feedback.argument(), "feedback for " + step);
                answer(device, counter++, feedback.commandId(), CommandResult.Outcome.DONE);
            }
        }
        server.restart();
        List<Event.CommandSent> sent = events(Event.CommandSent.class);
        assertEquals(List.of(1, 2, 3), sent.stream().map(Event.CommandSent::argument).toList());
        assertTrue(sent.stream().allMatch(c -> c.by().equals(DeviceCommands.SERVER) && c.alertId() != null));
    }

    @Test
    void verifiedAndOnScene_sendNothingToTheCarrier() throws Exception {
        try (TestDevice device = connected()) {
            device.send(device.panic(2));
            UUID alert = device.nextAck().eventId();
            server.server().reportAlertStatus(new Event.AlertStatusReported(alert, AlertStatus.ON_SCENE, "MK-1",
                    "control room")).get(10, TimeUnit.SECONDS);
            assertEquals(null, device.nextWithin(Duration.ofSeconds(1)));
        }
    }
}
