package nl.aware.core.event;

import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.protocol.Adp;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.NackReason;
import nl.aware.core.staff.AccessOutcome;
import nl.aware.core.staff.StaffRole;

import java.util.UUID;

/**
 * What the event log records: the log's whole vocabulary. The log is the single source of truth:
 * every projection (device registry, counters, open alerts, dispatch work) is rebuilt from these at
 * start-up. Each kind has a permanent record type code ({@link EventCodec}).
 */
public sealed interface Event {

    /** A device was enrolled for a carrier in a region with this certificate (DER). Re-enrolment replaces it. */
    record DeviceEnrolled(long deviceId, Region region, byte[] certificateDer) implements Event {
    }

    /** A device may no longer raise alarms. {@code reason} is an operator's short note, never personal data. */
    record DeviceRevoked(long deviceId, String reason) implements Event {
    }

    /**
     * A device frame passed authentication and the counter rules. {@code frame} is the exact signed
     * frame: evidence that this device sent this press with this location.
     */
    record FrameAccepted(UUID eventId, long receiveTimeMs, DeviceFrame frame) implements Event {
        public boolean delayed() {
            return nl.aware.core.protocol.DeviceClock.delayed(frame.deviceTimeMs(), receiveTimeMs);
        }

        /** The device time is before 2020 or over a day ahead: shown as the receive time, flagged. */
        public boolean deviceClockWrong() {
            return nl.aware.core.protocol.DeviceClock.wrong(frame.deviceTimeMs(), receiveTimeMs);
        }
    }

    /**
     * A frame was refused for a security reason (forged, replayed, wrong identity). {@code tlsDeviceId}
     * is the identity of the connection, {@code claimedDeviceId} what the frame said.
     */
    record SecurityViolation(long tlsDeviceId, long claimedDeviceId, long counter, NackReason reason) implements Event {
    }

    /**
     * One attempt to hand a piece of dispatch work to a target failed. {@code itemId} is the event id of
     * the frame that caused the work; {@code target} names the route (e.g. "ijsselland/primary").
     */
    record DeliveryFailed(UUID itemId, String target, int attempt, String problem) implements Event {
    }

    /**
     * A target took a piece of dispatch work. For a new alert this is the police accepting it, with
     * their incident reference ({@code reference} may be empty for updates and notices).
     */
    record Delivered(UUID itemId, String target, int attempt, String reference) implements Event {
    }

    /** No police acceptance in time: the alert went out on the escalation route too. */
    record AlertEscalated(UUID alertId, String route, String reason) implements Event {
    }

    /** Low-priority work dropped under overload (never a PANIC). */
    record WorkShed(UUID itemId, String reason) implements Event {
    }

    /**
     * A step of the alert's lifecycle ({@link AlertLifecycle}), reported by a control room's system through the
     * callback or by an operator in the console. {@code reporter} names who: the control room's certificate
     * name, or the operator's account. {@code outcome} is set for {@link AlertStatus#VERIFIED} only; {@code note}
     * is the operator's words (may be empty). Records written before the console have neither and read as
     * {@link ReportChannel#POLICE_SYSTEM}.
     */
    record AlertStatusReported(UUID alertId, AlertStatus status, String incidentReference, String reporter,
                               ReportChannel channel, VerificationOutcome outcome, String note)
            implements Event {
        public AlertStatusReported {
            java.util.Objects.requireNonNull(status, "status");
            java.util.Objects.requireNonNull(channel, "channel");
            AlertLifecycle.checkOutcome(status, outcome);
            note = note == null ? "" : note;
        }

        /** A report from a control room's own system through the callback. */
        public AlertStatusReported(UUID alertId, AlertStatus status, String incidentReference, String reporter) {
            this(alertId, status, incidentReference, reporter, ReportChannel.POLICE_SYSTEM, null, "");
        }

        @Override
        public String toString() { // the note may describe people: never in a log line
            return "AlertStatusReported[" + alertId + ", " + status.label() + ", by " + reporter + ", " + channel + "]";
        }
    }

    /**
     * Device supervision's word to Kadera staff about a device (offline, back online, low battery,
     * tamper, fault). {@code batteryPercent} is the last reported charge, 0xFF when unknown. Names no
     * carrier and no location.
     */
    /**
     * The server's signed statement that record {@code sequence} of its log had hash {@code hash} at
     * {@code timeMs}: ECDSA P-256 over {@link nl.aware.records.checkpoint.Checkpoints#signedBytes} by the key of
     * {@code certificateDer} (issued by the deployment's CA). Ties a log (or a bundle's range) to the server.
     */
    record Checkpoint(long sequence, byte[] hash, long timeMs, byte[] certificateDer, byte[] signature)
            implements Event {
        public Checkpoint {
            if (hash.length != 32) {
                throw new IllegalArgumentException("a checkpoint's hash has 32 bytes, got " + hash.length);
            }
        }
    }

