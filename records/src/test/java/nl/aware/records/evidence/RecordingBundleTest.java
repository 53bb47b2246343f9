package nl.aware.records.evidence;

import nl.aware.records.audio.OggFile;
import nl.aware.records.history.AudioAlertScenario;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bundle of an alert with a press recording (with a gap) and a LISTEN recording, from a real log. */
class RecordingBundleTest {
    @TempDir
    static Path dir;
    static AudioAlertScenario scenario;
    static AlertBundle bundle;
    static String pressFile;
    static String listenFile;

    @BeforeAll
    static void export() throws Exception {
        scenario = AudioAlertScenario.write(dir);
        bundle = AlertBundle.export(scenario.logDir, scenario.caPem, scenario.keys, scenario.alertId, Instant.now());
        pressFile = "recording-" + nl.aware.core.pki.DeviceIds.format(AudioAlertScenario.DEVICE) + "-1.opus";
        listenFile = "recording-" + nl.aware.core.pki.DeviceIds.format(AudioAlertScenario.DEVICE) + "-"
                + AudioAlertScenario.LISTEN_ID + ".opus";
    }

    @Test
    void eachStreamOfTheAlert_isAnOggOpusFileListedInTheManifest() {
        Map<String, byte[]> files = bundle.files();
        assertTrue(files.containsKey(pressFile), files.keySet().toString());
        assertTrue(files.containsKey(listenFile), files.keySet().toString());
        assertFalse(files.keySet().stream().anyMatch(f -> f.endsWith("-77.opus")), "not the stream of no alert");
        String manifest = new String(files.get("manifest.json"), StandardCharsets.UTF_8).replaceAll("\\s", "");
        assertTrue(manifest.contains("\"name\":\"" + pressFile + "\""), manifest);
        assertTrue(manifest.contains("\"gaps\":[{\"fromSeq\":2,\"toSeq\":2}]"), manifest);
    }

    @Test
    void aGap_isFilledWithLostFramePacketsSoTheFileKeepsTheDevicesTimeLine() {
        List<byte[]> packets = OggFile.read(bundle.files().get(pressFile)).audioPackets();
        assertEquals(80, packets.size(), "frames 0, 1, 3 of 20 packets each and 20 lost-frame packets for frame 2");
        assertEquals(1, packets.get(40).length);
    }

    @Test
    void theBundle_verifiesWithAndWithoutTheDataKeys() throws Exception {
        Path out = dir.resolve("bundle");
        bundle.write(out);
        BundleVerifier.Result plain = BundleVerifier.verify(out);
        assertTrue(plain.ok(), String.valueOf(plain.problem()));
        assertTrue(String.join("\n", plain.summary()).contains("2 recording files (Ogg Opus)"), plain.summary().toString());
        BundleVerifier.Result keyed = new BundleVerifier(null, scenario.keys).check(out);
        assertTrue(keyed.ok(), String.valueOf(keyed.problem()));
    }

    @Test
    void aListenCommandMarkedAsAnotherAlerts_failsNamingTheRecord() throws Exception {
        Path out = dir.resolve("unmarked");
        bundle.write(out);
        Path records = out.resolve("records.json");
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode root = mapper.readTree(records.toFile());
        int unmarked = 0;
        for (com.fasterxml.jackson.databind.JsonNode record : root.get("records")) {
            if (record.get("typeName").asText().equals("CommandSent")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) record).put("ofAlert", false);
                ((com.fasterxml.jackson.databind.node.ObjectNode) record).remove("event");
                unmarked++;
            }
        }
        assertEquals(1, unmarked, "the LISTEN's CommandSent is in the range");
        mapper.writeValue(records.toFile(), root);
        BundleVerifier.Result result = BundleVerifier.verify(out);
        assertFalse(result.ok());
        assertTrue(result.problem().toString().contains("CommandSent refers to alert"), result.problem().toString());
    }
}
