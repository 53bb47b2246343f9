package nl.aware.records.history;

import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.LogRecord;
import nl.aware.core.log.VerifyResult;
import nl.aware.core.pki.CertificateDer;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.protocol.DeviceCommand;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.FrameVerifier;
import nl.aware.core.protocol.Location;
import nl.aware.records.audio.RecordedStream;
import nl.aware.records.audio.Recordings;
import nl.aware.records.checkpoint.CheckpointVerifier;
import nl.aware.records.retention.HeldFrames;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Builds an {@link AlertHistory} by reading the log once, read-only (no lock: works beside a running
 * server). Which records are the alert's is {@link AlertMembership}'s rule. While reading, the log's
 * CRCs, sequence and hash chain are checked ({@link EventLog#read}) and each frame's device signature is
 * checked with the certificate the device was enrolled with at the press ({@link FrameVerifier}).
 *
 * <p>A damaged log still gives a history: what precedes the first bad record, marked not verified and
 * naming that record. Only an alert that cannot be found at all is an error.
 */
public final class AlertHistoryReader {

    /** The alert is not in the (readable part of the) log, or its id names something that is not a press. */
    public static final class AlertNotFoundException extends Exception {
        public AlertNotFoundException(String message) {
            super(message);
        }
    }

    private AlertHistoryReader() {
    }

    /**
     * @param ca the device CA certificate to check the device certificate against, or null to skip that check
     */
    public static AlertHistory read(Path logDirectory, DataKeyRing keys, X509Certificate ca, UUID alertId)
            throws IOException, AlertNotFoundException {
        Read read = scan(logDirectory, keys, ca, alertId);
        return read.builder().build(read.result(), ca, read.checkpoints().report(read.result()));
    }

    /**
     * One recording of the alert as an Ogg Opus file, byte for byte the file its evidence bundle holds (the same
     * rule picks the frames, the same writer writes them); empty when the alert has no Opus stream of that
     * device and id. The frames' signatures are not checked here: the bundle's verifier does that.
     */
    public static java.util.Optional<byte[]> recording(Path logDirectory, DataKeyRing keys, UUID alertId, long deviceId,
                                                       long streamId) throws IOException, AlertNotFoundException {
        Builder builder = scan(logDirectory, keys, null, alertId).builder();
        return builder.streams().stream().filter(s -> s.deviceId() == deviceId && s.streamId() == streamId)
                .filter(RecordedStream::opus).findFirst()
                .map(s -> s.oggOpus(alertId.toString(), DeviceIds.format(deviceId)));
    }

    private record Read(Builder builder, VerifyResult result, CheckpointVerifier.Scanner checkpoints) {
    }

    private static Read scan(Path logDirectory, DataKeyRing keys, X509Certificate ca, UUID alertId)
            throws IOException, AlertNotFoundException {
        EventCodec codec = new EventCodec(keys);
        HeldFrames held;
        try {
            held = HeldFrames.read(logDirectory, codec); // frames of alerts under legal hold outlive a purge
        } catch (EventFormatException e) {
            throw new AlertNotFoundException("alert " + alertId + " cannot be read from " + logDirectory + ": "
                    + e.getMessage());
        }
        Builder builder = new Builder(codec, record -> held.decode(codec, record), alertId);
        CheckpointVerifier.Scanner checkpoints = new CheckpointVerifier.Scanner(ca);
        VerifyResult result = EventLog.read(logDirectory, record -> {
            builder.offer(record);
            checkpoints.onRecord(record);
        });
        if (builder.membership.press() == null) {
            if (builder.failure != null) { // e.g. the id names a location, or a record before the press is unreadable
                throw new AlertNotFoundException("alert " + alertId + " cannot be read from " + logDirectory + ": "
                        + builder.failure.getMessage());
            }
            throw new AlertNotFoundException("no alert " + alertId + " in " + logDirectory + (result.intact() ? ""
                    : " (the log is damaged at record " + result.problem().sequence() + "; records after it cannot be read)")
                    + "; an alert id is the event id of the PANIC that opened it");
        }
        return new Read(builder, result, checkpoints);
    }

    /** The last sound checkpoint covers the alert when it signs a record at or after the alert's last one. */
    private static AlertHistory.AnchorCheck anchor(CheckpointVerifier.Report report, long alertLastSequence) {
        if (report.chain().intact() && report.problem() != null) {
            return new AlertHistory.AnchorCheck(true, false, 0, 0, null, null,
                    "record " + report.problem().sequence() + ": " + report.problem().description());
        }
        Event.Checkpoint last = report.lastCheckpoint();
        if (last == null || last.sequence() < alertLastSequence) {
            return new AlertHistory.AnchorCheck(true, false, 0, 0, null, null, null);
        }
        String signer;
        try {
            signer = CertificateDer.parse(last.certificateDer()).getSubjectX500Principal().getName();
        } catch (java.security.cert.CertificateException e) {
            signer = "unreadable certificate";
        }
        return new AlertHistory.AnchorCheck(true, true, report.checkpointRecord(), last.sequence(),
                java.time.Instant.ofEpochMilli(last.timeMs()), signer, null);
    }

    /** Gathers the alert's records during the pass. */
    private static final class Builder {
        final EventCodec codec;
        final AlertMembership membership;
        final Map<Long, Event.DeviceEnrolled> enrolments = new HashMap<>();
        final Map<UUID, Event.CarrierRegistered> carriers = new HashMap<>();
        final Map<Long, UUID> carrierOfDevice = new HashMap<>();
        final Map<UUID, AlertHistory.ItemKind> items = new HashMap<>();
        final Map<Long, DeviceFrame> frames = new java.util.LinkedHashMap<>();
        /** Each frame's device enrolment when it was accepted: a carrier's other device signs with its own key. */
        final Map<Long, Event.DeviceEnrolled> signedUnder = new HashMap<>();

        Event.DeviceEnrolled enrolment;
        AlertHistory.Carrier carrier;
        AlertHistory.Press press;
        AlertType type;
        final List<AlertHistory.Press> repeats = new ArrayList<>();
        final List<AlertHistory.TrackPoint> track = new ArrayList<>();
        final List<AlertHistory.Cancel> cancels = new ArrayList<>();
        final List<AlertHistory.DeliveryAttempt> deliveries = new ArrayList<>();
        final List<AlertHistory.Escalation> escalations = new ArrayList<>();
        final List<AlertHistory.Shed> shed = new ArrayList<>();
        final List<AlertHistory.LifecycleStep> lifecycle = new ArrayList<>();
        final List<Event.FrameAccepted> audio = new ArrayList<>();
        /** The press's frames too: which streams are presses' is decided from them ({@link Recordings}). */
        final List<Event.FrameAccepted> presses = new ArrayList<>();
        final List<AlertHistory.ListenRequest> listens = new ArrayList<>();
        final Map<UUID, AlertHistory.ListeningSession> listened = new LinkedHashMap<>();
        long alertRecords;
        long lastAlertSequence;
        long logRecords;
        EventFormatException failure;
        long failureAt = -1;

        Builder(EventCodec codec, AlertMembership.Decoder decoder, UUID alertId) {
            this.codec = codec;
            this.membership = new AlertMembership(alertId, decoder);
        }

        void offer(LogRecord record) {
            if (failure != null) {
                return; // an unreadable record ends the history like a damaged one
            }
            logRecords++;
            try {
                if (membership.press() == null || record.type() == EventCodec.DEVICE_ENROLLED) {
                    context(record); // enrolments also later: another device of the carrier may join the alert
                }
                Event event = membership.offer(record);
                if (event != null) {
                    take(record, event);
                }
            } catch (EventFormatException e) {
                failure = e;
                failureAt = record.sequence();
            }
        }

        /** Before the press: who the device belongs to and which certificate it had. */
        void context(LogRecord record) throws EventFormatException {
            switch (record.type()) {
                case EventCodec.DEVICE_ENROLLED -> {
                    Event.DeviceEnrolled e = (Event.DeviceEnrolled) codec.decode(record);
                    enrolments.put(e.deviceId(), e);
                }
                case EventCodec.CARRIER_REGISTERED -> {
                    Event.CarrierRegistered e = (Event.CarrierRegistered) codec.decode(record);
                    carriers.put(e.carrierId(), e);
                }
                case EventCodec.DEVICE_ASSIGNED -> {
                    Event.DeviceAssigned e = (Event.DeviceAssigned) codec.decode(record);
                    carrierOfDevice.put(e.deviceId(), e.carrierId());
                }
                case EventCodec.CARRIER_PROFILE_UPDATED -> {
                    Event.CarrierProfileUpdated e = (Event.CarrierProfileUpdated) codec.decode(record);
                    // The profile the police were given from then on; the intake's eligibility stays as registered.
                    carriers.computeIfPresent(e.carrierId(), (id, registered) -> new Event.CarrierRegistered(id,
                            registered.region(), new CarrierProfile(e.profile().name(), e.profile().phone(),
                            e.profile().photoReference(), e.profile().threatDescription(),
                            e.profile().aggressorDescription(), e.profile().policeNotes(),
                            registered.profile().eligibility())));
                }
                default -> {
                }
            }
        }

        void take(LogRecord record, Event event) {
            alertRecords++;
            lastAlertSequence = record.sequence();
            Instant time = Instant.ofEpochMilli(record.timestampMs());
            if (event instanceof Event.FrameAccepted accepted) {
                frame(record, accepted);
            } else if (event instanceof Event.Delivered d) {
                deliveries.add(new AlertHistory.DeliveryAttempt(record.sequence(), time, d.itemId(), items.get(d.itemId()),
                        d.target(), d.attempt(), true, d.reference()));
            } else if (event instanceof Event.DeliveryFailed d) {
                deliveries.add(new AlertHistory.DeliveryAttempt(record.sequence(), time, d.itemId(), items.get(d.itemId()),
                        d.target(), d.attempt(), false, d.problem()));
            } else if (event instanceof Event.AlertEscalated e) {
                escalations.add(new AlertHistory.Escalation(record.sequence(), time, e.route(), e.reason()));
            } else if (event instanceof Event.WorkShed w) {
                shed.add(new AlertHistory.Shed(record.sequence(), time, w.itemId(), items.get(w.itemId()), w.reason()));
            } else if (event instanceof Event.AlertStatusReported s) {
                lifecycle.add(new AlertHistory.LifecycleStep(record.sequence(), time, s.status(), s.incidentReference(),
                        s.reporter(), Duration.between(press.receiveTime(), time)));
            } else if (event instanceof Event.CommandSent c && c.command() == DeviceCommand.LISTEN) {
                listens.add(new AlertHistory.ListenRequest(record.sequence(), Instant.ofEpochMilli(c.atMs()), c.by(),
                        c.deviceId(), c.commandId(), c.argument()));
            } else if (event instanceof Event.ListeningStarted l) {
                listened.put(l.listeningId(), new AlertHistory.ListeningSession(record.sequence(),
                        Instant.ofEpochMilli(l.atMs()), l.operator(), l.deviceId(), l.joined(), null, null));
            } else if (event instanceof Event.ListeningEnded l) {
                listened.computeIfPresent(l.listeningId(), (id, s) -> new AlertHistory.ListeningSession(s.sequence(),
                        s.start(), s.operator(), s.deviceId(), s.joined(), Instant.ofEpochMilli(l.atMs()),
                        l.reason().label()));
            }
        }

        void frame(LogRecord record, Event.FrameAccepted accepted) {
            DeviceFrame frame = accepted.frame();
            frames.put(record.sequence(), frame);
            Event.DeviceEnrolled signer = enrolments.get(frame.deviceId());
            if (signer != null) {
                signedUnder.put(record.sequence(), signer);
            }
            Instant deviceTime = Instant.ofEpochMilli(frame.deviceTimeMs());
            Instant receiveTime = Instant.ofEpochMilli(accepted.receiveTimeMs());
            if (frame.type() == FrameType.AUDIO) {
                audio.add(accepted);
                return;
            }
            if (frame.type() == FrameType.PANIC) {
                presses.add(accepted);
            }
            if (press == null) {
                type = frame.type() == FrameType.TEST ? AlertType.TEST : AlertType.REAL;
                press = new AlertHistory.Press(record.sequence(), accepted.eventId(), frame.counter(), deviceTime,
                        receiveTime);
                items.put(accepted.eventId(), AlertHistory.ItemKind.ALERT);
                enrolment = enrolments.get(frame.deviceId());
                UUID carrierId = carrierOfDevice.get(frame.deviceId());
                Event.CarrierRegistered registered = carrierId == null ? null : carriers.get(carrierId);
                carrier = registered == null ? null
                        : new AlertHistory.Carrier(registered.carrierId(), registered.region(), registered.profile());
            } else if (frame.type() == FrameType.PANIC) {
                repeats.add(new AlertHistory.Press(record.sequence(), accepted.eventId(), frame.counter(), deviceTime,
                        receiveTime));
                items.put(accepted.eventId(), AlertHistory.ItemKind.REPEATED_PRESS);
            } else if (frame.type() == FrameType.LOCATION) {
                items.put(accepted.eventId(), AlertHistory.ItemKind.LOCATION);
            } else if (frame.type() == FrameType.CANCEL) {
                items.put(accepted.eventId(), AlertHistory.ItemKind.CANCEL);
                cancels.add(new AlertHistory.Cancel(record.sequence(), accepted.eventId(), deviceTime, receiveTime));
            }
            if (frame.type().carriesLocation()) {
                track.add(point(record.sequence(), accepted.eventId(), frame, deviceTime, receiveTime));
            }
        }

        static AlertHistory.TrackPoint point(long sequence, UUID eventId, DeviceFrame frame, Instant deviceTime,
                                             Instant receiveTime) {
            Location l = frame.location();
            boolean fix = l.hasFix();
            return new AlertHistory.TrackPoint(sequence, eventId, frame.type().name(), deviceTime, receiveTime, fix,
                    fix ? l.latitude() : Double.NaN, fix ? l.longitude() : Double.NaN,
                    l.accuracyM() == Location.UNKNOWN_U16 ? null : l.accuracyM(),
                    l.fixAgeS() == Location.UNKNOWN_U16 ? null : l.fixAgeS(), source(l.source()),
                    l.batteryPercent() == Location.UNKNOWN_BATTERY ? null : l.batteryPercent());
        }

        static AlertHistory.LocationSource source(int code) {
            return switch (code) {
                case Location.SOURCE_NONE -> AlertHistory.LocationSource.NONE;
                case Location.SOURCE_GNSS -> AlertHistory.LocationSource.GNSS;
                case Location.SOURCE_WIFI -> AlertHistory.LocationSource.WIFI;
                case Location.SOURCE_CELL -> AlertHistory.LocationSource.CELL;
                case Location.SOURCE_LAST_KNOWN -> AlertHistory.LocationSource.LAST_KNOWN;
                default -> AlertHistory.LocationSource.UNKNOWN;
            };
        }

        AlertHistory build(VerifyResult result, X509Certificate ca, CheckpointVerifier.Report checkpoints) {
            AlertHistory.ChainCheck chain;
            if (failure != null) {
                chain = new AlertHistory.ChainCheck(false, press.sequence(), lastAlertSequence, alertRecords, logRecords,
                        failureAt, null, -1, "the record cannot be read: " + failure.getMessage(), result.tornTailBytes());
            } else if (!result.intact()) {
                VerifyResult.Problem p = result.problem();
                chain = new AlertHistory.ChainCheck(false, press.sequence(), lastAlertSequence, alertRecords, logRecords,
                        p.sequence(), p.segment(), p.offset(), p.description(), result.tornTailBytes());
            } else {
                chain = new AlertHistory.ChainCheck(true, press.sequence(), lastAlertSequence, alertRecords, logRecords,
                        -1, null, -1, null, result.tornTailBytes());
            }
            return new AlertHistory(membership.alertId(), type, membership.deviceId(),
                    enrolment == null ? null : enrolment.region(), carrier, press, repeats, track, cancels, deliveries,
                    escalations, shed, lifecycle, new AlertHistory.Verification(chain, signatures(ca),
                    anchor(checkpoints, lastAlertSequence)), recordings(), listens,
                    List.copyOf(listened.values()));
        }

        /** The alert's streams by {@link Recordings}' rule (presses first: they decide which streams are presses'). */
        List<RecordedStream> streams() {
            List<Event.FrameAccepted> frames = new ArrayList<>(presses);
            frames.addAll(audio);
            return Recordings.of(frames);
        }

        List<AlertHistory.Recording> recordings() {
            List<AlertHistory.Recording> recordings = new ArrayList<>();
            for (RecordedStream s : streams()) {
                String by = s.kind() == RecordedStream.Kind.PRESS ? null : listens.stream()
                        .filter(l -> l.deviceId() == s.deviceId() && l.commandId() == s.streamId())
                        .map(AlertHistory.ListenRequest::by).findFirst().orElse(null);
                recordings.add(new AlertHistory.Recording(s.deviceId(), s.streamId(),
                        s.kind() == RecordedStream.Kind.PRESS, by, s.firstReceived(), s.lastReceived(), s.received(),
                        s.frames(), s.gaps().stream().map(g -> new AlertHistory.Gap(g.fromSeq(), g.toSeq())).toList(),
                        s.ended()));
            }
            return recordings;
        }

        AlertHistory.SignatureCheck signatures(X509Certificate ca) {
            List<Long> failed = new ArrayList<>();
            if (enrolment == null) {
                failed.addAll(frames.keySet());
                return new AlertHistory.SignatureCheck(frames.size(), 0, failed, "no DeviceEnrolled record for device "
                        + DeviceIds.format(membership.deviceId()) + " before the press", "", null);
            }
            X509Certificate certificate;
            try {
                certificate = CertificateDer.parse(enrolment.certificateDer());
            } catch (GeneralSecurityException e) {
                failed.addAll(frames.keySet());
                return new AlertHistory.SignatureCheck(frames.size(), 0, failed, "unreadable certificate", "", null);
            }
            Map<Event.DeviceEnrolled, X509Certificate> certificates = new java.util.IdentityHashMap<>();
            certificates.put(enrolment, certificate);
            // one verifier per certificate: a verifier builds its key's table at its first check
            Map<X509Certificate, FrameVerifier> verifiers = new java.util.IdentityHashMap<>();
            int verified = 0;
            for (Map.Entry<Long, DeviceFrame> e : frames.entrySet()) {
                X509Certificate signer = certificateOf(signedUnder.get(e.getKey()), certificates);
                if (signer != null && verifiers.computeIfAbsent(signer, c -> new FrameVerifier(c.getPublicKey()))
                        .verify(e.getValue())) {
                    verified++;
                } else {
                    failed.add(e.getKey());
                }
            }
            Boolean issuedByCa = null;
            if (ca != null) {
                issuedByCa = certificates.values().stream().allMatch(c -> c != null && issuedBy(c, ca));
            }
            return new AlertHistory.SignatureCheck(frames.size(), verified, failed,
                    certificate.getSubjectX500Principal().getName(), certificate.getSerialNumber().toString(16), issuedByCa);
        }

        /** The certificate of an enrolment, parsed once; null when there is none or it cannot be read. */
        static X509Certificate certificateOf(Event.DeviceEnrolled enrolment,
                                             Map<Event.DeviceEnrolled, X509Certificate> parsed) {
            if (enrolment == null) {
                return null;
            }
            return parsed.computeIfAbsent(enrolment, e -> {
                try {
                    return CertificateDer.parse(e.certificateDer());
                } catch (GeneralSecurityException unreadable) {
                    return null;
                }
            });
        }

        static boolean issuedBy(X509Certificate certificate, X509Certificate ca) {
            try {
                certificate.verify(ca.getPublicKey());
                return certificate.getIssuerX500Principal().equals(ca.getSubjectX500Principal());
            } catch (GeneralSecurityException e) {
                return false;
            }
        }
    }
}
