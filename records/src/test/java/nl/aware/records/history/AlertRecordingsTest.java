package nl.aware.records.history;

import nl.aware.core.pki.Pem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recordings and LISTEN requests of an alert, read from a real log by the history reader. */
class AlertRecordingsTest {
    @TempDir
    static Path dir;
    static AudioAlertScenario scenario;
    static AlertHistory history;

    @BeforeAll
    static void read() throws Exception {
        scenario = AudioAlertScenario.write(dir);
        history = AlertHistoryReader.read(scenario.logDir, scenario.keys, Pem.readCertificate(scenario.caPem),
                scenario.alertId);
    }

    @Test
    void thePressStream_isListedWithItsStartSoundReceivedAndGap() {
        AlertHistory.Recording press = history.recordings().get(0);
        assertTrue(press.press());
        assertNull(press.requestedBy());
        assertEquals(AudioAlertScenario.T0.plusSeconds(1), press.start());
        assertEquals(Duration.ofMillis(1200), press.received());
        assertEquals(List.of(new AlertHistory.Gap(2, 2)), press.gaps());
        assertTrue(press.ended());
    }

    @Test
    void theListenStream_namesWhoAskedAndIsCutOffWithoutItsLastFrame() {
        AlertHistory.Recording listen = history.recordings().get(1);
        assertFalse(listen.press());
        assertEquals(AudioAlertScenario.LISTEN_ID, listen.streamId());
        assertEquals(AudioAlertScenario.OPERATOR, listen.requestedBy());
        assertFalse(listen.ended());
    }

    @Test
    void audioOfAStreamTheAlertNeverOpened_isNotTheAlerts() {
        assertEquals(2, history.recordings().size());
        assertEquals(1 + 3 + 2, history.verification().signatures().frames(), "press, 3 + 2 audio frames");
    }

    @Test
    void everyAudioFramesSignature_isChecked() {
        assertTrue(history.verification().verified());
        assertEquals(6, history.verification().signatures().verifiedFrames());
    }

    @Test
    void theListenRequest_isListedWithWhoAndWhen() {
        assertEquals(1, history.listens().size());
        AlertHistory.ListenRequest listen = history.listens().get(0);
        assertEquals(AudioAlertScenario.OPERATOR, listen.by());
        assertEquals(AudioAlertScenario.T0.plusSeconds(5), listen.time());
        assertEquals(30, listen.seconds());
    }

    @Test
    void listeningSessions_ofThisAlertOnly_areListedWithWhoHowLongAndHowTheyEnded() {
        assertEquals(1, history.listened().size(), "another alert's session is not this alert's");
        AlertHistory.ListeningSession session = history.listened().get(0);
        assertEquals("operator.devries", session.operator());
        assertTrue(session.joined());
        assertEquals(java.time.Duration.ofSeconds(12), java.time.Duration.between(session.start(), session.end()));
        assertEquals("stopped", session.endReason());
    }
}
