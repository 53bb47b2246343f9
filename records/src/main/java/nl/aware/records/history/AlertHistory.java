package nl.aware.records.history;

import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Region;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Everything the log holds about one alert, read from it by {@link AlertHistoryReader}: who, which
 * device, every frame, every delivery attempt, escalation and control-room step, and whether the record
 * checks out. Holds personal data (the carrier's profile and locations): staff only, never a log line.
 *
 * @param alertId       the event id of the frame that opened the alert
 * @param type          real (PANIC) or test (TEST)
 * @param deviceId      the device that pressed
 * @param region        the device's region at the press (from its enrolment)
 * @param carrier       the carrier the device was assigned to at the press, or null when none was
 * @param press         the press that opened the alert
 * @param repeatedPresses later presses while the alert was open
 * @param track         every location the alert's PANIC and LOCATION frames carried, in log order
 * @param cancels       the carrier's (informational) CANCELs, usually none or one; a cancel never closes an alert
 * @param deliveries    every attempt to hand one of the alert's items to a target
 * @param escalations   escalations to Kadera's route
 * @param shed          items of the alert dropped under overload (never the press)
 * @param lifecycle     the steps the control room reported, in log order
 * @param verification  what was checked about these records and whether it held
 * @param recordings    the sound kept for the alert, one per stream (a press's or a LISTEN's), in order of start
 * @param listens       every LISTEN sent to a device for the alert: who asked to listen in live, and when
 * @param listened      every operator's listening session on the alert (records 44/45): who listened live, when,
 *                      for how long, and how it ended
 */
public record AlertHistory(UUID alertId, AlertType type, long deviceId, Region region, Carrier carrier, Press press,
                           List<Press> repeatedPresses, List<TrackPoint> track, List<Cancel> cancels,
                           List<DeliveryAttempt> deliveries, List<Escalation> escalations, List<Shed> shed,
                           List<LifecycleStep> lifecycle, Verification verification, List<Recording> recordings,
                           List<ListenRequest> listens, List<ListeningSession> listened) {

    /** A history without listening sessions (histories built by hand in tests). */
    public AlertHistory(UUID alertId, AlertType type, long deviceId, Region region, Carrier carrier, Press press,
                        List<Press> repeatedPresses, List<TrackPoint> track, List<Cancel> cancels,
                        List<DeliveryAttempt> deliveries, List<Escalation> escalations, List<Shed> shed,
                        List<LifecycleStep> lifecycle, Verification verification, List<Recording> recordings,
                        List<ListenRequest> listens) {
        this(alertId, type, deviceId, region, carrier, press, repeatedPresses, track, cancels, deliveries, escalations,
                shed, lifecycle, verification, recordings, listens, List.of());
    }

    /** A history without sound (alerts of devices that do not record, and tests that build one by hand). */
    public AlertHistory(UUID alertId, AlertType type, long deviceId, Region region, Carrier carrier, Press press,
                        List<Press> repeatedPresses, List<TrackPoint> track, List<Cancel> cancels,
                        List<DeliveryAttempt> deliveries, List<Escalation> escalations, List<Shed> shed,
                        List<LifecycleStep> lifecycle, Verification verification) {
        this(alertId, type, deviceId, region, carrier, press, repeatedPresses, track, cancels, deliveries, escalations,
                shed, lifecycle, verification, List.of(), List.of(), List.of());
    }

    public AlertHistory {
        recordings = List.copyOf(recordings);
        listens = List.copyOf(listens);
        listened = List.copyOf(listened);
        repeatedPresses = List.copyOf(repeatedPresses);
        track = List.copyOf(track);
        cancels = List.copyOf(cancels);
        deliveries = List.copyOf(deliveries);
        escalations = List.copyOf(escalations);
        shed = List.copyOf(shed);
        lifecycle = List.copyOf(lifecycle);
    }

    /** The carrier and the profile Kadera registered (decrypted with the data keys). */
    public record Carrier(UUID carrierId, Region region, CarrierProfile profile) {
    }

    /**
     * A press (PANIC or TEST frame). {@code deviceTime} is the device's clock (may be wrong),
     * {@code receiveTime} the server's when it accepted the frame.
     */
    public record Press(long sequence, UUID eventId, long counter, Instant deviceTime, Instant receiveTime) {
        /** Receive clock minus device clock: positive when the device's clock is behind or the press was held. */
        public Duration clockDifference() {
            return Duration.between(deviceTime, receiveTime);
        }

        /** More than 60 s apart, or a wrong device clock: marked delayed to the police (docs/protocol.md). */
        public boolean delayed() {
            return nl.aware.core.protocol.DeviceClock.delayed(deviceTime.toEpochMilli(), receiveTime.toEpochMilli());
        }

        /** The device time is before 2020 or over a day ahead of the receive time (DESIGN.md's rule). */
        public boolean deviceClockWrong() {
            return nl.aware.core.protocol.DeviceClock.wrong(deviceTime.toEpochMilli(), receiveTime.toEpochMilli());
        }
    }

    /** Where the fix came from, as the device said. */
    public enum LocationSource { NONE, GNSS, WIFI, CELL, LAST_KNOWN, UNKNOWN }

    /**
     * One location of the track. Without a fix, latitude and longitude are NaN; unknown accuracy, fix
     * age or battery are null.
     *
     * @param kind  PANIC (the press or a repeat) or LOCATION
     */
    public record TrackPoint(long sequence, UUID eventId, String kind, Instant deviceTime, Instant receiveTime,
                             boolean hasFix, double latitude, double longitude, Integer accuracyM, Integer fixAgeS,
                             LocationSource source, Integer batteryPercent) {
        /** Redacted, like {@code Location}: a victim's whereabouts must never reach a log line. */
        @Override
        public String toString() {
            return "TrackPoint[record=" + sequence + ", " + kind + ", " + (hasFix ? "fix" : "no fix") + ", redacted]";
        }
    }

    /** The carrier's CANCEL frame: recorded and passed on, never a reason to stop the response. */
    public record Cancel(long sequence, UUID eventId, Instant deviceTime, Instant receiveTime) {
    }

    /** What a delivery attempt was about. */
    public enum ItemKind { ALERT, REPEATED_PRESS, LOCATION, CANCEL }

    /**
     * One attempt to hand an item to a target. {@code delivered}: the target took it, {@code detail} is
     * then its reference (the police incident reference for the alert); otherwise the problem.
     */
    public record DeliveryAttempt(long sequence, Instant time, UUID itemId, ItemKind item, String target, int attempt,
                                  boolean delivered, String detail) {
    }

    /** The alert went out on Kadera's escalation route too (the police are still tried). */
    public record Escalation(long sequence, Instant time, String route, String reason) {
    }

    /** An item of the alert dropped under overload. */
    public record Shed(long sequence, Instant time, UUID itemId, ItemKind item, String reason) {
    }

    /** A step the control room reported, with the time since the press was received. */
    public record LifecycleStep(long sequence, Instant time, AlertStatus status, String incidentReference,
                                String reporter, Duration sincePress) {
    }

    /** Whether the alert's record was checked and held. */
    public record Verification(ChainCheck chain, SignatureCheck signatures, AnchorCheck anchor) {
        public Verification(ChainCheck chain, SignatureCheck signatures) {
            this(chain, signatures, AnchorCheck.NOT_CHECKED);
        }

        /**
         * The chain is intact, every frame's signature verifies, the certificate checks out, and no signed
         * checkpoint of the log is wrong (an alert not yet covered by one still verifies: by its chain).
         */
        public boolean verified() {
            return chain.intact() && signatures.allVerified() && anchor.problem() == null;
        }
    }

    /**
     * Whether a signed checkpoint (docs/evidence.md) covers the alert: the server signed the hash of a record at
     * or after the alert's last one, and the chain runs unbroken to it. {@code problem} names a checkpoint that
     * does not verify (null when none is wrong); {@code checkpointRecord} is 0 when none covers the alert.
     */
    public record AnchorCheck(boolean checked, boolean anchored, long checkpointRecord, long signedSequence,
                              Instant signedAt, String signer, String problem) {
        public static final AnchorCheck NOT_CHECKED = new AnchorCheck(false, false, 0, 0, null, null, null);
    }

    /**
     * The log's hash chain, CRCs and sequence, read from record 1 to the end (so over every record of the
     * alert). When not intact, {@code badSequence} names the first bad record (-1 when unknown),
     * {@code badSegment}/{@code badOffset} where it is, {@code problem} what is wrong; records after it
     * could not be read and are missing from this history.
     *
     * @param firstSequence the alert's first record; {@code lastSequence} its last one read
     * @param logRecords    records of the log read and checked
     */
    public record ChainCheck(boolean intact, long firstSequence, long lastSequence, long alertRecords, long logRecords,
                             long badSequence, String badSegment, long badOffset, String problem, long tornTailBytes) {
    }

    /**
     * The device signatures of the alert's frames, checked with the certificate the device was enrolled with
     * at the press. {@code failedRecords} are the records whose frame does not verify. {@code issuedByCa}
     * is null when no CA certificate was given, else whether the device certificate was signed by it.
     */
    public record SignatureCheck(int frames, int verifiedFrames, List<Long> failedRecords, String certificateSubject,
                                 String certificateSerial, Boolean issuedByCa) {
        public SignatureCheck {
            failedRecords = List.copyOf(failedRecords);
        }

        public boolean allVerified() {
            return frames > 0 && verifiedFrames == frames && failedRecords.isEmpty() && !Boolean.FALSE.equals(issuedByCa);
        }
    }

    /**
     * One recorded stream: the device's sound after a press ({@code requestedBy} null) or for a LISTEN (who asked).
     * {@code received} is the sound that arrived; {@code gaps} the ranges of AUDIO {@code seq} that never did;
     * {@code ended} whether the device sent the stream's last frame (else it was cut off: closed alert, lost link).
     */
    public record Recording(long deviceId, long streamId, boolean press, String requestedBy, Instant start,
                            Instant lastReceived, Duration received, int frames, List<Gap> gaps, boolean ended) {
        public Recording {
            gaps = List.copyOf(gaps);
        }
    }

    /** AUDIO frames {@code fromSeq..toSeq} (inclusive) of a stream that never arrived. */
    public record Gap(long fromSeq, long toSeq) {
        public long frames() {
            return toSeq - fromSeq + 1;
        }
    }

    /**
     * A LISTEN command sent to a device of the alert: {@code by} asked to listen in live for {@code seconds}. It
     * says who opened the microphone, not how long anyone listened (that needs the listening-session records).
     */
    public record ListenRequest(long sequence, Instant time, String by, long deviceId, long commandId, int seconds) {
    }

    /**
     * An operator's listening session (records 44/45): {@code joined} when it joined a stream the device was already
     * sending; {@code end} and {@code endReason} null while it had not ended when the history was read.
     */
    public record ListeningSession(long sequence, Instant start, String operator, long deviceId, boolean joined,
                                   Instant end, String endReason) {
    }

    /** The last lifecycle step reported, or null. */
    public LifecycleStep lastStep() {
        return lifecycle.isEmpty() ? null : lifecycle.get(lifecycle.size() - 1);
    }

    public boolean closed() {
        return lifecycle.stream().anyMatch(s -> s.status() == AlertStatus.CLOSED);
    }
}
