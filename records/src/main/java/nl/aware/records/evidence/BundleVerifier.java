package nl.aware.records.evidence;

import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.crypto.SealedDataException;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.EventCodec;
import nl.aware.core.pki.CertificateDer;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.protocol.Adp;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameFormatException;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.FrameVerifier;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Verifies an alert bundle written by {@link AlertBundle} on its own: no server, no log, no keys
 * (docs/evidence.md says exactly what that proves). Stops at the first problem and names the file,
 * the record and what is wrong. Data keys, when given, add one check: each clear frame is byte for
 * byte the one sealed in its record.
 */
public final class BundleVerifier {
    private static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

    /** The first thing wrong with a bundle. {@code sequence} is the log record concerned, or -1. */
    public record Problem(String file, long sequence, String description) {
        @Override
        public String toString() {
            return file + (sequence >= 0 ? ", record " + sequence : "") + ": " + description;
        }
    }

    /** {@code ok} with a summary of what was proven, or the first {@link Problem}. */
    public record Result(boolean ok, List<String> summary, Problem problem) {
    }

    static final class Damaged extends Exception {
        final Problem problem;

        Damaged(String file, long sequence, String description) {
            super(description, null, false, false);
            this.problem = new Problem(file, sequence, description);
        }
    }

    private final X509Certificate trustedCa;
    private final DataKeyRing keys;

    /**
     * @param trustedCa the CA the verifier trusts (e.g. Kadera's published certificate), or null to
     *                  take the bundle's ca.pem and report its fingerprint for comparison
     * @param keys      data keys, or null (the normal case: verification needs none)
     */
    public BundleVerifier(X509Certificate trustedCa, DataKeyRing keys) {
        this.trustedCa = trustedCa;
        this.keys = keys;
    }

    /** Without keys and without a trusted CA: everything is checked against the bundle's own CA. */
    public static Result verify(Path bundle) throws IOException {
        return new BundleVerifier(null, null).check(bundle);
    }

    /** Reads the bundle (a zip file or a directory) and checks it. IOException only when it cannot be read at all. */
    public Result check(Path bundle) throws IOException {
        try {
            Map<String, byte[]> files = read(bundle);
            return RangeBundle.isRange(files) ? RangeBundle.verify(this, files) : new Run(files).run();
        } catch (Damaged d) {
            return new Result(false, List.of(), d.problem);
        }
    }

    /** One alert bundle already read into memory (e.g. from inside a range bundle). */
    Result check(Map<String, byte[]> files) {
        try {
            return new Run(files).run();
        } catch (Damaged d) {
            return new Result(false, List.of(), d.problem);
        }
    }

    // ------------------------------------------------------------------------------------------ files

    static Map<String, byte[]> read(Path bundle) throws IOException, Damaged {
        Map<String, byte[]> files = new TreeMap<>();
        if (Files.isDirectory(bundle)) {
            try (Stream<Path> listing = Files.list(bundle)) {
                for (Path p : (Iterable<Path>) listing::iterator) {
                    String name = p.getFileName().toString();
                    if (!Files.isRegularFile(p)) {
                        throw new Damaged(name, -1, "is not a regular file; a bundle holds files only");
                    }
                    if (Files.size(p) > MAX_FILE_BYTES) {
                        throw new Damaged(name, -1, "is larger than any bundle file can be");
                    }
                    files.put(name, Files.readAllBytes(p));
                }
            }
            return files;
        }
        if (!Files.isRegularFile(bundle)) {
            throw new NoSuchFileException(bundle.toString(), null, "no bundle (zip file or directory) there");
        }
        try (InputStream in = Files.newInputStream(bundle)) {
            return readZip(in, bundle.getFileName().toString());
        }
    }

    static Map<String, byte[]> readZip(byte[] zip, String name) throws Damaged {
        try {
            return readZip(new ByteArrayInputStream(zip), name);
        } catch (IOException e) {
            throw new Damaged(name, -1, "is not a readable zip file: " + e.getMessage());
        }
    }