    /** Kadera put an alert under legal hold: its locations survive the retention purge. Who, which alert, why. */
    record LegalHoldPlaced(UUID alertId, String by, String reason) implements Event {
    }

    /** The legal hold of an alert was lifted: its held locations are purged once their months have expired. */
    record LegalHoldReleased(UUID alertId, String by, String reason) implements Event {
    }

    /**
     * A copy of a frame of an alert under legal hold, written by the purge before it destroys the key of the
     * frame's month: sealed under the alert's hold key, bound to the original event id.
     */
    record FrameHeld(UUID eventId, UUID alertId, long receiveTimeMs, DeviceFrame frame) implements Event {
    }

    /**
     * Device counters the purge must keep: the highest counter of each device whose last frames are being purged,
     * so a replay of an old frame stays refused after its record can no longer be read.
     */
    record CounterFloor(java.util.Map<Long, Long> highestCounters) implements Event {
    }

    /**
     * The retention purge destroyed the location keys of {@code months} (YYYY-MM, receive time, UTC) and the hold
     * keys of {@code releasedHolds}; frames sealed with them can never be read again. Written before the keys
     * are destroyed.
     */
    record LocationsPurged(java.util.List<String> months, java.util.List<UUID> releasedHolds, String policy,
                           long cutoffMs, String by) implements Event {
    }

    /**
     * Read-only view, never written: a {@link FrameAccepted} or {@link FrameHeld} whose key the retention purge
     * destroyed. {@code note} says so, e.g. "location purged on 2026-11-25 under retention policy P90D".
     */
    record FramePurged(UUID eventId, long receiveTimeMs, String note) implements Event {
    }

    /** Kadera registered a carrier in a region; the profile is stored sealed (personal data). */
    record CarrierRegistered(UUID carrierId, Region region, CarrierProfile profile) implements Event {
    }

    /**
     * Kadera changed what the police are told about a carrier (name, phone, photo, threat, aggressor, notes);
     * the eligibility established at intake stays as registered. Stored sealed like the registration.
     */
    record CarrierProfileUpdated(UUID carrierId, CarrierProfile profile) implements Event {
    }

    /**
     * A carrier's participation ended: no device of theirs may raise an alarm any more (each was revoked
     * by a {@link DeviceRevoked} appended before this record) and none can be handed to them.
     */
    record CarrierEnded(UUID carrierId, String reason) implements Event {
    }

    /**
     * Issue 14, part "lane": Kadera recorded whether the carrier agrees that the device records sound by itself after
     * a press (the consent of the intake, changed later by a case worker). Who did it is in the access trail.
     */
    record RecordingConsentSet(UUID carrierId, boolean recordsAfterPress) implements Event {
        public RecordingConsentSet {
            java.util.Objects.requireNonNull(carrierId, "carrierId");
        }
    }

    /** A device was handed to a carrier: its presses carry that carrier's profile to the police. */
    record DeviceAssigned(long deviceId, UUID carrierId) implements Event {
    }

    record DeviceNotice(long deviceId, DeviceNoticeKind kind, int batteryPercent) implements Event {
        public DeviceNotice {
            java.util.Objects.requireNonNull(kind, "kind");
            if (batteryPercent < 0 || batteryPercent > 0xFF) {
                throw new IllegalArgumentException("batteryPercent is a u8, got " + batteryPercent);
            }
        }
    }

    // --- Staff access (nl.aware.core.staff, docs/staff-api.md); record type codes 20-29 ---

    /**
     * A staff account was created. {@code passwordHash} is an Argon2id PHC string, stored sealed;
     * {@code by} is the administrator who created it ("bootstrap" for the first one).
     */
    record StaffAccountCreated(String username, StaffRole role, String passwordHash, String by, long atMs)
            implements Event {
        @Override
        public String toString() {
            return "StaffAccountCreated[" + username + ", " + role + ", by " + by + "]";
        }
    }

    /** A staff account's password was set anew (by an administrator); its sessions end. */
    record StaffPasswordChanged(String username, String passwordHash, String by, long atMs) implements Event {
        @Override
        public String toString() {
            return "StaffPasswordChanged[" + username + ", by " + by + "]";
        }
    }

    /**
     * The regions whose control-room console an operator account serves (replacing any earlier set). An
     * operator sees the alerts of these regions only.
     */
    record OperatorRegionsSet(String username, java.util.Set<Region> regions, String by, long atMs) implements Event {
        public OperatorRegionsSet {
            regions = java.util.Set.copyOf(regions);
        }
    }

    /** A staff account may no longer log in; its sessions end. Permanent: a new account has a new name. */
    record StaffAccountDisabled(String username, String by, long atMs) implements Event {
    }

