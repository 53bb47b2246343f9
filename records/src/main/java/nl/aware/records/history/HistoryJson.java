package nl.aware.records.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.Region;
import nl.aware.core.pki.DeviceIds;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The JSON form of alert histories and list rows, for the staff API: field names in camelCase, times
 * as ISO-8601 UTC text, durations in milliseconds, device ids as 16 hex digits, enums as lower-case
 * labels, unknown values as null. Written as a tree so that the JSON stays the same when the Java
 * records change shape.
 */
public final class HistoryJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private HistoryJson() {
    }

    public static ObjectNode summary(AlertSummary a) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("alertId", a.alertId().toString());
        o.put("deviceId", DeviceIds.format(a.deviceId()));
        o.put("carrierId", text(a.carrierId()));
        o.put("region", region(a.region()));
        o.put("pressTime", time(a.pressTime()));
        o.put("deviceTime", deviceTime(a.deviceTime(), a.pressTime()));
        o.put("type", a.type().label());
        o.put("presses", a.presses());
        o.put("state", a.state().label());
        o.put("closed", a.closed());
        o.put("escalated", a.escalated());
        o.put("pressSequence", a.pressSequence());
        o.put("lastSequence", a.lastSequence());
        return o;
    }

    /** {@code {"alerts": [...], "count": n}} */
    public static ObjectNode list(List<AlertSummary> alerts) {
        ObjectNode o = MAPPER.createObjectNode();
        ArrayNode rows = o.putArray("alerts");
        alerts.forEach(a -> rows.add(summary(a)));
        o.put("count", alerts.size());
        return o;
    }

    public static ObjectNode history(AlertHistory h) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("alertId", h.alertId().toString());
        o.put("type", h.type().label());
        o.put("deviceId", DeviceIds.format(h.deviceId()));
        o.put("region", region(h.region()));
        o.put("closed", h.closed());
        if (h.carrier() == null) {
            o.putNull("carrier");
        } else {
            ObjectNode c = o.putObject("carrier");
            c.put("carrierId", h.carrier().carrierId().toString());
            c.put("region", region(h.carrier().region()));
            CarrierProfile p = h.carrier().profile();
            c.put("name", p.name());
            c.put("phone", p.phone());
            c.put("photoReference", p.photoReference());
            c.put("threatDescription", p.threatDescription());
            c.put("aggressorDescription", p.aggressorDescription());
            c.put("policeNotes", p.policeNotes());
        }
        o.set("press", press(h.press()));
        ArrayNode repeats = o.putArray("repeatedPresses");
        h.repeatedPresses().forEach(p -> repeats.add(press(p)));
        ArrayNode track = o.putArray("track");
        for (AlertHistory.TrackPoint t : h.track()) {
            ObjectNode p = track.addObject();
            p.put("record", t.sequence());
            p.put("eventId", t.eventId().toString());
            p.put("kind", t.kind().toLowerCase(java.util.Locale.ROOT));
            p.put("deviceTime", deviceTime(t.deviceTime(), t.receiveTime()));
            p.put("receiveTime", time(t.receiveTime()));
            p.put("hasFix", t.hasFix());
            if (t.hasFix()) {
                p.put("latitude", t.latitude());
                p.put("longitude", t.longitude());
            } else {
                p.putNull("latitude");
                p.putNull("longitude");
            }
            p.put("accuracyM", t.accuracyM());
            p.put("fixAgeS", t.fixAgeS());
            p.put("source", t.source().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            p.put("batteryPercent", t.batteryPercent());
        }
        ArrayNode cancels = o.putArray("cancels");
        for (AlertHistory.Cancel c : h.cancels()) {
            ObjectNode n = cancels.addObject();
            n.put("record", c.sequence());
            n.put("eventId", c.eventId().toString());
            n.put("deviceTime", deviceTime(c.deviceTime(), c.receiveTime()));
            n.put("receiveTime", time(c.receiveTime()));
        }
        ArrayNode deliveries = o.putArray("deliveries");
        for (AlertHistory.DeliveryAttempt d : h.deliveries()) {
            ObjectNode n = deliveries.addObject();
            n.put("record", d.sequence());
            n.put("time", time(d.time()));
            n.put("itemId", d.itemId().toString());
            n.put("item", item(d.item()));
            n.put("target", d.target());
            n.put("attempt", d.attempt());
            n.put("outcome", d.delivered() ? "delivered" : "failed");
            n.put(d.delivered() ? "reference" : "problem", d.detail());
        }
        ArrayNode escalations = o.putArray("escalations");
        for (AlertHistory.Escalation e : h.escalations()) {
            ObjectNode n = escalations.addObject();
            n.put("record", e.sequence());
            n.put("time", time(e.time()));
            n.put("sincePressMs", millis(Duration.between(h.press().receiveTime(), e.time())));
            n.put("route", e.route());
            n.put("reason", e.reason());
        }
        ArrayNode shed = o.putArray("workShed");
        for (AlertHistory.Shed s : h.shed()) {
            ObjectNode n = shed.addObject();
            n.put("record", s.sequence());
            n.put("time", time(s.time()));
            n.put("itemId", s.itemId().toString());
            n.put("item", item(s.item()));
            n.put("reason", s.reason());
        }
        ArrayNode lifecycle = o.putArray("lifecycle");
        for (AlertHistory.LifecycleStep s : h.lifecycle()) {
            ObjectNode n = lifecycle.addObject();
            n.put("record", s.sequence());
            n.put("time", time(s.time()));
            n.put("status", s.status().label());
            n.put("sincePressMs", millis(s.sincePress()));
            n.put("incidentReference", s.incidentReference());
            n.put("reporter", s.reporter());
        }
        o.set("verification", verification(h.verification()));
        ArrayNode recordings = o.putArray("recordings");
        for (AlertHistory.Recording r : h.recordings()) {
            ObjectNode n = recordings.addObject();
            n.put("deviceId", DeviceIds.format(r.deviceId()));
            n.put("streamId", Long.toUnsignedString(r.streamId()));
            n.put("kind", r.press() ? "press" : "listen");
            n.put("requestedBy", r.requestedBy());
            n.put("start", time(r.start()));
            n.put("receivedMs", r.received().toMillis());
            n.put("frames", r.frames());
            ArrayNode gaps = n.putArray("gaps");
            r.gaps().forEach(g -> gaps.addObject().put("fromSeq", g.fromSeq()).put("toSeq", g.toSeq()));
            n.put("endedByDevice", r.ended());
        }
        ArrayNode listens = o.putArray("listenRequests");
        for (AlertHistory.ListenRequest l : h.listens()) {
            ObjectNode n = listens.addObject();
            n.put("record", l.sequence());
            n.put("time", time(l.time()));
            n.put("by", l.by());
            n.put("deviceId", DeviceIds.format(l.deviceId()));
            n.put("seconds", l.seconds());
        }
        ArrayNode listened = o.putArray("listeningSessions");
        for (AlertHistory.ListeningSession l : h.listened()) {
            ObjectNode n = listened.addObject();
            n.put("record", l.sequence());
            n.put("start", time(l.start()));
            n.put("operator", l.operator());
            n.put("deviceId", DeviceIds.format(l.deviceId()));
            n.put("joined", l.joined());
            n.put("end", l.end() == null ? null : time(l.end()));
            n.put("endReason", l.endReason());
        }
        return o;
    }

    private static ObjectNode press(AlertHistory.Press p) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("record", p.sequence());
        n.put("eventId", p.eventId().toString());
        n.put("counter", p.counter());
        if (p.deviceClockWrong()) {
            // Not a usable time (and too far off for a difference in ms): the receive time, flagged.
            n.put("deviceTime", time(p.receiveTime()));
            n.put("receiveTime", time(p.receiveTime()));
            n.putNull("clockDifferenceMs");
            n.put("deviceClockWrong", true);
        } else {
            n.put("deviceTime", time(p.deviceTime()));
            n.put("receiveTime", time(p.receiveTime()));
            n.put("clockDifferenceMs", millis(p.clockDifference()));
        }
        n.put("delayed", p.delayed());
        return n;
    }

    private static ObjectNode verification(AlertHistory.Verification v) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("verified", v.verified());
        ObjectNode chain = n.putObject("chain");
        AlertHistory.ChainCheck c = v.chain();
        chain.put("intact", c.intact());
        chain.put("firstRecord", c.firstSequence());
        chain.put("lastRecord", c.lastSequence());
        chain.put("alertRecords", c.alertRecords());
        chain.put("logRecordsChecked", c.logRecords());
        if (c.intact()) {
            chain.putNull("badRecord");
        } else {
            chain.put("badRecord", c.badSequence());
        }
        chain.put("segment", c.badSegment());
        chain.put("problem", c.problem());
        chain.put("tornTailBytes", c.tornTailBytes());
        ObjectNode sig = n.putObject("signatures");
        AlertHistory.SignatureCheck s = v.signatures();
        sig.put("frames", s.frames());
        sig.put("verified", s.verifiedFrames());
        ArrayNode failed = sig.putArray("failedRecords");
        s.failedRecords().forEach(failed::add);
        sig.put("certificateSubject", s.certificateSubject());
        sig.put("certificateSerial", s.certificateSerial());
        if (s.issuedByCa() == null) {
            sig.putNull("issuedByCa");
        } else {
            sig.put("issuedByCa", s.issuedByCa());
        }
        AlertHistory.AnchorCheck a = v.anchor();
        if (a.checked()) {
            ObjectNode anchor = n.putObject("checkpoint");
            anchor.put("anchored", a.anchored());
            anchor.put("checkpointRecord", a.checkpointRecord());
            anchor.put("signedUpToRecord", a.signedSequence());
            anchor.put("signedAt", time(a.signedAt()));
            anchor.put("signer", a.signer());
            anchor.put("problem", a.problem());
        }
        return n;
    }

    /** Pretty-printed text of a node. */
    public static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static String item(AlertHistory.ItemKind kind) {
        return kind == null ? null : kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** A device time as the rule of {@link nl.aware.core.protocol.DeviceClock} allows it out: else the receive time. */
    private static String deviceTime(Instant device, Instant receive) {
        if (device == null || receive == null) {
            return time(device);
        }
        return time(Instant.ofEpochMilli(nl.aware.core.protocol.DeviceClock.usableMs(device.toEpochMilli(),
                receive.toEpochMilli())));
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    private static long millis(Duration d) {
        return d.toMillis();
    }

    private static String text(UUID id) {
        return id == null ? null : id.toString();
    }

    private static String region(Region r) {
        return r == null ? null : r.label();
    }
}
