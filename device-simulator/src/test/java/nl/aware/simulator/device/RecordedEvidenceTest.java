package nl.aware.simulator.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jaredmdobson.concentus.OpusDecoder;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.FrameType;
import nl.aware.gateway.cli.AwareCommand;
import nl.aware.gateway.testing.LogContents;
import nl.aware.gateway.testing.TestServer;
import nl.aware.records.audio.OggFile;
import nl.aware.records.audio.OpusTools;
import nl.aware.records.evidence.AlertBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A press of a recording device (real TLS 1.3, real server and log) exported as an evidence bundle: the sound is
 * an Ogg Opus file that opusinfo and ffprobe read and that decodes to speech, and {@code aware log verify-bundle}
 * checks every AUDIO frame's device signature.
 */
class RecordedEvidenceTest {
    private static final long DEVICE = 0x00000000000a0e11L;
    private static final DeviceSettings QUIET = DeviceSettings.defaults()
            .withHeartbeatInterval(Duration.ofHours(1))
            .withTracking(Duration.ofSeconds(15), Duration.ZERO);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private TestServer server;
    private DeviceFleet fleet;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** What the log kept of the press's sound, and the bundle exported from it (a directory). */
    private List<Event.FrameAccepted> audio;
    private Path bundle;

    @BeforeEach
    void pressRecordAndExport() throws Exception {
        server = TestServer.start(dir.resolve("data"));
        IssuedCredential credential = server.enroll(DEVICE);
        UUID carrier = server.server().registerCarrier(Region.IJSSELLAND, new CarrierProfile("Test Carrier", "", "",
                "", "", "", new CarrierProfile.Eligibility(true, true, true, true, true), true)).join();
        server.server().assign(DEVICE, carrier).join();
        fleet = new DeviceFleet("127.0.0.1", server.server().address().getPort(), server.ca().certificate(), QUIET, 1);
        SimulatedDevice device = fleet.add(DEVICE, credential, City.ZWOLLE);
        device.recordsAfterPress(true);
        fleet.start();
        device.press();
        await().atMost(Duration.ofSeconds(30)).until(() -> fleet.stats().acks() >= 1 + 8); // the PANIC, 3.2 s of sound
        fleet.close();
        fleet = null;
        server.close();
        LogContents log = server.log();
        UUID alertId = log.accepted().stream().filter(a -> a.frame().type() == FrameType.PANIC).findFirst()
                .orElseThrow().eventId();
        audio = log.accepted().stream().filter(a -> a.frame().type() == FrameType.AUDIO).toList();
        bundle = dir.resolve("bundle");
        AlertBundle.export(server.data().log(), server.caCertificateFile(), server.keys(), alertId, Instant.now())
                .write(bundle);
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

    private Path recording() throws Exception {
        try (var files = Files.list(bundle)) {
            List<Path> opus = files.filter(p -> p.getFileName().toString().endsWith(".opus")).toList();
            assertEquals(1, opus.size(), "one stream, one file: " + opus);
            return opus.get(0);
        }
    }

    private long sentMs() {
        return audio.stream().mapToLong(a -> a.frame().audio().durationMs()).sum();
    }

    private int verifyBundle() {
        CommandLine aware = AwareCommand.commandLine();
        aware.setOut(new PrintWriter(out, true));
        aware.setErr(new PrintWriter(err, true));
        return aware.execute("log", "verify-bundle", "--bundle", bundle.toString());
    }

    @Test
    void opusinfo_playsTheRecordingForTheDurationTheDeviceSent() throws Exception {
        assertTrue(audio.size() >= 8, "audio frames kept: " + audio.size());
        // less the 6.5 ms encoder delay the pre-skip removes; opusinfo rounds down to whole ms
        assertEquals(sentMs() - 7, OpusTools.opusinfoPlaybackMs(recording()), 1);
    }

    @Test
    void ffprobe_readsOneOpusStreamOfTheDurationTheDeviceSent() throws Exception {
        OpusTools.Run probe = OpusTools.ffprobe(recording());
        assertEquals(0, probe.exit(), probe.output());
        assertTrue(probe.output().contains("codec_name=opus"), probe.output());
        assertTrue(probe.output().contains("channels=1"), probe.output());
        double seconds = Double.parseDouble(probe.output().replaceAll("(?s).*duration=([0-9.]+).*", "$1"));
        assertEquals(sentMs(), Math.round(seconds * 1000));
    }

    @Test
    void theRecordingsPackets_decodeToSpeechNotSilence() throws Exception {
        List<byte[]> packets = OggFile.read(Files.readAllBytes(recording())).audioPackets();
        assertEquals(sentMs() / SpeechClip.PACKET_MS, packets.size(), "one Opus packet per 20 ms sent, no gap");
        OpusDecoder decoder = new OpusDecoder(48_000, 1);
        short[] pcm = new short[48 * 120];
        double energy = 0;
        long samples = 0;
        for (byte[] packet : packets) {
            int decoded = decoder.decode(packet, 0, packet.length, pcm, 0, pcm.length, false);
            for (int s = 0; s < decoded; s++) {
                energy += (double) pcm[s] * pcm[s];
            }
            samples += decoded;
        }
        assertEquals(sentMs() * 48, samples);
        double rms = Math.sqrt(energy / samples);
        assertTrue(rms > 300, "the decoded sound is speech, not silence: RMS " + rms);
    }

    @Test
    void untouchedBundle_verifiesEveryAudioFrameAndTheRecordingFile() {
        assertEquals(0, verifyBundle(), out + "" + err);
        assertTrue(out.toString().contains(audio.size() + " audio)"), out.toString());
        assertTrue(out.toString().contains("1 recording file (Ogg Opus) rebuilt from the signed AUDIO frames"),
                out.toString());
    }

    @Test
    void oneChangedByteOfSoundInOneAudioFrame_failsNamingStreamSeqAndCounter() throws Exception {
        Path frames = bundle.resolve("frames.json");
        JsonNode root = JSON.readTree(frames.toFile());
        ObjectNode third = null;
        int audioSeen = 0;
        for (JsonNode frame : root.get("frames")) {
            if ("audio".equals(frame.get("role").asText()) && ++audioSeen == 3) {
                third = (ObjectNode) frame;
            }
        }
        byte[] wire = HexFormat.of().parseHex(third.get("wire").asText());
        wire[wire.length - 64 - 10] ^= 0x01; // a byte of Opus data, before the 64-byte signature
        third.put("wire", HexFormat.of().formatHex(wire));
        JSON.writeValue(frames.toFile(), root);
        long record = third.get("record").asLong();
        long counter = third.get("frame").get("counter").asLong();
        String stream = third.get("frame").get("streamId").asText();

        assertEquals(AwareCommand.CHECK_FAILED, verifyBundle());
        assertTrue(err.toString().contains("bundle DAMAGED: frames.json, record " + record
                + ": the device's signature does not match the frame"), err.toString());
        assertTrue(err.toString().contains("AUDIO frame, counter " + counter + ", stream " + stream + " seq 2"),
                err.toString());
    }

    @Test
    void aRecordingFileWithOtherSound_isNamedEvenWithItsDigestRecomputed() throws Exception {
        Path recording = recording();
        byte[] bytes = Files.readAllBytes(recording);
        bytes[bytes.length - 5] ^= 0x01;
        Files.write(recording, bytes);
        Path manifest = bundle.resolve("manifest.json");
        JsonNode root = JSON.readTree(manifest.toFile());
        for (JsonNode file : root.get("files")) {
            if (file.get("name").asText().equals(recording.getFileName().toString())) {
                ((ObjectNode) file).put("sha256", HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(bytes)));
            }
        }
        JSON.writeValue(manifest.toFile(), root);

        assertEquals(AwareCommand.CHECK_FAILED, verifyBundle());
        assertTrue(err.toString().contains("bundle DAMAGED: " + recording.getFileName()
                + ": is not the sound of the signed AUDIO frames"), err.toString());
    }
}
