package nl.aware.records.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.Region;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.LogRecord;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.Pem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alert history and the alert index, read from a real log written through the intake. */
class AlertHistoryTest {
    @TempDir
    static Path dir;
    static AlertScenario scenario;
    static AlertHistory history;

    @BeforeAll
    static void write() throws Exception {
        scenario = AlertScenario.write(dir);
        history = AlertHistoryReader.read(scenario.logDir, scenario.keys, Pem.readCertificate(scenario.caPem),
                scenario.alertId);
    }

    @Test
    void identifiesTheAlertDeviceRegionAndCarrierAtThePress() {
        assertEquals(scenario.alertId, history.alertId());
        assertEquals(AlertType.REAL, history.type());
        assertEquals(AlertScenario.DEVICE, history.deviceId());
        assertEquals(Region.IJSSELLAND, history.region());
        assertEquals(scenario.carrierId, history.carrier().carrierId());
        assertEquals(AlertScenario.CARRIER_NAME, history.carrier().profile().name());
        assertEquals(AlertScenario.POLICE_NOTES, history.carrier().profile().policeNotes());
        assertTrue(history.closed());
    }

    @Test
    void carrierProfile_isTheOneInForceAtThePress_afterAnEdit() {
        assertEquals(AlertScenario.UPDATED_PHONE, history.carrier().profile().phone());
        assertTrue(history.carrier().profile().eligibility().unmet().isEmpty(), "the intake's eligibility stays");
    }

    @Test
    void pressHasBothClocksAndIsDelayed() {
        AlertHistory.Press press = history.press();
        assertEquals(scenario.pressSequence, press.sequence());
        assertEquals(scenario.alertId, press.eventId());
        Duration difference = press.clockDifference();
        assertTrue(difference.toMillis() >= AlertScenario.CLOCK_BEHIND_MS, difference::toString);
        assertTrue(difference.toMillis() < AlertScenario.CLOCK_BEHIND_MS + 10_000, difference::toString);
        assertTrue(press.delayed());
        assertEquals(1, history.repeatedPresses().size());
        assertEquals(scenario.repeatId, history.repeatedPresses().get(0).eventId());
    }

    @Test
    void trackHoldsEveryLocatedFrameOfTheAlertInOrder() {
        List<AlertHistory.TrackPoint> track = history.track();
        assertEquals(AlertScenario.TRACK.length, track.size());
        List<String> kinds = track.stream().map(AlertHistory.TrackPoint::kind).toList();
        assertEquals(List.of("PANIC", "LOCATION", "LOCATION", "PANIC", "LOCATION"), kinds);
        for (int i = 0; i < track.size(); i++) {
            AlertHistory.TrackPoint p = track.get(i);
            assertTrue(p.hasFix());
            assertEquals(AlertScenario.TRACK[i][0] / 1e7, p.latitude(), 1e-9);
            assertEquals(AlertScenario.TRACK[i][1] / 1e7, p.longitude(), 1e-9);
            assertEquals(AlertScenario.TRACK[i][2], p.accuracyM());
            assertEquals(4, p.fixAgeS());
            assertEquals(AlertHistory.LocationSource.GNSS, p.source());
            assertEquals(81, p.batteryPercent());
        }
        assertEquals(scenario.locationIds, track.stream().filter(p -> p.kind().equals("LOCATION"))
                .map(AlertHistory.TrackPoint::eventId).toList());
    }

    @Test
    void cancelIsRecordedAndDoesNotCloseTheAlert() {
        assertEquals(1, history.cancels().size());
        assertEquals(scenario.cancelId, history.cancels().get(0).eventId());
        // steps after the cancel are still the alert's
        assertTrue(history.lifecycle().stream().anyMatch(s -> s.sequence() > history.cancels().get(0).sequence()));
    }

    @Test
    void everyDeliveryAttemptWithTargetAttemptAndOutcome() {
        List<AlertHistory.DeliveryAttempt> alert = history.deliveries().stream()
                .filter(d -> d.item() == AlertHistory.ItemKind.ALERT).toList();
        assertEquals(3, alert.size());
        assertEquals(List.of(1, 2, 3), alert.stream().map(AlertHistory.DeliveryAttempt::attempt).toList());
        assertFalse(alert.get(0).delivered());
        assertEquals("ijsselland/primary", alert.get(0).target());
        assertEquals("connect timed out after 2000 ms", alert.get(0).detail());
        assertFalse(alert.get(1).delivered());
        assertEquals("HTTP 503 from the control room", alert.get(1).detail());
        assertTrue(alert.get(2).delivered());
        assertEquals("ijsselland/secondary", alert.get(2).target());
        assertEquals(AlertScenario.INCIDENT, alert.get(2).detail());
        List<AlertHistory.ItemKind> others = history.deliveries().stream().map(AlertHistory.DeliveryAttempt::item)
                .filter(k -> k != AlertHistory.ItemKind.ALERT).toList();
        assertEquals(List.of(AlertHistory.ItemKind.LOCATION, AlertHistory.ItemKind.LOCATION,
                AlertHistory.ItemKind.REPEATED_PRESS, AlertHistory.ItemKind.LOCATION, AlertHistory.ItemKind.CANCEL), others);
        assertTrue(history.deliveries().stream().noneMatch(d -> d.itemId().equals(scenario.otherAlertId)));
    }

