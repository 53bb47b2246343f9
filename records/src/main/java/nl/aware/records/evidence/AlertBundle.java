package nl.aware.records.evidence;

import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.LogRecord;
import nl.aware.core.log.VerifyResult;
import nl.aware.core.pki.CertificateDer;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.pki.Pem;
import nl.aware.core.pki.PkiException;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameType;
import nl.aware.records.audio.RecordedStream;
import nl.aware.records.audio.Recordings;
import nl.aware.records.history.AlertHistoryReader;
import nl.aware.records.history.AlertMembership;
import nl.aware.records.report.FollowUpReport;
import nl.aware.records.retention.HeldFrames;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything needed to verify one alert offline, taken from a log (docs/evidence.md): the contiguous
 * range of records from the alert's press to its last record, with complete bodies (other devices'
 * frames stay sealed) and on to the first signed checkpoint after it when there is one, the alert's signed
 * device frames in clear, the device certificate and the CA
 * certificate. Held in memory as named files; {@link #write} puts them in a zip or a directory.
 */
public final class AlertBundle {
    private final UUID alertId;
    private final long deviceId;
    private final long firstSequence;
    private final long lastSequence;
    private final long checkpointSequence;
    private final int alertRecords;
    private final int frames;
    private final Map<String, byte[]> files;

    private AlertBundle(UUID alertId, long deviceId, long firstSequence, long lastSequence, long checkpointSequence,
                        int alertRecords, int frames, Map<String, byte[]> files) {
        this.checkpointSequence = checkpointSequence;
        this.alertId = alertId;
        this.deviceId = deviceId;
        this.firstSequence = firstSequence;
        this.lastSequence = lastSequence;
        this.alertRecords = alertRecords;
        this.frames = frames;
        this.files = files;
    }

    /** The alert cannot be exported from this log (unknown alert, damaged log, no enrolment). */
    public static final class ExportException extends Exception {
        public ExportException(String message) {
            super(message);
        }
    }

    /** What the first pass over the log learns about the alert. */
    private static final class Scan {
        final Map<Long, LogRecord> enrolments = new java.util.HashMap<>();
        final AlertMembership membership;
        LogRecord press;
        long deviceId;
        LogRecord enrolment;
        /** The carrier's other devices whose frames joined the alert, with their enrolment (null: none known). */
        final Map<Long, LogRecord> otherDevices = new java.util.TreeMap<>();
        boolean closed;
        /** Sequences of the alert's records, with the decrypted frame for FrameAccepted ones. */
        final Map<Long, DeviceFrame> alertRecords = new LinkedHashMap<>();
        final Map<Long, UUID> frameEventIds = new LinkedHashMap<>();
        final Map<Long, Long> receiveTimes = new LinkedHashMap<>();
        EventFormatException failure;
        /** Every checkpoint of the log: its record's sequence → the sequence it signs. */
        final Map<Long, Long> checkpoints = new LinkedHashMap<>();
        long lastSequence;
        byte[] lastHash;

        Scan(AlertMembership membership) {
            this.membership = membership;
        }
    }

    /**
     * Reads the log (read-only, no lock: works while the server runs) and gathers the alert's
     * evidence. {@code keys} open the alert's sealed frames; they are not put in the bundle.
     */
    public static AlertBundle export(Path logDirectory, Path caCertificate, DataKeyRing keys, UUID alertId,
                                     Instant generatedAt) throws IOException, PkiException, ExportException {
        EventCodec codec = new EventCodec(keys);
        HeldFrames held;
        try {
            held = HeldFrames.read(logDirectory, codec);
        } catch (EventFormatException e) {
            throw new ExportException(e.getMessage() + "; nothing exported");
        }
        Scan scan = new Scan(new AlertMembership(alertId, record -> held.decode(codec, record)));
        VerifyResult pass1 = EventLog.read(logDirectory, record -> {
            if (scan.failure == null) {
                try {
                    scan(scan, codec, record);
                } catch (EventFormatException e) {
                    scan.failure = e;
                }
            }
            if (record.type() == EventCodec.CHECKPOINT) {
                scan.checkpoints.put(record.sequence(), BundleFormat.checkpointedSequence(record.payload()));
            }
            scan.lastSequence = record.sequence();
            scan.lastHash = record.hash();
        });
        if (!pass1.intact()) {
            VerifyResult.Problem p = pass1.problem();
            throw new ExportException("the event log in " + logDirectory + " is damaged (" + p.segment() + ", record "
                    + p.sequence() + ": " + p.description() + "); run `aware log verify`; nothing exported");
        }
        if (scan.failure != null) {
            throw new ExportException(scan.failure.getMessage() + "; nothing exported");
        }
        if (scan.press == null) {
            throw new ExportException("no alert " + alertId + " in " + logDirectory
                    + " (an alert id is the event id of the PANIC that opened it)");
        }
        if (scan.enrolment == null) {
            throw new ExportException("device " + DeviceIds.format(scan.deviceId) + " of alert " + alertId
                    + " has no DeviceEnrolled record before the press: its certificate is unknown");
        }
        long first = scan.press.sequence();
        long alertLast = Collections.max(scan.alertRecords.keySet());
        // The range runs on to the first checkpoint that signs the alert's last record, when there is one.
        long anchor = scan.checkpoints.entrySet().stream().filter(c -> c.getValue() >= alertLast)
                .mapToLong(Map.Entry::getKey).min().orElse(-1);
        long last = anchor > 0 ? anchor : alertLast;
        Map<String, Object> checkpoint = new LinkedHashMap<>();

        // Pass 2: the complete bodies of the range, each with the hash of the record before it.
        List<Object> entries = new ArrayList<>();
        byte[][] prev = {null};
        byte[][] prevOfFirst = {first == 1 ? new byte[32] : null};
        byte[][] hashOfLast = {null};
        EventLog.read(logDirectory, record -> {
            long seq = record.sequence();
            if (seq == first - 1) {
                prevOfFirst[0] = record.hash();
            }
            if (seq >= first && seq <= last) {
                byte[] body = BundleFormat.encodeBody(record, prev[0] == null ? prevOfFirst[0] : prev[0]);
                if (!java.util.Arrays.equals(BundleFormat.sha256(body), record.hash())) {
                    throw new IllegalStateException("record " + seq + " does not re-encode to its hash");
                }
                entries.add(BundleFormat.recordEntry(body, scan.alertRecords.containsKey(seq)));
                if (seq == anchor) {
                    checkpoint.putAll(BundleFormat.checkpointEntry(record));
                }
                prev[0] = record.hash();
                if (seq == last) {
                    hashOfLast[0] = record.hash();
                }
            }
        });
        if (entries.size() != last - first + 1) {
            throw new ExportException("the event log changed during the export (records " + first + ".." + last
                    + " not all read again); try again");
        }

        List<Object> frameEntries = new ArrayList<>();
        List<Event.FrameAccepted> alertFrames = new ArrayList<>();
        boolean firstFrame = true;
        for (Map.Entry<Long, DeviceFrame> e : scan.alertRecords.entrySet()) {
            if (e.getValue() != null) {
                alertFrames.add(new Event.FrameAccepted(scan.frameEventIds.get(e.getKey()),
                        scan.receiveTimes.get(e.getKey()), e.getValue()));
                frameEntries.add(BundleFormat.frameEntry(e.getKey(), scan.frameEventIds.get(e.getKey()),
                        BundleFormat.role(e.getValue(), firstFrame), e.getValue()));
                firstFrame = false;
            }
        }

        X509Certificate deviceCert;
        try {
            deviceCert = CertificateDer.parse(enrolledCertificate(codec, scan.enrolment));
        } catch (CertificateException e) {
            throw new ExportException("the DeviceEnrolled record " + scan.enrolment.sequence()
                    + " holds no readable certificate: " + e.getMessage());
        }
        X509Certificate ca = Pem.readCertificate(caCertificate);

        Map<String, byte[]> files = new LinkedHashMap<>();
        List<Map<String, Object>> otherDevices = new ArrayList<>();
        for (Map.Entry<Long, LogRecord> other : scan.otherDevices.entrySet()) {
            if (other.getValue() == null) {
                throw new ExportException("device " + DeviceIds.format(other.getKey()) + " pressed on alert " + alertId
                        + " but has no DeviceEnrolled record before it: its certificate is unknown");
            }
            X509Certificate certificate;
            try {
                certificate = CertificateDer.parse(enrolledCertificate(codec, other.getValue()));
            } catch (CertificateException e) {
                throw new ExportException("the DeviceEnrolled record " + other.getValue().sequence()
                        + " holds no readable certificate: " + e.getMessage());
            }
            String file = BundleFormat.otherDeviceCert(other.getKey());
            files.put(file, utf8(Pem.encode(certificate)));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("deviceId", DeviceIds.format(other.getKey()));
            entry.put("certificate", file);
            entry.put("certificateFromRecord", other.getValue().sequence());
            otherDevices.add(entry);
        }
        files.put(BundleFormat.RECORDS, utf8(Json.write(Map.of("records", entries))));
        files.put(BundleFormat.FRAMES, utf8(Json.write(Map.of("frames", frameEntries))));
        files.put(BundleFormat.DEVICE_CERT, utf8(Pem.encode(deviceCert)));
        files.put(BundleFormat.CA_CERT, utf8(Pem.encode(ca)));
        files.put(BundleFormat.README, utf8(readme(alertId, first, last)));
        // Each Opus stream of the alert as an Ogg Opus file, rebuilt by the verifier from the signed frames.
        List<Object> recordings = new ArrayList<>();
        for (RecordedStream stream : Recordings.of(alertFrames)) {
            recordings.add(BundleFormat.recordingEntry(stream));
            if (stream.opus()) {
                files.put(Recordings.fileName(stream), BundleFormat.recordingFile(alertId, stream));
            }
        }
        files.putAll(followUpReports(logDirectory, keys, ca, alertId, generatedAt));

        Map<String, Object> range = new LinkedHashMap<>();
        range.put("firstSequence", first);
        range.put("lastSequence", last);
        range.put("prevHashOfFirst", BundleFormat.HEX.formatHex(prevOfFirst[0]));
        range.put("hashOfLast", BundleFormat.HEX.formatHex(hashOfLast[0]));
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("sequence", scan.lastSequence);
        head.put("hash", BundleFormat.HEX.formatHex(scan.lastHash));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", BundleFormat.FORMAT);
        manifest.put("formatVersion", anchor > 0 ? BundleFormat.VERSION_ANCHORED : BundleFormat.VERSION);
        manifest.put("alertId", alertId.toString());
        manifest.put("deviceId", DeviceIds.format(scan.deviceId));
        manifest.put("generatedAt", generatedAt.toString());
        manifest.put("generatedBy", "aware log export");
        manifest.put("alertClosed", scan.closed);
        manifest.put("range", range);
        if (anchor > 0) {
            manifest.put("checkpoint", checkpoint);
        }
        manifest.put("logHeadAtExport", head);
        manifest.put("deviceCertificateFromRecord", scan.enrolment.sequence());
        if (!otherDevices.isEmpty()) {
            manifest.put("otherDevices", otherDevices); // the carrier's other devices whose presses joined the alert
        }
        if (!recordings.isEmpty()) {
            manifest.put("recordings", recordings);
        }
        manifest.put("files", BundleFiles.digests(files));
        Map<String, byte[]> all = new LinkedHashMap<>();
        all.put(BundleFormat.MANIFEST, utf8(Json.write(manifest)));
        all.putAll(files);
        return new AlertBundle(alertId, scan.deviceId, first, last, anchor, scan.alertRecords.size(),
                frameEntries.size(), all);
    }

    /**
     * The follow-up reports (both languages, HTML and PDF) go in as ordinary bundle files: the manifest lists
     * their digests, so the verifier checks them like every other file (docs/evidence.md).
     */
    private static Map<String, byte[]> followUpReports(Path logDirectory, DataKeyRing keys, X509Certificate ca,
                                                       UUID alertId, Instant generatedAt) throws IOException,
            ExportException {
        try {
            return FollowUpReport.all(AlertHistoryReader.read(logDirectory, keys, ca, alertId), generatedAt);
        } catch (AlertHistoryReader.AlertNotFoundException e) {
            throw new ExportException("the follow-up report could not be made: " + e.getMessage());
        }
    }

    private static byte[] enrolledCertificate(EventCodec codec, LogRecord enrolment) {
        try {
            return ((Event.DeviceEnrolled) codec.decode(enrolment)).certificateDer();
        } catch (EventFormatException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static void scan(Scan scan, EventCodec codec, LogRecord record) throws EventFormatException {
        if (record.type() == EventCodec.DEVICE_ENROLLED) { // also later: another device of the carrier may join
            scan.enrolments.put(((Event.DeviceEnrolled) codec.decode(record)).deviceId(), record);
            return;
        }
        Event event = scan.membership.offer(record);
        if (event == null) {
            return;
        }
        if (scan.press == null) {
            if (scan.membership.pressType() != FrameType.PANIC) {
                throw new EventFormatException(record.sequence(), "event " + scan.membership.alertId()
                        + " is a TEST frame: test alarms are not alerts and are not exported as evidence");
            }
            scan.press = record;
            scan.deviceId = scan.membership.deviceId();
            scan.enrolment = scan.enrolments.get(scan.deviceId);
        }
        if (event instanceof Event.FrameAccepted accepted) {
            long device = accepted.frame().deviceId();
            if (device != scan.deviceId && !scan.otherDevices.containsKey(device)) {
                scan.otherDevices.put(device, scan.enrolments.get(device));
            }
            scan.alertRecords.put(record.sequence(), accepted.frame());
            scan.frameEventIds.put(record.sequence(), accepted.eventId());
            scan.receiveTimes.put(record.sequence(), accepted.receiveTimeMs());
        } else {
            scan.alertRecords.put(record.sequence(), null);
        }
        scan.closed = scan.membership.closed();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String readme(UUID alertId, long first, long last) {
        return """
                AWARE evidence bundle for alert %s
                ==================================================================

                What this is: the records of the AWARE event log for one alert (log records %d to %d,
                complete and contiguous), the signed frames the carrier's device sent (press, locations,
                cancel, recorded sound), the device certificate and the certificate authority (CA) that
                issued it.

                How to verify (no server and no keys needed):

                    aware log verify-bundle --bundle <this zip or directory> [--trust-ca kadera-ca.pem]

                It prints "bundle OK" with a summary, or "bundle DAMAGED" naming the first file and
                record that is wrong. Exit code 0 = verified, 1 = damaged.

                Compare the CA fingerprint it prints with the one Kadera publishes (or pass that CA
                with --trust-ca): the signatures prove the frames came from a device certified by that CA.

                Verifying by hand (any software): every record in records.json has its body in hex;
                SHA-256(body) must equal its "hash", and bytes 17..48 of each body (prevHash) must equal
                the "hash" of the record before it. Each frame in frames.json ("wire", hex) is
                u16 length | body; the last 64 bytes of the body are an ECDSA P-256 signature (r||s) over
                SHA-256 of the rest of the body, made with the key of the certificate in device.pem.
                The format is described in full in docs/evidence.md of the AWARE source.

                Files: manifest.json (what is here, with SHA-256 of each file), records.json,
                frames.json, device.pem, ca.pem, this README.txt, and the follow-up report of the
                alert in Dutch and English (report-nl.html, report-nl.pdf, report-en.html,
                report-en.pdf): a reading aid made from the same records at export, covered by the
                manifest's digests like every other file. Recorded sound, when there is any, is in
                recording-<device>-<stream>.opus (Ogg Opus, plays in VLC, Firefox, Chrome): each file
                is rebuilt by the verifier from the device-signed AUDIO frames in frames.json and must be
                identical; a missing frame is a listed gap, played as a short concealed dropout.

                The bundle holds the carrier's locations: keep it as confidential as the case file.
                """.formatted(alertId, first, last);
    }

    /**
     * Writes the bundle: a zip file when {@code out} ends in ".zip", else a new directory. Never
     * overwrites: an existing zip or a non-empty directory is refused.
     */
    public void write(Path out) throws IOException {
        BundleFiles.write(files, out);
    }

    /** The bundle as one zip file in memory, as {@link #write} puts it on disk (e.g. to serve it). */
    public byte[] zip() throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        BundleFiles.zip(files, out);
        return out.toByteArray();
    }

    public UUID alertId() {
        return alertId;
    }

    public long deviceId() {
        return deviceId;
    }

    public long firstSequence() {
        return firstSequence;
    }

    public long lastSequence() {
        return lastSequence;
    }

    /** The record of the signed checkpoint that ends the range, or -1 when no checkpoint covers the alert yet. */
    public long checkpointSequence() {
        return checkpointSequence;
    }

    /** Records of the alert itself in the range (the rest of the range belongs to others). */
    public int alertRecords() {
        return alertRecords;
    }

    public int frames() {
        return frames;
    }

    /** The bundle's files by name, in writing order (manifest first). */
    public Map<String, byte[]> files() {
        return Collections.unmodifiableMap(files);
    }
}
