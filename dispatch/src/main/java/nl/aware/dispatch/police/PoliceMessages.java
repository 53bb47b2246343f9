package nl.aware.dispatch.police;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.protocol.DeviceClock;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.Location;
import nl.aware.dispatch.work.DispatchItem;

import java.time.Instant;

/** The JSON bodies of docs/police-api.md and docs/openapi.yaml, built in one place. */
public final class PoliceMessages {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SOURCES = {"none", "gnss", "wifi", "cell", "last_known"};

    private PoliceMessages() {
    }

    public static ObjectMapper json() {
        return JSON;
    }

    /** POST /alerts: a new alert (or a test alert) with everything officers need. */
    public static byte[] alert(DispatchItem item, PoliceProfile profile) {
        ObjectNode body = JSON.createObjectNode();
        body.put("alertId", item.alertId().toString());
        body.put("region", item.region().label());
        body.put("test", item.kind() == nl.aware.dispatch.work.WorkKind.TEST_ALERT);
        press(body.putObject("press"), item);
        location(body, item.frame());
        carrier(body, profile);
        return bytes(body);
    }

    /**
     * {@code profileAvailable} and, when there is a profile, the {@code carrier} object: the carrier as officers see
     * her, in one shape for the police API and the control-room console.
     */
    public static void carrier(ObjectNode body, PoliceProfile profile) {
        body.put("profileAvailable", profile != null);
        if (profile != null) {
            ObjectNode carrier = body.putObject("carrier");
            carrier.put("name", profile.name());
            carrier.put("photoReference", profile.photoReference());
            carrier.put("threat", profile.threatDescription());
            carrier.put("aggressor", profile.aggressorDescription());
            carrier.put("notes", profile.notes());
        }
    }

    /** POST /alerts/{alertId}/updates: a repeated press, a location update or the informational cancel. */
    public static byte[] update(DispatchItem item) {
        if (item.kind() == nl.aware.dispatch.work.WorkKind.LIFECYCLE_UPDATE) {
            return lifecycle(item);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("updateId", item.itemId().toString());
        body.put("alertId", item.alertId().toString());
        body.put("kind", switch (item.kind()) {
            case REPEATED_PRESS -> "repeated_press";
            case LOCATION_UPDATE -> "location";
            case CANCEL_NOTICE -> "cancel";
            default -> throw new IllegalArgumentException(item.kind() + " is not an update");
        });
        if (item.kind() == nl.aware.dispatch.work.WorkKind.CANCEL_NOTICE) {
            body.put("note", "informational only: the carrier may have been forced to cancel; do not stop the response");
        }
        press(body.putObject("press"), item);
        if (item.frame().type().carriesLocation()) {
            location(body, item.frame());
        }
        return bytes(body);
    }

    /** POST /alerts/{alertId}/updates, kind "lifecycle": a step an operator recorded in the console. */
    private static byte[] lifecycle(DispatchItem item) {
        ObjectNode body = JSON.createObjectNode();
        body.put("updateId", item.itemId().toString());
        body.put("alertId", item.alertId().toString());
        body.put("kind", "lifecycle");
        ObjectNode step = body.putObject("lifecycle");
        step.put("status", item.step().status().label());
        if (item.step().outcome() != null) {
            step.put("outcome", item.step().outcome().label());
        }
        step.put("note", item.step().note());
        step.put("operator", item.step().reporter());
        step.put("time", Instant.ofEpochMilli(item.receiveTimeMs()).toString());
        // That sound exists and what it showed, never the sound: the recording is evidence, exported on request.
        nl.aware.dispatch.work.ListeningFacts facts = item.listening() == null
                ? nl.aware.dispatch.work.ListeningFacts.NONE : item.listening();
        body.put("verifiedByListening", facts.verifiedByListening());
        body.put("recordingExists", facts.recordingExists());
        return bytes(body);
    }

    /** POST /notices (Kadera): what device supervision found (offline, back online, battery, tamper, fault). */
    public static byte[] notice(DispatchItem item) {
        ObjectNode body = JSON.createObjectNode();
        body.put("noticeId", item.itemId().toString());
        body.put("deviceId", DeviceIds.format(item.notice().deviceId()));
        body.put("region", item.region().label());
        body.put("kind", item.notice().kind().name().toLowerCase());
        int battery = item.notice().batteryPercent();
        if (battery == Location.UNKNOWN_BATTERY) {
            body.putNull("battery");
        } else {
            body.put("battery", battery);
        }
        body.put("time", Instant.ofEpochMilli(item.receiveTimeMs()).toString());
        return bytes(body);
    }

    /** POST /escalations (Kadera on-call): the police have not accepted the alert in time. */
    public static byte[] escalation(DispatchItem item, PoliceProfile profile, String reason) {
        ObjectNode body = JSON.createObjectNode();
        body.put("alertId", item.alertId().toString());
        body.put("reason", reason);
        body.set("alert", readTree(alert(item, profile)));
        return bytes(body);
    }

    private static void press(ObjectNode press, DispatchItem item) {
        DeviceFrame frame = item.frame();
        press.put("pressId", item.itemId().toString());
        press.put("deviceId", DeviceIds.format(frame.deviceId()));
        press.put("counter", Long.toUnsignedString(frame.counter()));
        // A wrong device clock (before 2020, over a day ahead) never goes out as a date: the receive time
        // does, flagged, so a receiver checking `format: date-time` never refuses a PANIC for it.
        boolean clockWrong = DeviceClock.wrong(frame.deviceTimeMs(), item.receiveTimeMs());
        press.put("deviceTime", Instant.ofEpochMilli(DeviceClock.usableMs(frame.deviceTimeMs(), item.receiveTimeMs()))
                .toString());
        press.put("receiveTime", Instant.ofEpochMilli(item.receiveTimeMs()).toString());
        press.put("delayed", item.delayed());
        if (clockWrong) {
            press.put("deviceClockWrong", true);
        }
        if (item.presses() > 0) {
            press.put("presses", item.presses());
        }
    }

    private static void location(ObjectNode body, DeviceFrame frame) {
        Location location = frame.location();
        body.put("battery", location.batteryPercent() == Location.UNKNOWN_BATTERY ? null : location.batteryPercent());
        if (!location.hasFix()) {
            body.putNull("location");
            return;
        }
        ObjectNode node = body.putObject("location");
        node.put("latitude", location.latitude());
        node.put("longitude", location.longitude());
        if (location.accuracyM() != Location.UNKNOWN_U16) {
            node.put("accuracyM", location.accuracyM());
        }
        if (location.fixAgeS() != Location.UNKNOWN_U16) {
            node.put("fixAgeS", location.fixAgeS());
        }
        node.put("source", location.source() < SOURCES.length ? SOURCES[location.source()] : "unknown");
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("an ObjectNode always serialises", e);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("our own JSON always parses", e);
        }
    }
}