    @Test
    void escalationAndLifecycleWithDurationsFromThePress() {
        assertEquals(1, history.escalations().size());
        assertEquals(scenario.escalationSequence, history.escalations().get(0).sequence());
        assertEquals("kadera/escalation", history.escalations().get(0).route());
        assertEquals(List.of(AlertStatus.ACKNOWLEDGED, AlertStatus.UNIT_DISPATCHED, AlertStatus.ON_SCENE, AlertStatus.CLOSED),
                history.lifecycle().stream().map(AlertHistory.LifecycleStep::status).toList());
        Duration previous = Duration.ZERO;
        for (AlertHistory.LifecycleStep step : history.lifecycle()) {
            assertEquals(AlertScenario.INCIDENT, step.incidentReference());
            assertEquals(AlertScenario.CONTROL_ROOM, step.reporter());
            assertEquals(Duration.between(history.press().receiveTime(), step.time()), step.sincePress());
            assertFalse(step.sincePress().isNegative());
            assertTrue(step.sincePress().compareTo(previous) >= 0);
            previous = step.sincePress();
        }
        assertEquals(scenario.closeSequence, history.lastStep().sequence());
        assertTrue(history.shed().isEmpty());
    }

    @Test
    void holdsExactlyTheAlertsRecordsAndVerifies() {
        AlertHistory.Verification v = history.verification();
        assertTrue(v.verified(), v::toString);
        assertTrue(v.chain().intact());
        assertEquals(scenario.pressSequence, v.chain().firstSequence());
        assertEquals(scenario.closeSequence, v.chain().lastSequence());
        assertEquals(scenario.alertSequences.size(), v.chain().alertRecords());
        assertEquals(6, v.signatures().frames(), "press, 3 locations, the repeat and the cancel; no heartbeat, nothing after the close");
        assertEquals(6, v.signatures().verifiedFrames());
        assertEquals(Boolean.TRUE, v.signatures().issuedByCa());
    }

    @Test
    void aFrameSignedWithAnotherKey_isNamedAndMakesItNotVerified(@TempDir Path forgedDir) throws Exception {
        AlertScenario forged = AlertScenario.writeWithForgedLocation(forgedDir);
        AlertHistory h = AlertHistoryReader.read(forged.logDir, forged.keys, Pem.readCertificate(forged.caPem),
                forged.alertId);
        AlertHistory.SignatureCheck signatures = h.verification().signatures();
        assertEquals(6, signatures.frames());
        assertEquals(5, signatures.verifiedFrames(), "the other five frames still verify with the same verifier");
        assertEquals(List.of(forged.forgedSequence), signatures.failedRecords());
        assertFalse(h.verification().verified());
    }

    @Test
    void aForeignCa_makesItNotVerified() throws Exception {
        CertificateAuthority stranger = CertificateAuthority.create("Someone else", Duration.ofDays(10));
        AlertHistory h = AlertHistoryReader.read(scenario.logDir, scenario.keys, stranger.certificate(), scenario.alertId);
        assertEquals(Boolean.FALSE, h.verification().signatures().issuedByCa());
        assertFalse(h.verification().verified());
    }

    @Test
    void unknownAlertOrANonPressId_isNotFound() {
        assertThrows(AlertHistoryReader.AlertNotFoundException.class,
                () -> AlertHistoryReader.read(scenario.logDir, scenario.keys, null, UUID.randomUUID()));
        AlertHistoryReader.AlertNotFoundException e = assertThrows(AlertHistoryReader.AlertNotFoundException.class,
                () -> AlertHistoryReader.read(scenario.logDir, scenario.keys, null, scenario.locationIds.get(0)));
        assertTrue(e.getMessage().contains("not a press"), e::getMessage);
    }

    @Test
    void testAlarmHasAHistoryOfItsOwn() throws Exception {
        AlertHistory test = AlertHistoryReader.read(scenario.logDir, scenario.keys, null, scenario.testAlertId);
        assertEquals(AlertType.TEST, test.type());
        assertEquals(AlertScenario.OTHER_DEVICE, test.deviceId());
        assertEquals(1, test.track().size());
        assertNull(test.verification().signatures().issuedByCa());
        assertTrue(test.verification().verified());
    }

