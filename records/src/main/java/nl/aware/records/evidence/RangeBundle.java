package nl.aware.records.evidence;

import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.VerifyResult;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.pki.PkiException;
import nl.aware.core.protocol.FrameType;
import nl.aware.records.retention.HeldFrames;
import nl.aware.core.state.OpenAlarms;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Every alert whose opening press was received in {@code [from, to)}, as one container of per-alert bundles
 * (docs/evidence.md, "Time-range export"): each {@code alert-<id>.zip} inside is exactly what
 * {@code aware log export --alert} writes, so any one of them can be handed on and verified alone.
 */
public final class RangeBundle {
    static final String FORMAT = "aware-range-bundle";
    static final long VERSION = 1;

    private final List<AlertBundle> alerts;
    private final int purgedFrames;
    private final Map<String, byte[]> files;

    private RangeBundle(List<AlertBundle> alerts, int purgedFrames, Map<String, byte[]> files) {
        this.alerts = alerts;
        this.purgedFrames = purgedFrames;
        this.files = files;
    }

    /** An opening press: the alert id, its device and when the server received it. */
    record Press(UUID alertId, long deviceId, long receiveTimeMs) {
    }

    /**
     * Reads the log (read-only, no lock) for the presses that opened alerts in {@code [from, to)} and exports
     * each alert. An empty range is not an error: the container then says so.
     */
    public static RangeBundle export(Path logDirectory, Path caCertificate, DataKeyRing keys, Instant from, Instant to,
                                     Instant generatedAt) throws IOException, PkiException, AlertBundle.ExportException {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("--from " + from + " must be before --to " + to);
        }
        List<String> purged = new ArrayList<>();
        List<Press> presses = opened(logDirectory, keys, from.toEpochMilli(), to.toEpochMilli(), purged);
        List<AlertBundle> bundles = new ArrayList<>();
        List<Object> listed = new ArrayList<>();
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Press press : presses) {
            AlertBundle bundle = AlertBundle.export(logDirectory, caCertificate, keys, press.alertId(), generatedAt);
            bundles.add(bundle);
            String name = fileName(press.alertId());
            byte[] zip = zip(bundle.files());
            files.put(name, zip);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("alertId", press.alertId().toString());
            item.put("deviceId", DeviceIds.format(press.deviceId()));
            item.put("pressReceived", Instant.ofEpochMilli(press.receiveTimeMs()).toString());
            item.put("file", name);
            item.put("anchoredByCheckpoint", bundle.checkpointSequence() > 0);
            listed.add(item);
        }
        files.put(BundleFormat.README, (readme(from, to, presses.size())).getBytes(StandardCharsets.UTF_8));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", FORMAT);
        manifest.put("formatVersion", VERSION);
        manifest.put("from", from.toString());
        manifest.put("to", to.toString());
        manifest.put("selection", "every alert whose opening PANIC was received at or after 'from' and before 'to'");
        manifest.put("generatedAt", generatedAt.toString());
        manifest.put("generatedBy", "aware log export --from --to");
        manifest.put("alerts", listed);
        // The exporter's statement: frames of the range whose key the retention purge destroyed (not held).
        manifest.put("purgedFrames", (long) purged.size());
        manifest.put("purgedNote", String.join("; ", new java.util.TreeSet<>(purged)));
        manifest.put("files", BundleFiles.digests(files));
        Map<String, byte[]> all = new LinkedHashMap<>();
        all.put(BundleFormat.MANIFEST, Json.write(manifest).getBytes(StandardCharsets.UTF_8));
        all.putAll(files);
        return new RangeBundle(Collections.unmodifiableList(bundles), purged.size(), all);
    }

    /** The presses that opened an alert, by the same rule as the server's {@link OpenAlarms}. */
    static List<Press> opened(Path logDirectory, DataKeyRing keys, long fromMs, long toMs, List<String> unreadable)
            throws IOException, AlertBundle.ExportException {
        EventCodec codec = new EventCodec(keys);
        HeldFrames held;
        try {
            held = HeldFrames.read(logDirectory, codec);
        } catch (EventFormatException e) {
            throw new AlertBundle.ExportException(e.getMessage() + "; nothing exported");
        }
        OpenAlarms open = new OpenAlarms();
        List<Press> found = new ArrayList<>();
        EventFormatException[] failure = {null};
        VerifyResult read = EventLog.read(logDirectory, record -> {
            if (failure[0] != null) {
                return;
            }
            try {
                if (record.type() == EventCodec.FRAME_ACCEPTED) {
                    Event decoded = held.decode(codec, record);
                    if (decoded instanceof Event.FramePurged purged && purged.receiveTimeMs() >= fromMs
                            && purged.receiveTimeMs() < toMs) {
                        unreadable.add(purged.note());
                    }
                    if (decoded instanceof Event.FrameAccepted accepted
                            && accepted.frame().type() == FrameType.PANIC) {
                        long device = accepted.frame().deviceId();
                        OpenAlarms.Alarm alarm = open.press(device, accepted.eventId(), accepted.receiveTimeMs());
                        if (alarm.alertId().equals(accepted.eventId()) && accepted.receiveTimeMs() >= fromMs
                                && accepted.receiveTimeMs() < toMs) {
                            found.add(new Press(accepted.eventId(), device, accepted.receiveTimeMs()));
                        }
                    }
                } else if (record.type() == EventCodec.ALERT_STATUS_REPORTED
                        && codec.decode(record) instanceof Event.AlertStatusReported status
                        && status.status() == AlertStatus.CLOSED) {
                    open.close(status.alertId());
                }
            } catch (EventFormatException e) {
                failure[0] = e;
            }
        });
        if (!read.intact()) {
            VerifyResult.Problem p = read.problem();
            throw new AlertBundle.ExportException("the event log in " + logDirectory + " is damaged (" + p.segment()
                    + ", record " + p.sequence() + ": " + p.description() + "); run `aware log verify`; nothing exported");
        }
        if (failure[0] != null) {
            throw new AlertBundle.ExportException(failure[0].getMessage() + "; nothing exported");
        }
        return found;
    }

    static String fileName(UUID alertId) {
        return "alert-" + alertId + ".zip";
    }

    private static byte[] zip(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BundleFiles.zip(files, bytes);
        return bytes.toByteArray();
    }

    private static String readme(Instant from, Instant to, int count) {
        return """
                AWARE evidence for a time range
                ===============================

                Every alert whose opening press the AWARE server received from %s (inclusive)
                to %s (exclusive): %d alert(s). Each alert-<id>.zip is a complete evidence bundle of
                one alert, exactly as `aware log export --alert <id>` writes it, and can be handed on
                and verified on its own.

                How to verify (no server and no keys needed):

                    aware log verify-bundle --bundle <this zip or directory> [--trust-ca kadera-ca.pem]

                checks every alert bundle in it (records, chain, device signatures, certificates, the
                signed checkpoint when there is one), that each press lies in the range, and the SHA-256
                of every file listed in manifest.json. The list of alerts is the exporter's statement:
                that no alert of the range is missing cannot be proven without the log itself.
                The format is described in docs/evidence.md of the AWARE source.

                The bundles hold the carriers' locations: keep this as confidential as the case files.
                """.formatted(from, to, count);
    }

    /** Writes a zip file (name ending in .zip) or a new directory; never overwrites. */
    public void write(Path out) throws IOException {
        BundleFiles.write(files, out);
    }

    /** Frames received in the range that the retention purge made unreadable (their alerts cannot be listed). */
    public int purgedFrames() {
        return purgedFrames;
    }

    public List<AlertBundle> alerts() {
        return alerts;
    }

    public Map<String, byte[]> files() {
        return Collections.unmodifiableMap(files);
    }

    // ------------------------------------------------------------------------------------------ verification

    static boolean isRange(Map<String, byte[]> files) {
        byte[] manifest = files.get(BundleFormat.MANIFEST);
        if (manifest == null) {
            return false;
        }
        try {
            return Json.parse(new String(manifest, StandardCharsets.UTF_8)) instanceof Map<?, ?> m
                    && FORMAT.equals(m.get("format"));
        } catch (Json.JsonException e) {
            return false;
        }
    }

    /** Checks the container: each alert bundle in full, each press in the range, then the digests. */
    @SuppressWarnings("unchecked")
    static BundleVerifier.Result verify(BundleVerifier verifier, Map<String, byte[]> files) throws BundleVerifier.Damaged {
        String file = BundleFormat.MANIFEST;
        Map<String, Object> manifest;
        try {
            manifest = (Map<String, Object>) Json.parse(new String(files.get(file), StandardCharsets.UTF_8));
        } catch (Json.JsonException | ClassCastException e) {
            throw new BundleVerifier.Damaged(file, -1, "is not a JSON object");
        }
        if (!Long.valueOf(VERSION).equals(manifest.get("formatVersion"))) {
            throw new BundleVerifier.Damaged(file, -1, "format version " + manifest.get("formatVersion")
                    + " of a range bundle is not known to this verifier (" + VERSION + ")");
        }
        Instant from = instant(manifest, "from");
        Instant to = instant(manifest, "to");
        if (!from.isBefore(to)) {
            throw new BundleVerifier.Damaged(file, -1, "from " + from + " is not before to " + to);
        }
        if (!(manifest.get("alerts") instanceof List<?> alerts)) {
            throw new BundleVerifier.Damaged(file, -1, "alerts must be a JSON array");
        }
        List<String> summary = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> alertFiles = new HashSet<>();
        int anchored = 0;
        long previousPress = Long.MIN_VALUE;
        for (Object item : alerts) {
            if (!(item instanceof Map<?, ?> entry) || !(entry.get("file") instanceof String name)
                    || !(entry.get("alertId") instanceof String alertId)) {
                throw new BundleVerifier.Damaged(file, -1, "each alert needs alertId and file");
            }
            if (!name.equals(fileName(uuid(alertId))) || !seen.add(alertId)) {
                throw new BundleVerifier.Damaged(file, -1, "alert " + alertId + " is listed twice or under another file name");
            }
            byte[] zip = files.get(name);
            if (zip == null) {
                throw new BundleVerifier.Damaged(name, -1, "is listed in the manifest but missing from the bundle");
            }
            alertFiles.add(name);
            Map<String, byte[]> inner = BundleVerifier.readZip(zip, name);
            BundleVerifier.Result result = verifier.check(inner);
            if (!result.ok()) {
                BundleVerifier.Problem p = result.problem();
                throw new BundleVerifier.Damaged(name + "/" + p.file(), p.sequence(), p.description());
            }
            Map<String, Object> innerManifest;
            try {
                innerManifest = (Map<String, Object>) Json.parse(new String(inner.get(BundleFormat.MANIFEST),
                        StandardCharsets.UTF_8));
            } catch (Json.JsonException e) {
                throw new BundleVerifier.Damaged(name + "/" + BundleFormat.MANIFEST, -1, e.getMessage());
            }
            if (!alertId.equals(innerManifest.get("alertId"))) {
                throw new BundleVerifier.Damaged(name, -1, "holds alert " + innerManifest.get("alertId")
                        + ", the manifest lists it as " + alertId);
            }
            long press = pressReceived(inner, name);
            boolean isAnchored = Long.valueOf(BundleFormat.VERSION_ANCHORED).equals(innerManifest.get("formatVersion"));
            if (press < from.toEpochMilli() || press >= to.toEpochMilli()) {
                throw new BundleVerifier.Damaged(name, -1, "the press was received at " + Instant.ofEpochMilli(press)
                        + ", outside the range " + from + " .. " + to);
            }
            if (press < previousPress) {
                throw new BundleVerifier.Damaged(file, -1, "alerts must be listed in the order of their presses");
            }
            previousPress = press;
            Object statedPress = entry.get("pressReceived");
            Object statedAnchor = entry.get("anchoredByCheckpoint");
            if (!Instant.ofEpochMilli(press).toString().equals(statedPress) || !Boolean.valueOf(isAnchored).equals(statedAnchor)) {
                throw new BundleVerifier.Damaged(file, -1, "alert " + alertId + ": pressReceived or anchoredByCheckpoint "
                        + "does not match its bundle");
            }
            if (isAnchored) {
                anchored++;
            }
            summary.add("alert " + alertId + ", press received " + Instant.ofEpochMilli(press) + ": bundle OK"
                    + (isAnchored ? ", anchored by a signed checkpoint" : ", NOT anchored by a checkpoint"));
        }
        BundleVerifier.digests(files, manifest, file);
        for (String name : files.keySet()) {
            if (name.startsWith("alert-") && !alertFiles.contains(name)) {
                throw new BundleVerifier.Damaged(name, -1, "is an alert bundle the manifest's alerts do not list");
            }
        }
        summary.add(0, alerts.size() + " alert(s) whose press was received from " + from + " to " + to + " (exclusive): "
                + "every bundle verified, " + anchored + " anchored by a signed checkpoint; that none is missing is the "
                + "exporter's statement");
        if (manifest.get("purgedFrames") instanceof Long purged && purged > 0) {
            summary.add(1, "the exporter states that " + purged + " frame(s) of the range could not be read: "
                    + manifest.get("purgedNote") + " (alerts among them cannot be listed)");
        }
        return new BundleVerifier.Result(true, summary, null);
    }

    /** The press's receive time, from the first record's body (verified by then). */
    private static long pressReceived(Map<String, byte[]> inner, String name) throws BundleVerifier.Damaged {
        try {
            Map<?, ?> records = (Map<?, ?>) Json.parse(new String(inner.get(BundleFormat.RECORDS), StandardCharsets.UTF_8));
            Map<?, ?> first = (Map<?, ?>) ((List<?>) records.get("records")).get(0);
            byte[] body = BundleFormat.HEX.parseHex((String) first.get("body"));
            return BundleFormat.acceptedHeader(BundleFormat.parseBody(body).payload()).receiveTimeMs();
        } catch (Json.JsonException | RuntimeException e) {
            throw new BundleVerifier.Damaged(name + "/" + BundleFormat.RECORDS, -1, "the press record is not readable");
        }
    }

    private static Instant instant(Map<String, Object> manifest, String key) throws BundleVerifier.Damaged {
        try {
            return Instant.parse((String) manifest.get(key));
        } catch (RuntimeException e) {
            throw new BundleVerifier.Damaged(BundleFormat.MANIFEST, -1, key + " is not an ISO instant");
        }
    }

    private static UUID uuid(String text) throws BundleVerifier.Damaged {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new BundleVerifier.Damaged(BundleFormat.MANIFEST, -1, "\"" + text + "\" is not an alert id");
        }
    }
}
