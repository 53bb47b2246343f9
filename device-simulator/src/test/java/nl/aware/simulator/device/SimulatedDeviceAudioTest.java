package nl.aware.simulator.device;

import io.github.jaredmdobson.concentus.OpusDecoder;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.AudioChunk;
import nl.aware.core.protocol.CommandResult;
import nl.aware.core.protocol.DeviceCommand;
import nl.aware.core.protocol.FrameType;
import nl.aware.gateway.netty.DeviceCommands;
import nl.aware.gateway.testing.LogContents;
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

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A simulated device's microphone and command handling against a real server (real sockets, TLS 1.3, log). */
class SimulatedDeviceAudioTest {
    private static final long DEVICE = 0x00000000000a0d10L;
    private static final DeviceSettings QUIET = DeviceSettings.defaults()
            .withHeartbeatInterval(Duration.ofHours(1))
            .withTracking(Duration.ofSeconds(15), Duration.ZERO);

    @TempDir
    Path dir;
    private TestServer server;
    private DeviceFleet fleet;

    @BeforeEach
    void startServer() throws Exception {
        server = TestServer.start(dir);
    }

    @AfterEach
    void stop() {
        if (fleet != null) {
            fleet.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private SimulatedDevice device(boolean consent) throws Exception {
        IssuedCredential credential = server.enroll(DEVICE);
        UUID carrier = server.server().registerCarrier(Region.IJSSELLAND, new CarrierProfile("Test Carrier", "", "",
                "", "", "", new CarrierProfile.Eligibility(true, true, true, true, true), consent)).join();
        server.server().assign(DEVICE, carrier).join();
        fleet = new DeviceFleet("127.0.0.1", server.server().address().getPort(), server.ca().certificate(), QUIET, 1);
        SimulatedDevice device = fleet.add(DEVICE, credential, City.ZWOLLE);
        device.recordsAfterPress(consent);
        fleet.start();
        return device;
    }

    private LogContents closeAndReadLog() {
        fleet.close();
        fleet = null;
        server.close();
        LogContents log = server.log();
        server = null;
        return log;
    }

    private static List<AudioChunk> audio(LogContents log) {
        return log.accepted().stream().filter(a -> a.frame().type() == FrameType.AUDIO).map(a -> a.frame().audio())
                .toList();
    }

    @Test
    void pressOfAConsentingCarrier_streamsSpeechTheServerKeepsAndThatDecodesToSound() throws Exception {
        SimulatedDevice device = device(true);
        device.press();
        await().atMost(Duration.ofSeconds(20)).until(() -> fleet.stats().acks() >= 1 + 6); // the PANIC, 2.4 s of sound
        List<AudioChunk> kept = audio(closeAndReadLog());
        assertTrue(kept.size() >= 6, "audio frames kept: " + kept.size());
        long panicCounter = kept.get(0).streamId();
        OpusDecoder decoder = new OpusDecoder(SpeechClip.SAMPLE_RATE, 1);
        short[] pcm = new short[SpeechClip.SAMPLES_PER_PACKET];
        long samples = 0;
        double energy = 0;
        for (int i = 0; i < kept.size(); i++) {
            AudioChunk chunk = kept.get(i);
            assertEquals(i, chunk.seq(), "frames in order, none missing");
            assertEquals(panicCounter, chunk.streamId(), "one stream: the press's");
            long before = samples;
            for (byte[] packet : chunk.opusPackets()) {
                int decoded = decoder.decode(packet, 0, packet.length, pcm, 0, pcm.length, false);
                for (int s = 0; s < decoded; s++) {
                    energy += (double) pcm[s] * pcm[s];
                }
                samples += decoded;
            }
            assertEquals(chunk.durationMs() * SpeechClip.SAMPLE_RATE / 1000, samples - before,
                    "a frame's durationMs is the sound it carries");
        }
        double rms = Math.sqrt(energy / samples);
        assertTrue(rms > 300, "the decoded sound is speech, not silence: RMS " + rms);
    }

    @Test
    void pressWithoutConsent_sendsNoSound() throws Exception {
        SimulatedDevice device = device(false);
        device.press();
        await().atMost(Duration.ofSeconds(10)).until(() -> fleet.stats().panicAcks() == 1);
        Thread.sleep(1_000); // a recording device would have sent 2 frames by now
        assertTrue(audio(closeAndReadLog()).isEmpty());
    }

    @Test
    void everyCommand_isAnsweredAndListenStreamsUnderTheCommandId() throws Exception {
        device(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> fleet.stats().connected() == 1);
        DeviceCommands commands = server.server().commands();
        await().atMost(Duration.ofSeconds(10)).until(() -> !(commands.send(DEVICE, DeviceCommand.LOCATE, 0, "op", null)
                .get(15, TimeUnit.SECONDS) instanceof DeviceCommands.Outcome.NotConnected));
        assertEquals(CommandResult.Outcome.DONE, answer(commands.send(DEVICE, DeviceCommand.ALERT_STATUS,
                DeviceCommand.AlertFeedback.HELP_ON_THE_WAY.code(), "op", null).get(15, TimeUnit.SECONDS)));
        var listen = commands.send(DEVICE, DeviceCommand.LISTEN, 1, "op", null).get(15, TimeUnit.SECONDS);
        assertEquals(CommandResult.Outcome.STARTED, answer(listen));
        long listenId = ((DeviceCommands.Outcome.Answered) listen).commandId();
        Thread.sleep(1_800); // the 1 s LISTEN runs out and its last frame goes
        assertEquals(CommandResult.Outcome.DONE,
                answer(commands.send(DEVICE, DeviceCommand.STOP, 0, "op", null).get(15, TimeUnit.SECONDS)));
        String nacks = fleet.stats().nacksByReason().toString();
        LogContents log = closeAndReadLog();
        List<AudioChunk> listened = audio(log).stream().filter(c -> c.streamId() == listenId).toList();
        assertTrue(listened.size() >= 2, "sound of the LISTEN: " + listened.size());
        assertTrue(listened.get(listened.size() - 1).last(), "the stream ends with its last frame: " + listened + nacks);
        assertEquals(0, log.events().stream().filter(Event.CommandUnanswered.class::isInstance).count());
        assertTrue(log.accepted().stream().anyMatch(a -> a.frame().type() == FrameType.LOCATION), "LOCATE answered");
    }

    private static CommandResult.Outcome answer(DeviceCommands.Outcome outcome) {
        return assertInstanceOf(DeviceCommands.Outcome.Answered.class, outcome).result();
    }
}