    /**
     * The scenario's points in degrees, as a leak would print them; not the seconds of a timestamp
     * ("16:40:52.512Z") or a piece of them ("26.097Z"), which the text is full of.
     */
    private static final Pattern DEGREES = Pattern.compile("(?<![:\\d])(52\\.51|6\\.09)");

    @Test
    void toString_namesNoCarrierAndNoLocation() {
        String text = history.toString();
        assertFalse(text.contains(AlertScenario.CARRIER_NAME), text);
        assertFalse(DEGREES.matcher(text).find(), text);
        assertFalse(text.contains("525120000") || text.contains("60940000"), text); // the press's point, in 1e-7 degrees
        assertTrue(text.contains("redacted"), text);
    }

    @Test
    void theLocationCheck_findsDegreesButNotTimestamps() {
        assertTrue(DEGREES.matcher("TrackPoint[record=9, lat=52.512, lon=6.094]").find());
        assertTrue(DEGREES.matcher("at 6.094 E").find());
        assertFalse(DEGREES.matcher("deviceTime=2026-12-05T16:38:52.512Z, receiveTime=2026-12-05T16:40:26.097Z").find());
    }

    @Test
    void jsonCarriesTheSameFacts() throws Exception {
        JsonNode json = new ObjectMapper().readTree(HistoryJson.write(HistoryJson.history(history)));
        assertEquals(scenario.alertId.toString(), json.get("alertId").asText());
        assertEquals("00a1b2c3d4e5f601", json.get("deviceId").asText());
        assertEquals(AlertScenario.CARRIER_NAME, json.at("/carrier/name").asText());
        assertEquals(5, json.get("track").size());
        assertEquals(52.512, json.at("/track/0/latitude").asDouble(), 1e-9);
        assertEquals(8, json.get("deliveries").size());
        assertEquals("failed", json.at("/deliveries/0/outcome").asText());
        assertEquals("connect timed out after 2000 ms", json.at("/deliveries/0/problem").asText());
        assertEquals("closed", json.at("/lifecycle/3/status").asText());
        assertEquals(1, json.get("cancels").size());
        assertTrue(json.at("/verification/verified").asBoolean());
        assertTrue(json.at("/press/delayed").asBoolean());
    }

    // ------------------------------------------------------------------------------------ index

    @Test
    void index_fromAFullRead_listsRealAndTestAlertsWithState() throws Exception {
        AlertIndex.Loaded loaded = AlertIndex.load(scenario.logDir, scenario.keys);
        assertTrue(loaded.log().intact());
        AlertIndex index = loaded.index();
        assertEquals(3, index.size(), "the carrier's alert, the other carrier's alert, the test alarm");
        AlertSummary a = index.find(scenario.alertId).orElseThrow();
        assertEquals(AlertScenario.DEVICE, a.deviceId());
        assertEquals(scenario.carrierId, a.carrierId());
        assertEquals(Region.IJSSELLAND, a.region());
        assertEquals(AlertType.REAL, a.type());
        assertEquals(2, a.presses());
        assertEquals(AlertState.CLOSED, a.state());
        assertTrue(a.closed());
        assertTrue(a.escalated());
        assertEquals(history.press().receiveTime(), a.pressTime());
        AlertSummary other = index.find(scenario.otherAlertId).orElseThrow();
        assertEquals(AlertState.DELIVERED, other.state());
        assertFalse(other.closed());
        assertEquals(AlertType.TEST, index.find(scenario.testAlertId).orElseThrow().type());
    }

    @Test
    void index_filtersByEachField() throws Exception {
        AlertIndex index = AlertIndex.load(scenario.logDir, scenario.keys).index();
        assertEquals(List.of(scenario.alertId), ids(index, AlertFilter.ALL.withCarrier(scenario.carrierId)));
        assertEquals(List.of(scenario.testAlertId, scenario.otherAlertId),
                ids(index, AlertFilter.ALL.withDevice(AlertScenario.OTHER_DEVICE)));
        assertEquals(List.of(scenario.testAlertId, scenario.otherAlertId), ids(index, AlertFilter.ALL.withRegion(Region.TWENTE)));
        assertEquals(List.of(scenario.testAlertId), ids(index, AlertFilter.ALL.withType(AlertType.TEST)));
        assertEquals(List.of(scenario.alertId), ids(index, AlertFilter.ALL.withState(AlertState.CLOSED)));
        assertEquals(List.of(scenario.testAlertId, scenario.otherAlertId), ids(index, AlertFilter.ALL.withClosed(false)));
        Instant press = history.press().receiveTime();
        assertEquals(List.of(), ids(index, AlertFilter.ALL.withTimeRange(press.minusSeconds(3600), press)));
        assertTrue(ids(index, AlertFilter.ALL.withTimeRange(press, press.plusSeconds(3600))).contains(scenario.alertId));
        assertEquals(1, index.list(AlertFilter.ALL, 1).size());
        assertThrows(IllegalArgumentException.class, () -> AlertFilter.ALL.withTimeRange(press, press));
    }