    private static Map<String, byte[]> readZip(InputStream in, String bundleName) throws IOException, Damaged {
        Map<String, byte[]> files = new TreeMap<>();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String name = entry.getName();
                if (entry.isDirectory() || name.contains("/") || name.contains("\\")) {
                    throw new Damaged(name, -1, "a bundle holds plain files only, no folders");
                }
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                byte[] buffer = new byte[65536];
                int n;
                while ((n = zip.read(buffer)) > 0) {
                    content.write(buffer, 0, n);
                    if (content.size() > MAX_FILE_BYTES) {
                        throw new Damaged(name, -1, "is larger than any bundle file can be");
                    }
                }
                if (files.put(name, content.toByteArray()) != null) {
                    throw new Damaged(name, -1, "appears twice in the zip");
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new Damaged(bundleName, -1, "is not a readable zip file: " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw new Damaged(bundleName, -1, "is not a bundle: no files in it");
        }
        return files;
    }

    // ------------------------------------------------------------------------------------------ checks

    private final class Run {
        final Map<String, byte[]> files;
        UUID alertId;
        long deviceId;
        long first;
        long last;
        final Map<Long, BundleFormat.Body> bodies = new LinkedHashMap<>();
        final Map<Long, Boolean> ofAlert = new HashMap<>();
        X509Certificate deviceCert;
        /** The carrier's other devices whose presses joined the alert: their certificate files and certificates. */
        final Map<Long, String> otherDeviceFiles = new LinkedHashMap<>();
        final Map<Long, X509Certificate> otherDevices = new LinkedHashMap<>();
        X509Certificate ca;
        int frames;
        int locations;
        int audioFrames;
        int recordingFiles;
        /** The verified frames of the alert, in record order: what its recordings are rebuilt from. */
        final List<nl.aware.core.event.Event.FrameAccepted> alertFrames = new ArrayList<>();
        boolean closed;
        boolean keyChecked;
        int purgedRecords;
        String purgedNote;
        /** Version 2: the manifest's checkpoint entry; the range's last record is that checkpoint. */
        Map<String, Object> checkpointEntry;
        nl.aware.core.event.Event.Checkpoint checkpoint;
        String checkpointSigner;

        Run(Map<String, byte[]> files) {
            this.files = files;
        }

        Result run() throws Damaged {
            Map<String, Object> manifest = object(json(BundleFormat.MANIFEST), BundleFormat.MANIFEST, "the manifest");
            manifest(manifest);
            records();
            alertMembership();
            if (!Objects.equals(manifest.get("alertClosed"), closed)) {
                throw new Damaged(BundleFormat.MANIFEST, -1, "alertClosed says " + manifest.get("alertClosed")
                        + ", the records say " + closed);
            }
            certificates();
            checkpoint();
            frames();
            recordings(manifest);
            digests(manifest);
            return new Result(true, summary(), null);
        }

        void manifest(Map<String, Object> m) throws Damaged {
            String file = BundleFormat.MANIFEST;
            if (!BundleFormat.FORMAT.equals(m.get("format"))) {
                throw new Damaged(file, -1, "format is " + m.get("format") + ", expected " + BundleFormat.FORMAT);
            }
            Object version = m.get("formatVersion");
            if (!Objects.equals(version, BundleFormat.VERSION) && !Objects.equals(version, BundleFormat.VERSION_ANCHORED)) {
                throw new Damaged(file, -1, "format version " + version + " is not known to this verifier ("
                        + BundleFormat.VERSION + ", " + BundleFormat.VERSION_ANCHORED + ")");
            }
            if (Objects.equals(version, BundleFormat.VERSION_ANCHORED)) {
                checkpointEntry = object(m.get("checkpoint"), file, "checkpoint (format version 2)");
            } else if (m.containsKey("checkpoint")) {
                throw new Damaged(file, -1, "a checkpoint needs format version " + BundleFormat.VERSION_ANCHORED);
            }
            alertId = uuid(text(m, "alertId", file), file, -1);
            try {
                deviceId = DeviceIds.parse(text(m, "deviceId", file));
            } catch (IllegalArgumentException e) {
                throw new Damaged(file, -1, "deviceId: " + e.getMessage());
            }
            if (m.get("otherDevices") != null) {
                for (Object item : list(m.get("otherDevices"), file, "otherDevices")) {
                    Map<String, Object> other = object(item, file, "an entry of otherDevices");
                    long id;
                    try {
                        id = DeviceIds.parse(text(other, "deviceId", file));
                    } catch (IllegalArgumentException e) {
                        throw new Damaged(file, -1, "otherDevices: deviceId: " + e.getMessage());
                    }
                    String certificate = text(other, "certificate", file);
                    if (id == deviceId || !certificate.equals(BundleFormat.otherDeviceCert(id))) {
                        throw new Damaged(file, -1, "otherDevices: device " + DeviceIds.format(id) + " must be another "
                                + "device than the alert's, with its certificate in " + BundleFormat.otherDeviceCert(id));
                    }
                    otherDeviceFiles.put(id, certificate);
                }
            }
            Map<String, Object> range = object(m.get("range"), file, "range");
            first = number(range, "firstSequence", file);
            last = number(range, "lastSequence", file);
            if (first < 1 || last < first) {
                throw new Damaged(file, -1, "range " + first + ".." + last + " is not a range of log records");
            }
        }

        void records() throws Damaged {
            String file = BundleFormat.RECORDS;
            Map<String, Object> manifest = object(json(BundleFormat.MANIFEST), BundleFormat.MANIFEST, "the manifest");
            Map<String, Object> range = object(manifest.get("range"), BundleFormat.MANIFEST, "range");
            byte[] prevHash = hex(text(range, "prevHashOfFirst", BundleFormat.MANIFEST), BundleFormat.MANIFEST, -1,
                    "prevHashOfFirst");
            List<Object> records = list(object(json(file), file, "records.json").get("records"), file, "records");
            long expected = first;
            for (Object item : records) {
                Map<String, Object> entry = object(item, file, "record " + expected);
                byte[] bodyBytes = hex(text(entry, "body", file), file, expected, "body");
                BundleFormat.Body body;
                try {
                    body = BundleFormat.parseBody(bodyBytes);
                } catch (IllegalArgumentException e) {
                    throw new Damaged(file, expected, e.getMessage());
                }
                if (body.sequence() != expected) {
                    throw new Damaged(file, expected, body.sequence() > expected
                            ? "record " + expected + " is missing (the next body holds record " + body.sequence() + ")"
                            : "out of order: the body holds record " + body.sequence() + " where record " + expected
                            + " belongs");
                }
                if (expected > last) {
                    throw new Damaged(file, expected, "lies beyond the range " + first + ".." + last + " of the manifest");
                }
                byte[] stated = hex(text(entry, "hash", file), file, expected, "hash");
                if (!Arrays.equals(stated, body.hash())) {
                    throw new Damaged(file, expected, "the body was altered: its SHA-256 is "
                            + BundleFormat.HEX.formatHex(body.hash()) + ", the record's hash is "
                            + BundleFormat.HEX.formatHex(stated));
                }
                if (!Arrays.equals(body.prevHash(), prevHash)) {
                    throw new Damaged(file, expected, "hash chain broken: prevHash "
                            + BundleFormat.HEX.formatHex(body.prevHash()) + " is not the hash of "
                            + (expected == first ? "the record before the range (manifest prevHashOfFirst)"
                            : "record " + (expected - 1)) + ", " + BundleFormat.HEX.formatHex(prevHash));
                }
                if (!(entry.get("ofAlert") instanceof Boolean member)) {
                    throw new Damaged(file, expected, "ofAlert must be true or false");
                }
                Map<String, Object> derived;
                try {
                    derived = BundleFormat.recordEntry(bodyBytes, member);
                } catch (IllegalArgumentException e) {
                    throw new Damaged(file, expected, "marked as a record of the alert but " + e.getMessage());
                }
                compare(derived, entry, file, expected, "the body");
                bodies.put(expected, body);
                ofAlert.put(expected, member);
                prevHash = body.hash();
                expected++;
            }
            if (expected != last + 1) {
                throw new Damaged(file, expected, "missing: the records end at " + (expected - 1)
                        + " but the range of the manifest ends at " + last);
            }
            byte[] hashOfLast = hex(text(range, "hashOfLast", BundleFormat.MANIFEST), BundleFormat.MANIFEST, last,
                    "hashOfLast");
            if (!Arrays.equals(hashOfLast, prevHash)) {
                throw new Damaged(BundleFormat.MANIFEST, last, "hashOfLast does not match the hash of the last record");
            }
        }

        /** Which records are the alert's follows from clear fields; the bundle's marking must agree. */
        void alertMembership() throws Damaged {
            String file = BundleFormat.RECORDS;
            BundleFormat.Body press = bodies.get(first);
            if (!ofAlert.get(first) || press.type() != EventCodec.FRAME_ACCEPTED
                    || !BundleFormat.acceptedHeader(press.payload()).eventId().equals(alertId)) {
                throw new Damaged(file, first, "the range must start with the press that opened alert " + alertId);
            }
            long alertLast = last;
            while (!ofAlert.get(alertLast) && alertLast > first) {
                alertLast--;
            }
            if (checkpointEntry == null && alertLast != last) {
                throw new Damaged(file, last, "the range must end with a record of the alert");
            }
            if (checkpointEntry != null) {
                if (bodies.get(last).type() != EventCodec.CHECKPOINT) {
                    throw new Damaged(file, last, "the range of a format version 2 bundle must end with a checkpoint");
                }
                for (long seq = alertLast + 1; seq < last; seq++) {
                    if (bodies.get(seq).type() == EventCodec.CHECKPOINT
                            && BundleFormat.checkpointedSequence(bodies.get(seq).payload()) >= alertLast) {
                        throw new Damaged(file, seq, "the range runs past the first checkpoint after the alert's "
                                + "last record " + alertLast);
                    }
                }
                long signs = BundleFormat.checkpointedSequence(bodies.get(last).payload());
                if (signs < alertLast || signs >= last) {
                    throw new Damaged(file, last, "the checkpoint signs record " + signs
                            + ", not one from the alert's last record " + alertLast + " on");
                }
            }
            Set<UUID> items = new HashSet<>();
            for (Map.Entry<Long, BundleFormat.Body> e : bodies.entrySet()) {
                if (ofAlert.get(e.getKey()) && e.getValue().type() == EventCodec.FRAME_ACCEPTED) {
                    items.add(BundleFormat.acceptedHeader(e.getValue().payload()).eventId());
                }
            }
            for (Map.Entry<Long, BundleFormat.Body> e : bodies.entrySet()) {
                long seq = e.getKey();
                BundleFormat.Body b = e.getValue();
                boolean marked = ofAlert.get(seq);
                UUID ref = BundleFormat.reference(b);
                boolean belongs = switch (b.type()) {
                    case EventCodec.FRAME_ACCEPTED -> marked; // decided by its signed frame (frames.json)
                    case EventCodec.DELIVERED, EventCodec.DELIVERY_FAILED, EventCodec.WORK_SHED -> items.contains(ref);
                    case EventCodec.ALERT_ESCALATED, EventCodec.ALERT_STATUS_REPORTED -> alertId.equals(ref);
                    case EventCodec.COMMAND_SENT, EventCodec.LISTENING_STARTED, EventCodec.LISTENING_ENDED ->
                            alertId.equals(namedAlert(b));
                    default -> false;
                };
                if (belongs != marked) {
                    throw new Damaged(file, seq, BundleFormat.typeName(b.type()) + (belongs
                            ? " refers to alert " + alertId + " but is not marked as one of its records"
                            : " does not refer to alert " + alertId + " but is marked as one of its records"));
                }
                if (marked && b.type() == EventCodec.FRAME_ACCEPTED && closed) {
                    throw new Damaged(file, seq, "a frame of the alert after the control room closed it");
                }
                if (marked && b.type() == EventCodec.ALERT_STATUS_REPORTED
                        && b.payload().length > 16 && (b.payload()[16] & 0xFF) == AlertStatus.CLOSED.code()) {
                    closed = true;
                }
            }
        }

        /** A CommandSent record's clear fields (no keys needed), or null when it is not readable. */
        nl.aware.core.event.Event.CommandSent commandSent(BundleFormat.Body body) {
            try {
                return new EventCodec(null).decode(body.toLogRecord()) instanceof nl.aware.core.event.Event.CommandSent c
                        ? c : null;
            } catch (nl.aware.core.event.EventFormatException | RuntimeException unreadable) {
                return null; // an unreadable record is no command: where it matters it is reported as damage
            }
        }

        /** The alert a command or a listening session names (clear fields), or null when it names none or is unreadable. */
        UUID namedAlert(BundleFormat.Body body) {
            nl.aware.core.event.Event event;
            try {
                event = new EventCodec(null).decode(body.toLogRecord());
            } catch (nl.aware.core.event.EventFormatException | RuntimeException unreadable) {
                return null; // an unreadable record names no alert: marked as the alert's, it is reported as damage
            }
            if (event instanceof nl.aware.core.event.Event.CommandSent c) {
                return c.alertId();
            }
            if (event instanceof nl.aware.core.event.Event.ListeningStarted l) {
                return l.alertId();
            }
            return event instanceof nl.aware.core.event.Event.ListeningEnded l ? l.alertId() : null;
        }

        void certificates() throws Damaged {
            deviceCert = certificate(BundleFormat.DEVICE_CERT);
            ca = certificate(BundleFormat.CA_CERT);
            if (trustedCa != null && !trustedCa.equals(ca)) {
                throw new Damaged(BundleFormat.CA_CERT, -1, "is not the trusted CA (fingerprint "
                        + fingerprint(ca) + ", trusted " + fingerprint(trustedCa) + ")");
            }
            if (ca.getBasicConstraints() < 0) {
                throw new Damaged(BundleFormat.CA_CERT, -1, "is not a CA certificate");
            }
            try {
                deviceCert.verify(ca.getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new Damaged(BundleFormat.DEVICE_CERT, -1, "was not issued by the CA in ca.pem ("
                        + e.getClass().getSimpleName() + ")");
            }
            OptionalLong named = DeviceIds.fromCertificate(deviceCert);
            if (named.isEmpty() || named.getAsLong() != deviceId) {
                throw new Damaged(BundleFormat.DEVICE_CERT, -1, "is not the certificate of device "
                        + DeviceIds.format(deviceId) + " (subject " + deviceCert.getSubjectX500Principal().getName() + ")");
            }
            for (Map.Entry<Long, String> other : otherDeviceFiles.entrySet()) {
                X509Certificate cert = certificate(other.getValue());
                try {
                    cert.verify(ca.getPublicKey());
                } catch (GeneralSecurityException e) {
                    throw new Damaged(other.getValue(), -1, "was not issued by the CA in ca.pem ("
                            + e.getClass().getSimpleName() + ")");
                }
                OptionalLong id = DeviceIds.fromCertificate(cert);
                if (id.isEmpty() || id.getAsLong() != other.getKey()) {
                    throw new Damaged(other.getValue(), -1, "is not the certificate of device "
                            + DeviceIds.format(other.getKey()));
                }
                otherDevices.put(other.getKey(), cert);
            }
            long pressTime = BundleFormat.acceptedHeader(bodies.get(first).payload()).receiveTimeMs();
            for (String file : List.of(BundleFormat.DEVICE_CERT, BundleFormat.CA_CERT)) {
                X509Certificate cert = file.equals(BundleFormat.CA_CERT) ? ca : deviceCert;
                try {
                    cert.checkValidity(new Date(pressTime));
                } catch (GeneralSecurityException e) {
                    throw new Damaged(file, first, "was not valid at the press (" + Instant.ofEpochMilli(pressTime)
                            + "; valid " + cert.getNotBefore().toInstant() + " to " + cert.getNotAfter().toInstant() + ")");
                }
            }
        }

        /**
         * Version 2: the checkpoint that ends the range is signed by a key the CA certified, and the hash it signs
         * is the hash the chain gives that record. The chain then ties every record of the range to it.
         */
        void checkpoint() throws Damaged {
            if (checkpointEntry == null) {
                return;
            }
            String file = BundleFormat.RECORDS;
            try {
                checkpoint = (nl.aware.core.event.Event.Checkpoint) new EventCodec(null).decode(bodies.get(last)
                        .toLogRecord());
            } catch (nl.aware.core.event.EventFormatException | RuntimeException e) {
                throw new Damaged(file, last, "the checkpoint record is not readable: " + e.getMessage());
            }
            String wrong = nl.aware.records.checkpoint.Checkpoints.problem(checkpoint, ca);
            if (wrong != null) {
                throw new Damaged(file, last, wrong);
            }
            if (!Arrays.equals(bodies.get(checkpoint.sequence()).hash(), checkpoint.hash())) {
                throw new Damaged(file, checkpoint.sequence(), "the record's hash is not the one the checkpoint in record "
                        + last + " signed: records up to " + checkpoint.sequence() + " were rewritten");
            }
            compare(BundleFormat.checkpointEntry(bodies.get(last).toLogRecord()), checkpointEntry,
                    BundleFormat.MANIFEST, last, "the checkpoint record");
            checkpointSigner = String.valueOf(checkpointEntry.get("signer"));
        }

        void frames() throws Damaged {
            String file = BundleFormat.FRAMES;
            // The alert's device and the carrier's other devices listed in the manifest: each frame is checked
            // against its own device's certificate, and counters rise per device.
            Map<Long, FrameVerifier> verifiers = new HashMap<>();
            verifiers.put(deviceId, new FrameVerifier(deviceCert.getPublicKey()));
            otherDevices.forEach((id, cert) -> verifiers.put(id, new FrameVerifier(cert.getPublicKey())));
            Map<Long, Long> previousCounters = new HashMap<>();
            // The alert's audio streams known so far, "device/stream": its presses' counters, its LISTENs' ids.
            Set<String> streams = new HashSet<>();
            for (Map.Entry<Long, BundleFormat.Body> e : bodies.entrySet()) {
                if (ofAlert.get(e.getKey()) && e.getValue().type() == EventCodec.COMMAND_SENT) {
                    nl.aware.core.event.Event.CommandSent sent = commandSent(e.getValue());
                    if (sent.command() == nl.aware.core.protocol.DeviceCommand.LISTEN) {
                        streams.add(sent.deviceId() + "/" + sent.commandId());
                    }
                }
            }
            List<Object> list = list(object(json(file), file, "frames.json").get("frames"), file, "frames");
            Set<Long> seen = new HashSet<>();
            long previousRecord = 0;
            for (Object item : list) {
                Map<String, Object> entry = object(item, file, "frame " + (seen.size() + 1));
                long seq = number(entry, "record", file);
                BundleFormat.Body body = bodies.get(seq);
                if (body == null || body.type() != EventCodec.FRAME_ACCEPTED || !ofAlert.get(seq)) {
                    throw new Damaged(file, seq, "a frame for a record that is not a FrameAccepted of the alert");
                }
                if (!seen.add(seq) || seq <= previousRecord) {
                    throw new Damaged(file, seq, "frames must be listed once each, in record order");
                }
                previousRecord = seq;
                BundleFormat.AcceptedHeader header = BundleFormat.acceptedHeader(body.payload());
                byte[] wire = hex(text(entry, "wire", file), file, seq, "wire");
                int length = wire.length < 2 ? -1 : ((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF);
                if (length != wire.length - Adp.LENGTH_FIELD_BYTES) {
                    throw new Damaged(file, seq, "the frame's length prefix does not match its bytes");
                }
                DeviceFrame frame;
                try {
                    frame = DeviceFrame.parse(Arrays.copyOfRange(wire, Adp.LENGTH_FIELD_BYTES, wire.length));
                } catch (FrameFormatException e) {
                    throw new Damaged(file, seq, "the frame is not a valid ADP/1 frame: " + e.getMessage());
                }
                FrameVerifier signatures = verifiers.get(frame.deviceId());
                if (signatures == null) {
                    throw new Damaged(file, seq, "the frame is from device " + DeviceIds.format(frame.deviceId())
                            + ", not the alert's device " + DeviceIds.format(deviceId)
                            + (otherDevices.isEmpty() ? "" : " nor another device of the carrier in the manifest"));
                }
                if (!signatures.verify(frame)) {
                    throw new Damaged(file, seq, "the device's signature does not match the frame: it is not what device "
                            + DeviceIds.format(frame.deviceId()) + " signed (altered " + frame.type() + " frame, counter "
                            + frame.counter() + (frame.type() == FrameType.AUDIO ? ", stream "
                            + Long.toUnsignedString(frame.audio().streamId()) + " seq " + frame.audio().seq() : "") + ")");
                }
                if (header.sealedBytes() != wire.length + BundleFormat.SEAL_OVERHEAD) {
                    throw new Damaged(file, seq, "the record seals a frame of " + (header.sealedBytes()
                            - BundleFormat.SEAL_OVERHEAD) + " bytes, this frame has " + wire.length);
                }
                Long previousCounter = previousCounters.put(frame.deviceId(), frame.counter());
                if (previousCounter != null && frame.counter() <= previousCounter) {
                    throw new Damaged(file, seq, "the frame's counter " + frame.counter()
                            + " does not follow the previous frame's " + previousCounter + " of that device");
                }
                boolean isFirst = seq == first;
                if (isFirst && frame.deviceId() != deviceId) {
                    throw new Damaged(file, seq, "the press must be a frame of the alert's device " + DeviceIds.format(deviceId));
                }
                if (isFirst != (frame.type() == FrameType.PANIC && seen.size() == 1)) {
                    throw new Damaged(file, seq, isFirst ? "the alert's first record must hold a PANIC frame"
                            : "frames are out of place: the first must be the press of record " + first);
                }
                if (frame.type() != FrameType.PANIC && frame.type() != FrameType.LOCATION
                        && frame.type() != FrameType.CANCEL && frame.type() != FrameType.AUDIO) {
                    throw new Damaged(file, seq, "a " + frame.type() + " frame is not part of an alert");
                }
                if (frame.type() == FrameType.PANIC) {
                    streams.add(frame.deviceId() + "/" + frame.counter());
                }
                if (frame.type() == FrameType.AUDIO) {
                    if (!streams.contains(frame.deviceId() + "/" + frame.audio().streamId())) {
                        throw new Damaged(file, seq, "AUDIO of stream " + Long.toUnsignedString(frame.audio().streamId())
                                + " is neither a press of the alert nor a LISTEN sent for it before");
                    }
                    audioFrames++;
                }
                alertFrames.add(new nl.aware.core.event.Event.FrameAccepted(header.eventId(), header.receiveTimeMs(), frame));
                compare(BundleFormat.frameEntry(seq, header.eventId(), BundleFormat.role(frame, isFirst), frame), entry,
                        file, seq, "the signed frame and its record");
                if (keys != null) {
                    sealedMatches(seq, header, wire);
                }
                if (frame.type() == FrameType.LOCATION) {
                    locations++;
                }
                frames++;
            }
            for (Map.Entry<Long, BundleFormat.Body> e : bodies.entrySet()) {
                long seq = e.getKey();
                if (e.getValue().type() != EventCodec.FRAME_ACCEPTED) {
                    continue;
                }
                if (ofAlert.get(seq) && !seen.contains(seq)) {
                    throw new Damaged(file, seq, "the record is marked as the alert's but its signed frame is missing");
                }
                if (keys != null && !ofAlert.get(seq)) {
                    notLeftOut(seq, e.getValue(), streams);
                }
            }
            keyChecked = keys != null;
        }

        /**
         * Each recording is rebuilt from the verified AUDIO frames: its manifest entry must say what they say and its
         * Ogg Opus file must be byte for byte the one they make, so the sound in the file is what the device signed.
         */
        void recordings(Map<String, Object> manifest) throws Damaged {
            List<Object> derived = new ArrayList<>();
            for (nl.aware.records.audio.RecordedStream stream : nl.aware.records.audio.Recordings.of(alertFrames)) {
                derived.add(BundleFormat.recordingEntry(stream));
                if (stream.opus()) {
                    String name = nl.aware.records.audio.Recordings.fileName(stream);
                    byte[] file = files.get(name);
                    if (file == null) {
                        throw new Damaged(name, -1, "is missing from the bundle");
                    }
                    if (!Arrays.equals(file, BundleFormat.recordingFile(alertId, stream))) {
                        throw new Damaged(name, -1, "is not the sound of the signed AUDIO frames of stream "
                                + Long.toUnsignedString(stream.streamId()) + " of device " + DeviceIds.format(stream.deviceId()));
                    }
                    recordingFiles++;
                }
            }
            Object stated = manifest.get("recordings");
            if (!Objects.equals(derived.isEmpty() ? null : derived, stated)) {
                throw new Damaged(BundleFormat.MANIFEST, -1, "recordings do not say what the signed AUDIO frames say");
            }
        }

        /** With data keys: the clear frame is exactly what the record holds sealed. */
        void sealedMatches(long seq, BundleFormat.AcceptedHeader header, byte[] wire) throws Damaged {
            byte[] opened = open(seq, header);
            if (opened == null) {
                purgedRecords++;
                return;
            }
            if (!Arrays.equals(opened, wire)) {
                throw new Damaged(BundleFormat.FRAMES, seq, "the frame is not the one sealed in its record");
            }
        }

        /** With data keys: a frame of the alert's device in the range was not left out of the alert. */
        void notLeftOut(long seq, BundleFormat.Body body, Set<String> streams) throws Damaged {
            BundleFormat.AcceptedHeader header;
            try {
                header = BundleFormat.acceptedHeader(body.payload());
            } catch (IllegalArgumentException e) {
                throw new Damaged(BundleFormat.RECORDS, seq, e.getMessage());
            }
            byte[] wire = open(seq, header);
            if (wire == null) {
                purgedRecords++;
                return;
            }
            DeviceFrame frame;
            try {
                frame = DeviceFrame.parse(Arrays.copyOfRange(wire, Adp.LENGTH_FIELD_BYTES, wire.length));
            } catch (FrameFormatException | RuntimeException e) {
                throw new Damaged(BundleFormat.RECORDS, seq, "the sealed frame is not a valid frame");
            }
            boolean alertType = frame.type() == FrameType.PANIC || frame.type() == FrameType.LOCATION
                    || frame.type() == FrameType.CANCEL;
            if (frame.type() == FrameType.AUDIO && streams.contains(frame.deviceId() + "/" + frame.audio().streamId())
                    && !closedBefore(seq)) {
                throw new Damaged(BundleFormat.RECORDS, seq, "an AUDIO frame of the alert's stream "
                        + Long.toUnsignedString(frame.audio().streamId()) + " was left out of the alert");
            }
            if (frame.deviceId() == deviceId && alertType && !closedBefore(seq)) {
                throw new Damaged(BundleFormat.RECORDS, seq, "a " + frame.type()
                        + " frame of the alert's device was left out of the alert");
            }
        }

        boolean closedBefore(long seq) {
            for (Map.Entry<Long, BundleFormat.Body> e : bodies.entrySet()) {
                BundleFormat.Body b = e.getValue();
                if (e.getKey() < seq && ofAlert.get(e.getKey()) && b.type() == EventCodec.ALERT_STATUS_REPORTED
                        && b.payload().length > 16 && (b.payload()[16] & 0xFF) == AlertStatus.CLOSED.code()) {
                    return true;
                }
            }
            return false;
        }

        byte[] open(long seq, BundleFormat.AcceptedHeader header) throws Damaged {
            byte[] ad = ByteBuffer.allocate(16).putLong(header.eventId().getMostSignificantBits())
                    .putLong(header.eventId().getLeastSignificantBits()).array();
            try {
                return keys.open(header.sealed(), ad);
            } catch (nl.aware.core.crypto.LocationPurgedException e) {
                purgedNote = e.getMessage();
                return null; // the month's key was destroyed on purpose: no byte-for-byte check possible
            } catch (SealedDataException e) {
                throw new Damaged(BundleFormat.RECORDS, seq, "the sealed frame does not open: " + e.getMessage());
            }
        }

        void digests(Map<String, Object> manifest) throws Damaged {
            Set<String> listed = BundleVerifier.digests(files, manifest, BundleFormat.MANIFEST);
            for (String needed : List.of(BundleFormat.RECORDS, BundleFormat.FRAMES, BundleFormat.DEVICE_CERT,
                    BundleFormat.CA_CERT)) {
                if (!listed.contains(needed)) {
                    throw new Damaged(needed, -1, "is not listed in the manifest");
                }
            }
        }

        List<String> summary() {
            BundleFormat.AcceptedHeader press = BundleFormat.acceptedHeader(bodies.get(first).payload());
            long alertCount = ofAlert.values().stream().filter(b -> b).count();
            List<String> lines = new ArrayList<>();
            lines.add("alert " + alertId + " of device " + DeviceIds.format(deviceId) + ", press received "
                    + Instant.ofEpochMilli(press.receiveTimeMs()) + (closed ? ", closed by the control room" : ", not closed in the bundle"));
            lines.add("log records " + first + ".." + last + " (" + bodies.size() + " records, " + alertCount
                    + " of this alert): every body matches its hash and the chain is unbroken");
            lines.add("chain anchors: prevHash of record " + first + " = "
                    + BundleFormat.HEX.formatHex(bodies.get(first).prevHash()) + ", hash of record " + last + " = "
                    + BundleFormat.HEX.formatHex(bodies.get(last).hash()));
            lines.add(frames + " signed device frame" + (frames == 1 ? "" : "s") + " (press" + (locations > 0 ? ", " + locations + " locations" : "")
                    + (audioFrames > 0 ? ", " + audioFrames + " audio" : "") + ") verify with the certificate of device " + DeviceIds.format(deviceId) + " (serial "
                    + deviceCert.getSerialNumber().toString(16) + ")");
            if (recordingFiles > 0) {
                lines.add(recordingFiles + " recording file" + (recordingFiles == 1 ? "" : "s")
                        + " (Ogg Opus) rebuilt from the signed AUDIO frames, byte for byte");
            }
            lines.add("device certificate issued by " + ca.getSubjectX500Principal().getName() + ", CA SHA-256 fingerprint "
                    + fingerprint(ca) + (trustedCa != null ? " (the trusted CA)" : " (compare with Kadera's published CA)"));
            lines.add(checkpoint != null ? "anchored by a signed checkpoint: record " + last + " signs record "
                    + checkpoint.sequence() + " at " + Instant.ofEpochMilli(checkpoint.timeMs()) + ", signed by "
                    + checkpointSigner + " (certified by the CA): the records existed unchanged at that time"
                    : "NOT anchored by a signed checkpoint (none covered the alert's last record at export): "
                    + "the chain ties the records to each other only");
            lines.add(keyChecked ? "each frame is byte for byte the one sealed in its record (checked with the data keys)"
                    + (purgedRecords > 0 ? ", except " + purgedRecords + " record(s) whose " + purgedNote : "")
                    : "frames are tied to their records by event id, size, device and counter (no data keys used)");
            return lines;
        }

        // ------------------------------------------------------------------------------- helpers

        Object json(String file) throws Damaged {
            byte[] bytes = files.get(file);
            if (bytes == null) {
                throw new Damaged(file, -1, "is missing from the bundle");
            }
            try {
                String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
                return Json.parse(text);
            } catch (CharacterCodingException e) {
                throw new Damaged(file, -1, "is not UTF-8 text");
            } catch (Json.JsonException e) {
                throw new Damaged(file, -1, e.getMessage());
            }
        }

        X509Certificate certificate(String file) throws Damaged {
            byte[] bytes = files.get(file);
            if (bytes == null) {
                throw new Damaged(file, -1, "is missing from the bundle");
            }
            try {
                return CertificateDer.parse(bytes);
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new Damaged(file, -1, "is not a readable certificate: " + e.getMessage());
            }
        }
    }

    /** Every file matches its size and SHA-256 in the manifest, and no file is unlisted. Returns the names. */
    static Set<String> digests(Map<String, byte[]> files, Map<String, Object> manifest, String file) throws Damaged {
        Set<String> listed = new HashSet<>();
        for (Object item : list(manifest.get("files"), file, "files")) {
            Map<String, Object> f = object(item, file, "files");
            String name = text(f, "name", file);
            byte[] content = files.get(name);
            if (content == null) {
                throw new Damaged(name, -1, "is listed in the manifest but missing from the bundle");
            }
            String sha = BundleFormat.HEX.formatHex(BundleFormat.sha256(content));
            if (!sha.equals(f.get("sha256")) || !Objects.equals(f.get("bytes"), (long) content.length)) {
                throw new Damaged(name, -1, "does not match the manifest (SHA-256 " + sha + ", manifest says "
                        + f.get("sha256") + ")");
            }
            listed.add(name);
        }
        for (String name : files.keySet()) {
            if (!name.equals(BundleFormat.MANIFEST) && !listed.contains(name)) {
                throw new Damaged(name, -1, "is not listed in the manifest");
            }
        }
        return listed;
    }

    private static void compare(Map<String, Object> derived, Map<String, Object> stated, String file, long seq,
                                String source) throws Damaged {
        for (Map.Entry<String, Object> e : derived.entrySet()) {
            Object s = stated.get(e.getKey());
            if (e.getValue() instanceof Map<?, ?> inner && s instanceof Map<?, ?> statedInner) {
                for (Map.Entry<?, ?> f : inner.entrySet()) {
                    if (!Objects.equals(f.getValue(), statedInner.get(f.getKey()))) {
                        throw new Damaged(file, seq, e.getKey() + "." + f.getKey() + " says " + statedInner.get(f.getKey())
                                + ", " + source + " say(s) " + f.getValue());
                    }
                }
                if (!inner.keySet().equals(statedInner.keySet())) {
                    throw new Damaged(file, seq, e.getKey() + " has fields " + statedInner.keySet() + ", expected "
                            + inner.keySet());
                }
            } else if (!Objects.equals(e.getValue(), s) || !stated.containsKey(e.getKey())) {
                throw new Damaged(file, seq, e.getKey() + " says " + s + ", " + source + " say(s) " + e.getValue());
            }
        }
        if (!derived.keySet().equals(stated.keySet())) {
            throw new Damaged(file, seq, "has fields " + stated.keySet() + ", expected " + derived.keySet());
        }
    }

    static String fingerprint(X509Certificate cert) {
        try {
            return BundleFormat.HEX.formatHex(BundleFormat.sha256(cert.getEncoded()));
        } catch (GeneralSecurityException e) {
            return "(unencodable)";
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String file, String what) throws Damaged {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new Damaged(file, -1, what + " must be a JSON object");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value, String file, String what) throws Damaged {
        if (value instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw new Damaged(file, -1, what + " must be a JSON array");
    }

    private static String text(Map<String, Object> map, String key, String file) throws Damaged {
        if (map.get(key) instanceof String s) {
            return s;
        }
        throw new Damaged(file, -1, key + " is missing or not text");
    }

    private static long number(Map<String, Object> map, String key, String file) throws Damaged {
        if (map.get(key) instanceof Long n) {
            return n;
        }
        throw new Damaged(file, -1, key + " is missing or not a whole number");
    }

    private static UUID uuid(String text, String file, long seq) throws Damaged {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new Damaged(file, seq, "\"" + text + "\" is not a UUID");
        }
    }

    private static byte[] hex(String text, String file, long seq, String what) throws Damaged {
        try {
            return BundleFormat.HEX.parseHex(text);
        } catch (IllegalArgumentException e) {
            throw new Damaged(file, seq, what + " is not hexadecimal");
        }
    }
}
