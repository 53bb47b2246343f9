package nl.aware.gateway.staff;

import com.fasterxml.jackson.databind.JsonNode;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.AudioChunk;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.core.staff.AccessOutcome;
import nl.aware.core.testing.MutableClock;
import nl.aware.gateway.cli.StaffClient;
import nl.aware.gateway.testing.TestAuthenticator;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.StaffDeployment;
import nl.aware.gateway.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Playing an alert's recording through the staff API (what the console's audio element fetches): a real server,
 * a real device over TLS 1.3 that records after its press, the deployment's own CA. Each play is in the trail.
 */
class RecordingPlaybackTest {
    private static final long DEVICE = 0x00a1b2c3d4e5f6b1L;

    @TempDir
    Path directory;
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    private final TestAuthenticator totp = new TestAuthenticator(clock);
    private TestServer server;
    private StaffDeployment staff;
    private StaffClient client;
    private String sam;
    private UUID alertId;
    private String recordingPath;

    @BeforeEach
    void pressAndRecord() throws Exception {
        staff = StaffDeployment.start(directory, clock, totp);
        server = staff.server;
        client = staff.client;
        sam = staff.sam;

        IssuedCredential credential = server.enroll(DEVICE, Region.IJSSELLAND);
        UUID carrier = server.server().registerCarrier(Region.IJSSELLAND, new CarrierProfile("Recorded Carrier", "", "",
                "", "", "", new CarrierProfile.Eligibility(true, true, true, true, true), true)).join();
        server.server().assign(DEVICE, carrier).join();
        try (TestDevice device = TestDevice.connect(server.server().address(), DEVICE, credential,
                server.ca().certificate())) {
            device.send(device.panic(1));
            alertId = device.nextAck().eventId();
            for (int seq = 0; seq < 3; seq++) {
                List<byte[]> packets = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    packets.add(new byte[] {(byte) (9 << 3), (byte) seq, (byte) i}); // SILK wideband, 20 ms each
                }
                device.send(device.frame(FrameType.AUDIO, DEVICE, 2 + seq,
                        AudioChunk.opus(1, seq, seq == 2, 400, packets).payload()));
                assertInstanceOf(ServerFrame.Ack.class, device.next(), "audio frame " + seq + " kept");
            }
        }
        recordingPath = "/staff/v1/alerts/" + alertId + "/recordings/" + DeviceIds.format(DEVICE) + "/1";
    }

    @AfterEach
    void stop() {
        staff.close();
    }

    private boolean inTrail(String action, String subject) {
        return server.log().events().stream().anyMatch(e -> e instanceof Event.StaffAccess a && a.username().equals("sam")
                && a.action().equals(action) && a.subject().equals(subject) && a.outcome() == AccessOutcome.ALLOWED);
    }

    @Test
    void theTimeline_listsTheRecordingTheConsoleOffersToPlay() throws Exception {
        StaffClient.Reply timeline = client.get("/staff/v1/alerts/" + alertId, sam);
        assertEquals(200, timeline.status(), timeline.error());
        JsonNode recording = timeline.body().path("recordings").path(0);
        assertEquals("1", recording.path("streamId").asText(), timeline.body()::toString);
        assertEquals("press", recording.path("kind").asText());
        assertEquals(1200, recording.path("receivedMs").asLong());
        assertTrue(recording.path("endedByDevice").asBoolean());
    }

    @Test
    void playing_servesTheBundlesOggOpusFile_andRecordsWhoListened() throws Exception {
        StaffClient.Reply played = client.get(recordingPath, sam);
        assertEquals(200, played.status(), played.error());
        assertEquals("audio/ogg", played.contentType());
        assertEquals("OggS", new String(played.bytes(), 0, 4, StandardCharsets.US_ASCII));
        assertTrue(inTrail("recording.play", alertId + "/" + DeviceIds.format(DEVICE) + "/1"));

        String audrey = staff.audrey();
        StaffClient.Reply zip = client.post("/staff/v1/alerts/" + alertId + "/evidence", audrey, null);
        assertEquals(200, zip.status(), zip.error());
        assertArrayEquals(entry(zip.bytes(), "recording-" + DeviceIds.format(DEVICE) + "-1.opus"), played.bytes(),
                "what staff hear is what the evidence bundle holds");
    }

    @Test
    void aStreamTheAlertDoesNotHave_is404NamingIt() throws Exception {
        StaffClient.Reply reply = client.get("/staff/v1/alerts/" + alertId + "/recordings/" + DeviceIds.format(DEVICE)
                + "/2", sam);
        assertEquals(404, reply.status());
        assertEquals("alert " + alertId + " has no recording of stream 2 from device " + DeviceIds.format(DEVICE),
                reply.error());
    }

    @Test
    void aStreamThatIsNoNumber_is400SayingWhatOneIs() throws Exception {
        StaffClient.Reply reply = client.get("/staff/v1/alerts/" + alertId + "/recordings/" + DeviceIds.format(DEVICE)
                + "/abc", sam);
        assertEquals(400, reply.status());
        assertEquals("stream is the recording's stream id, a whole number of at most 20 digits", reply.error());
    }

    private static byte[] entry(byte[] zip, String name) throws Exception {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().equals(name)) {
                    return in.readAllBytes();
                }
            }
        }
        throw new AssertionError("no " + name + " in the bundle");
    }
}