    @Test
    void index_saysWhichIdsMayNameAnAlert_neverARepeatedPress_andDefersToTheReaderOnlyAfterAPurge() throws Exception {
        AlertIndex index = AlertIndex.load(scenario.logDir, scenario.keys).index();
        assertTrue(index.mayBeAlert(scenario.alertId));
        assertFalse(index.mayBeAlert(scenario.repeatId), "a repeated press is part of its alert");
        assertFalse(index.mayBeAlert(UUID.randomUUID()), "nothing was purged, so an unknown id is no alert");

        index.apply(new nl.aware.core.log.LogRecord(Long.MAX_VALUE, 0, EventCodec.LOCATIONS_PURGED, new byte[0],
                new byte[32]), new Event.LocationsPurged(List.of("2026-01"), List.of(), "P90D", 0, "ops"));
        assertTrue(index.mayBeAlert(UUID.randomUUID()), "after a purge a replay cannot read old presses: the reader decides");
        assertFalse(index.mayBeAlert(scenario.repeatId), "a repeated press the index saw stays refused");
    }

    @Test
    void index_asALiveProjection_equalsTheFullRead() throws Exception {
        // A server registers an AlertIndex as a projection; replaying the log into a fresh one gives the same rows.
        nl.aware.core.state.ServerState state = new nl.aware.core.state.ServerState();
        AlertIndex live = new AlertIndex();
        state.register(live);
        nl.aware.core.event.EventCodec codec = new nl.aware.core.event.EventCodec(scenario.keys);
        List<LogRecord> records = new ArrayList<>();
        EventLog.read(scenario.logDir, records::add);
        for (LogRecord r : records) {
            state.apply(r, codec.decode(r));
        }
        AlertIndex full = AlertIndex.load(scenario.logDir, scenario.keys).index();
        assertEquals(full.list(AlertFilter.ALL, 100), live.list(AlertFilter.ALL, 100));
        JsonNode json = new ObjectMapper().readTree(HistoryJson.write(HistoryJson.list(
                live.list(AlertFilter.ALL.withState(AlertState.CLOSED), 10))));
        assertEquals(1, json.get("count").asInt());
        assertEquals("closed", json.at("/alerts/0/state").asText());
        assertEquals("real", json.at("/alerts/0/type").asText());
    }

    @Test
    void index_lastChange_movesWithEveryAlertEventAndOnlyThen() throws Exception {
        nl.aware.core.state.ServerState state = new nl.aware.core.state.ServerState();
        AlertIndex live = new AlertIndex();
        state.register(live);
        nl.aware.core.event.EventCodec codec = new nl.aware.core.event.EventCodec(scenario.keys);
        List<LogRecord> records = new ArrayList<>();
        EventLog.read(scenario.logDir, records::add);
        assertEquals(0, live.lastChange());
        int moved = 0;
        int stayed = 0;
        for (LogRecord r : records) {
            long before = live.lastChange();
            nl.aware.core.event.Event event = codec.decode(r);
            state.apply(r, event);
            boolean aboutAnAlert = event instanceof nl.aware.core.event.Event.FrameAccepted f
                    ? f.frame().type() == nl.aware.core.protocol.FrameType.PANIC || f.frame().type() == nl.aware.core.protocol.FrameType.TEST
                    : event instanceof nl.aware.core.event.Event.Delivered || event instanceof nl.aware.core.event.Event.AlertEscalated
                    || event instanceof nl.aware.core.event.Event.AlertStatusReported;
            if (aboutAnAlert) {
                assertEquals(r.sequence(), live.lastChange(), event.getClass().getSimpleName());
                moved++;
            } else {
                assertEquals(before, live.lastChange(), event.getClass().getSimpleName() + " is not about an alert");
                stayed++;
            }
        }
        assertTrue(moved > 3 && stayed > 3, "the scenario has both kinds: " + moved + " and " + stayed);
        assertEquals(live.lastChange(), AlertIndex.load(scenario.logDir, scenario.keys).index().lastChange(),
                "a full read ends where the live projection does");
        assertTrue(live.lastChange() >= scenario.closeSequence);
    }

    private static List<UUID> ids(AlertIndex index, AlertFilter filter) {
        return index.list(filter, 100).stream().map(AlertSummary::alertId).toList();
    }
}