    /**
     * A staff account's second factor: a TOTP secret (160 bits) and the SHA-256 of its ten recovery
     * codes, both stored sealed and bound to the account; {@code step} is the TOTP step of the code that
     * confirmed it (never accepted again). A new enrolment replaces the old secret and codes.
     */
    record StaffSecondFactorEnrolled(String username, byte[] secret, java.util.List<String> recoveryHashes, long step,
                                     long atMs) implements Event {
        @Override
        public String toString() {
            return "StaffSecondFactorEnrolled[" + username + "]";
        }
    }

    /** A TOTP code of step {@code step} let the account in: no code of that step or earlier is accepted again. */
    record StaffSecondFactorUsed(String username, long step, long atMs) implements Event {
    }

    /** Recovery code number {@code index} (0-9) of the account was used, and is spent. */
    record StaffRecoveryCodeUsed(String username, int index, long atMs) implements Event {
    }

    /**
     * An administrator ({@code by}) removed the account's second factor (a lost phone and no recovery
     * code); the next sign-in enrols a new one. See the four-eyes rule in docs/staff-api.md.
     */
    record StaffSecondFactorReset(String username, String by, long atMs) implements Event {
    }

    /**
     * The access trail: one staff request or login attempt. {@code username} is who (empty when
     * unknown: no token, or a login to no such account), {@code action} what (e.g. "carrier.read"),
     * {@code subject} which record (a carrier, alert or account id; empty when none), {@code source}
     * the client address. Never holds personal data itself.
     */
    record StaffAccess(long atMs, String username, String source, String action, String subject,
                       AccessOutcome outcome) implements Event {
    }

    // --- Listen-in audio and commands (issue 14, DESIGN.md "ADP/1 additions"); record type codes 40-49 ---
    // The sound itself is a FrameAccepted of an AUDIO frame: sealed under its month key like a location, so the
    // retention purge shreds it and a legal hold keeps it. These records say what happened around it.

    /**
     * An AUDIO frame was refused with NACK 8 and not kept: its stream was not expected, or the carrier did not
     * agree to recording after a press. Counter and stream id only, never sound.
     */
    record AudioRefused(long deviceId, long counter, long streamId, AudioRefusal reason, long atMs) implements Event {
        public AudioRefused {
            java.util.Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Frames {@code fromSeq}..{@code toSeq} (inclusive) of a stream never arrived: recorded when the stream's
     * last frame was kept, so a court sees where the sound has holes.
     */
    record AudioGap(long deviceId, long streamId, long fromSeq, long toSeq, long atMs) implements Event {
    }

    /**
     * The server sent a COMMAND to a device. {@code commandId} is the frame's counter (and a LISTEN's stream id),
     * {@code by} who asked (an operator's account, or "server" for the automatic ALERT_STATUS), {@code alertId}
     * the alert it serves (null when none).
     */
    record CommandSent(long deviceId, long commandId, nl.aware.core.protocol.DeviceCommand command, int argument,
                       String by, UUID alertId, long atMs) implements Event {
        public CommandSent {
            java.util.Objects.requireNonNull(command, "command");
            java.util.Objects.requireNonNull(by, "by");
        }
    }

    /** No COMMAND_RESULT within 10 s: "no answer" (the device may not support it). Never retried by itself. */
    record CommandUnanswered(long deviceId, long commandId, long atMs) implements Event {
    }

    // --- Live listening in the control-room console (issue 14, "Live listening"); record type codes 44-45 ---
    // A listening session is an access to personal data (the carrier's surroundings): recorded before any sound
    // is served, and its end recorded too. Ids and names of staff only; never sound or location.

    /**
     * Operator {@code operator} started listening to alert {@code alertId}, whose device {@code deviceId} pressed;
     * {@code joined}: joined a stream the device was already sending for the alert (after its press, or for
     * another operator's LISTEN), no command sent; otherwise a LISTEN is sent next.
     */
    record ListeningStarted(UUID listeningId, UUID alertId, long deviceId, String operator, boolean joined,
                            long atMs) implements Event {
        public ListeningStarted {
            java.util.Objects.requireNonNull(listeningId, "listeningId");
            java.util.Objects.requireNonNull(alertId, "alertId");
            java.util.Objects.requireNonNull(operator, "operator");
        }
    }

    /** The listening session {@code listeningId} (see {@link ListeningStarted}) ended, and why. */
    record ListeningEnded(UUID listeningId, UUID alertId, long deviceId, String operator, ListeningEnd reason,
                          long atMs) implements Event {
        public ListeningEnded {
            java.util.Objects.requireNonNull(listeningId, "listeningId");
            java.util.Objects.requireNonNull(alertId, "alertId");
            java.util.Objects.requireNonNull(operator, "operator");
            java.util.Objects.requireNonNull(reason, "reason");
        }
    }
}
