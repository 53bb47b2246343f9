package nl.aware.web.controlroom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.protocol.Location;

import java.time.Instant;
import java.util.List;

/** The JSON of docs/control-room.md's queue rows and stream events, built in one place. */
final class QueueJson {
    static final ObjectMapper JSON = new ObjectMapper();

    private QueueJson() {
    }

    static ObjectNode row(AlertFeed.Row row) {
        ObjectNode node = JSON.createObjectNode();
        node.put("alertId", row.alertId().toString());
        node.put("region", row.region().label());
        node.put("deviceId", DeviceIds.format(row.deviceId()));
        node.put("pressedAt", Instant.ofEpochMilli(row.pressedAtMs()).toString());
        node.put("lastPressAt", Instant.ofEpochMilli(row.lastPressAtMs()).toString());
        node.put("presses", row.presses());
        node.put("delayed", row.delayed());
        node.put("test", row.test());
        node.put("deviceClockWrong", row.deviceClockWrong());
        if (row.battery() == Location.UNKNOWN_BATTERY) {
            node.putNull("battery");
        } else {
            node.put("battery", row.battery());
        }
        node.put("policeAccepted", row.policeAccepted());
        node.put("escalated", row.escalated());
        node.put("state", row.status() == null ? "new" : row.status().label());
        if (row.outcome() != null) {
            node.put("outcome", row.outcome().label());
        }
        node.put("stateBy", row.statusBy());
        node.put("open", row.open());
        node.put("sequence", row.sequence());
        return node;
    }

    static ObjectNode queue(List<AlertFeed.Row> rows, long sequence) {
        ObjectNode node = JSON.createObjectNode();
        node.put("sequence", sequence);
        ArrayNode alerts = node.putArray("alerts");
        rows.forEach(row -> alerts.add(row(row)));
        return node;
    }
}
