package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.JsonNode;
import nl.aware.dispatch.police.PoliceMessages;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The police screen's lines, without sockets. */
class ControlRoomViewTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ControlRoomView view = new ControlRoomView(new PrintStream(out, true, StandardCharsets.UTF_8),
            ZoneOffset.UTC);

    private String shown() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void alertLine_showsKindRegionRefLocationAgeAndPresses() throws Exception {
        UUID alertId = UUID.randomUUID();
        JsonNode body = PoliceMessages.json().readTree(Fixtures.alertBody(Fixtures.panic(alertId, 1, 1)));
        Instant receive = Instant.parse(body.path("press").path("receiveTime").asText());

        view.arrived(new Arrival("ijsselland", Arrival.Kind.ALERT, "ijsselland", alertId.toString(), "IJS-1", "",
                body, receive.plusMillis(85)));

        String line = shown();
        assertTrue(line.contains(" ALERT "), line);
        assertTrue(line.contains("IJS-1"), line);
        assertTrue(line.contains("52.51234,6.08321 ±12 m gnss fix 3 s"), line);
        assertTrue(line.contains("age 85 ms"), line);
        assertTrue(line.contains("presses 1"), line);
        assertEquals(1, line.lines().count());
    }

    @Test
    void updateLine_namesTheUpdateKind() throws Exception {
        UUID alertId = UUID.randomUUID();
        JsonNode body = PoliceMessages.json().readTree(
                PoliceMessages.update(Fixtures.locationUpdate(alertId, 1, 2)));

        view.arrived(new Arrival("ijsselland", Arrival.Kind.UPDATE, "ijsselland", alertId.toString(), "IJS-1",
                "location", body, Instant.now()));

        assertTrue(shown().contains("UPDATE(location)"), shown());
    }

    @Test
    void alertWithoutFix_saysNoFix() throws Exception {
        JsonNode body = PoliceMessages.json().readTree("{\"location\":null,\"press\":{}}");

        assertEquals("no fix", ControlRoomView.location(body));
    }

    @Test
    void lifecycleLine_showsStatusAndAnswer() {
        view.reported(new CallbackOutcome("ijsselland", UUID.randomUUID().toString(), "IJS-1", "on_scene", 204, 1, "",
                Instant.now()));

        assertTrue(shown().contains("STATUS on_scene"), shown());
        assertTrue(shown().contains("→ 204 after 1 attempt "), shown());
    }
}
