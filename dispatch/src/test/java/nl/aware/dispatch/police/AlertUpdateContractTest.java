package nl.aware.dispatch.police;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.event.ReportChannel;
import nl.aware.core.event.VerificationOutcome;
import nl.aware.dispatch.work.DispatchItem;
import nl.aware.dispatch.work.ListeningFacts;
import nl.aware.dispatch.work.WorkKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lifecycle alert update, as PoliceMessages writes it, against docs/openapi.yaml's AlertUpdate schema. */
class AlertUpdateContractTest {
    private static final UUID ALERT = UUID.fromString("3f2a9c1e-5b7d-4e0a-9c61-0d2f4b8e7a15");
    static OpenApiSchemas openApi;

    @BeforeAll
    static void load() throws Exception {
        openApi = OpenApiSchemas.load();
    }

    private static JsonNode lifecycleUpdate(AlertStatus status, VerificationOutcome outcome, ListeningFacts facts)
            throws Exception {
        Event.AlertStatusReported step = new Event.AlertStatusReported(ALERT, status, "", "op-ijsselland-anna",
                ReportChannel.CONSOLE, outcome, "threats heard while listening in");
        DispatchItem item = new DispatchItem(UUID.randomUUID(), WorkKind.LIFECYCLE_UPDATE, Region.IJSSELLAND, ALERT, 12,
                1_700_000_000_000L, null, false, 0, null, step, facts);
        return PoliceMessages.json().readTree(PoliceMessages.update(item));
    }

    @Test
    void verifiedByListeningWithARecording_conformsAndSaysBoth() throws Exception {
        JsonNode body = lifecycleUpdate(AlertStatus.VERIFIED, VerificationOutcome.CONFIRMED_BY_LISTENING,
                new ListeningFacts(true, true));
        assertEquals(List.of(), openApi.problems("AlertUpdate", body));
        assertTrue(body.get("verifiedByListening").asBoolean());
        assertTrue(body.get("recordingExists").asBoolean());
    }

    @Test
    void aStepWithoutListening_conformsAndSaysNeither() throws Exception {
        JsonNode body = lifecycleUpdate(AlertStatus.ACKNOWLEDGED, null, ListeningFacts.NONE);
        assertEquals(List.of(), openApi.problems("AlertUpdate", body));
        assertFalse(body.get("verifiedByListening").asBoolean());
        assertFalse(body.get("recordingExists").asBoolean());
    }

    @Test
    void theUpdateCarriesNoSound_onlyThatARecordingExists() throws Exception {
        String body = lifecycleUpdate(AlertStatus.VERIFIED, VerificationOutcome.CONFIRMED_BY_LISTENING,
                new ListeningFacts(true, true)).toString().toLowerCase(java.util.Locale.ROOT);
        for (String sound : List.of("audio", "opus", "recording\":{", "url", "href")) {
            assertFalse(body.contains(sound), "no " + sound + " in " + body);
        }
    }

    @Test
    void theDocumentedVerificationExample_conforms() {
        assertEquals(List.of(), openApi.problems("AlertUpdate", openApi.example("VerificationUpdate")));
    }

    @Test
    void aFieldTheSchemaDoesNotName_isRefused() throws Exception {
        ObjectNode body = (ObjectNode) lifecycleUpdate(AlertStatus.ACKNOWLEDGED, null, ListeningFacts.NONE);
        body.put("audioUrl", "https://example.org/x.opus");
        body.put("verifiedByListening", "yes");
        assertEquals(List.of("$.verifiedByListening: expected boolean, got STRING",
                "$: audioUrl is not a property of the schema"), openApi.problems("AlertUpdate", body));
    }
}
