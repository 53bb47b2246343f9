package nl.aware.core.event;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.crypto.LocationPurgedException;
import nl.aware.core.crypto.SealedDataException;
import nl.aware.core.log.LogRecord;
import nl.aware.core.protocol.Adp;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameFormatException;
import nl.aware.core.protocol.NackReason;
import nl.aware.core.staff.AccessOutcome;
import nl.aware.core.staff.StaffRole;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Binary encoding of {@link Event}s as log record payloads. Type codes are permanent.
 *
 * <p>Personal data is sealed before it reaches the log: an accepted frame (it holds the carrier's
 * location) is stored encrypted with the {@link DataKeyRing}, bound to its event id. Ids, times,
 * reasons and routes stay readable, so the hash chain verifies without keys.
 */
public final class EventCodec {
    /**
     * Each thread encodes into its own buffer, kept: a fresh 128-byte one grew, copying itself, for every sealed
     * frame, several times a press. Only the record's own bytes are new. {@link #encode} never calls itself.
     */
    private static final ThreadLocal<ByteBuf> SCRATCH = ThreadLocal.withInitial(() -> Unpooled.buffer(512));

    public static final int DEVICE_ENROLLED = 1;
    public static final int DEVICE_REVOKED = 2;
    public static final int FRAME_ACCEPTED = 3;
    public static final int SECURITY_VIOLATION = 4;
    public static final int DELIVERY_FAILED = 5;
    public static final int DELIVERED = 6;
    public static final int ALERT_ESCALATED = 7;
    public static final int WORK_SHED = 8;
    public static final int ALERT_STATUS_REPORTED = 9;
    public static final int DEVICE_NOTICE = 10;
    public static final int CARRIER_REGISTERED = 11;
    public static final int DEVICE_ASSIGNED = 12;
    /** Live administration (issue 12): carrier profile edits and the end of a participation. */
    public static final int CARRIER_PROFILE_UPDATED = 13;
    public static final int CARRIER_ENDED = 14;
    // Staff access: 20-29 (password hashes sealed, bound to the account name).
    public static final int STAFF_ACCOUNT_CREATED = 20;
    public static final int STAFF_PASSWORD_CHANGED = 21;
    public static final int STAFF_ACCOUNT_DISABLED = 22;
    public static final int STAFF_ACCESS = 23;
    public static final int STAFF_SECOND_FACTOR_ENROLLED = 24;
    public static final int STAFF_SECOND_FACTOR_USED = 25;
    public static final int STAFF_RECOVERY_CODE_USED = 26;
    public static final int STAFF_SECOND_FACTOR_RESET = 27;
    public static final int OPERATOR_REGIONS_SET = 29;
    /** Evidence and retention (issue 4): codes 30..39. */
    public static final int CHECKPOINT = 30;
    public static final int LEGAL_HOLD_PLACED = 31;
    public static final int LEGAL_HOLD_RELEASED = 32;
    public static final int FRAME_HELD = 33;
    public static final int COUNTER_FLOOR = 34;
    public static final int LOCATIONS_PURGED = 35;
    /** Listen-in audio and commands (issue 14): codes 40..49. The sound itself is a FRAME_ACCEPTED. */
    public static final int AUDIO_REFUSED = 40;
    public static final int AUDIO_GAP = 41;
    public static final int COMMAND_SENT = 42;
    public static final int COMMAND_UNANSWERED = 43;
    /** Live listening in the control-room console (issue 14): an operator's listening session, its start and end. */
    public static final int LISTENING_STARTED = 44;
    public static final int LISTENING_ENDED = 45;
    /** Consent to recording after a press, shown and changed by Kadera (issue 14, part "lane"). */
    public static final int RECORDING_CONSENT_SET = 46;

    private final DataKeyRing keys;

    public EventCodec(DataKeyRing keys) {
        this.keys = keys;
    }

    public static int typeOf(Event event) {
        if (event instanceof Event.DeviceEnrolled) {
            return DEVICE_ENROLLED;
        } else if (event instanceof Event.DeviceRevoked) {
            return DEVICE_REVOKED;
        } else if (event instanceof Event.FrameAccepted) {
            return FRAME_ACCEPTED;
        } else if (event instanceof Event.SecurityViolation) {
            return SECURITY_VIOLATION;
        } else if (event instanceof Event.DeliveryFailed) {
            return DELIVERY_FAILED;
        } else if (event instanceof Event.Delivered) {
            return DELIVERED;
        } else if (event instanceof Event.AlertEscalated) {
            return ALERT_ESCALATED;
        } else if (event instanceof Event.WorkShed) {
            return WORK_SHED;
        } else if (event instanceof Event.AlertStatusReported) {
            return ALERT_STATUS_REPORTED;
        } else if (event instanceof Event.CarrierRegistered) {
            return CARRIER_REGISTERED;
        } else if (event instanceof Event.DeviceAssigned) {
            return DEVICE_ASSIGNED;
        } else if (event instanceof Event.CarrierProfileUpdated) {
            return CARRIER_PROFILE_UPDATED;
        } else if (event instanceof Event.CarrierEnded) {
            return CARRIER_ENDED;
        } else if (event instanceof Event.StaffAccountCreated) {
            return STAFF_ACCOUNT_CREATED;
        } else if (event instanceof Event.StaffPasswordChanged) {
            return STAFF_PASSWORD_CHANGED;
        } else if (event instanceof Event.StaffAccountDisabled) {
            return STAFF_ACCOUNT_DISABLED;
        } else if (event instanceof Event.StaffAccess) {
            return STAFF_ACCESS;
        } else if (event instanceof Event.StaffSecondFactorEnrolled) {
            return STAFF_SECOND_FACTOR_ENROLLED;
        } else if (event instanceof Event.StaffSecondFactorUsed) {
            return STAFF_SECOND_FACTOR_USED;
        } else if (event instanceof Event.StaffRecoveryCodeUsed) {
            return STAFF_RECOVERY_CODE_USED;
        } else if (event instanceof Event.StaffSecondFactorReset) {
            return STAFF_SECOND_FACTOR_RESET;
        } else if (event instanceof Event.OperatorRegionsSet) {
            return OPERATOR_REGIONS_SET;
        } else if (event instanceof Event.Checkpoint) {
            return CHECKPOINT;
        } else if (event instanceof Event.LegalHoldPlaced) {
            return LEGAL_HOLD_PLACED;
        } else if (event instanceof Event.LegalHoldReleased) {
            return LEGAL_HOLD_RELEASED;
        } else if (event instanceof Event.FrameHeld) {
            return FRAME_HELD;
        } else if (event instanceof Event.CounterFloor) {
            return COUNTER_FLOOR;
        } else if (event instanceof Event.LocationsPurged) {
            return LOCATIONS_PURGED;
        } else if (event instanceof Event.AudioRefused) {
            return AUDIO_REFUSED;
        } else if (event instanceof Event.AudioGap) {
            return AUDIO_GAP;
        } else if (event instanceof Event.CommandSent) {
            return COMMAND_SENT;
        } else if (event instanceof Event.CommandUnanswered) {
            return COMMAND_UNANSWERED;
        } else if (event instanceof Event.ListeningStarted) { // live listening: 44-45
            return LISTENING_STARTED;
        } else if (event instanceof Event.ListeningEnded) {
            return LISTENING_ENDED;
        } else if (event instanceof Event.RecordingConsentSet) { // issue 14, part "lane"
            return RECORDING_CONSENT_SET;
        } else if (event instanceof Event.FramePurged) {
            throw new IllegalArgumentException("a purged frame is a read-only view, never written");
        } else {
            return DEVICE_NOTICE;
        }
    }

    public byte[] encode(Event event) {
        ByteBuf out = SCRATCH.get().clear();
        if (event instanceof Event.DeviceEnrolled e) {
            out.writeLong(e.deviceId()).writeByte(e.region().code());
            bytes(out, e.certificateDer());
        } else if (event instanceof Event.DeviceRevoked e) {
            out.writeLong(e.deviceId());
            text(out, e.reason());
        } else if (event instanceof Event.FrameAccepted e) {
            uuid(out, e.eventId());
            out.writeLong(e.receiveTimeMs());
            bytes(out, keys.sealLocation(e.frame().wireBytes(), associatedData(e.eventId()), e.receiveTimeMs()));
        } else if (event instanceof Event.SecurityViolation e) {
            out.writeLong(e.tlsDeviceId()).writeLong(e.claimedDeviceId()).writeLong(e.counter())
                    .writeByte(e.reason().code());
        } else if (event instanceof Event.DeliveryFailed e) {
            uuid(out, e.itemId());
            text(out, e.target());
            out.writeInt(e.attempt());
            text(out, e.problem());
        } else if (event instanceof Event.Delivered e) {
            uuid(out, e.itemId());
            text(out, e.target());
            out.writeInt(e.attempt());
            text(out, e.reference());
        } else if (event instanceof Event.AlertEscalated e) {
            uuid(out, e.alertId());
            text(out, e.route());
            text(out, e.reason());
        } else if (event instanceof Event.WorkShed e) {
            uuid(out, e.itemId());
            text(out, e.reason());
        } else if (event instanceof Event.AlertStatusReported e) {
            uuid(out, e.alertId());
            out.writeByte(e.status().code());
            text(out, e.incidentReference());
            text(out, e.reporter());
            // Added with the console; records without these bytes read as a callback report.
            out.writeByte(e.channel().code());
            out.writeByte(e.outcome() == null ? 0 : e.outcome().code());
            bytes(out, keys.seal(e.note().getBytes(StandardCharsets.UTF_8), associatedData(e.alertId())));
        } else if (event instanceof Event.CarrierRegistered e) {
            uuid(out, e.carrierId());
            out.writeByte(e.region().code());
            bytes(out, keys.seal(profile(e.profile()), associatedData(e.carrierId())));
        } else if (event instanceof Event.DeviceAssigned e) {
            out.writeLong(e.deviceId());
            uuid(out, e.carrierId());
        } else if (event instanceof Event.CarrierProfileUpdated e) {
            uuid(out, e.carrierId());
            bytes(out, keys.seal(profile(e.profile()), associatedData(e.carrierId())));
        } else if (event instanceof Event.CarrierEnded e) {
            uuid(out, e.carrierId());
            text(out, e.reason());
        } else if (event instanceof Event.DeviceNotice e) {
            out.writeLong(e.deviceId()).writeByte(e.kind().code()).writeByte(e.batteryPercent());
        } else if (event instanceof Event.StaffAccountCreated e) {
            text(out, e.username());
            out.writeByte(e.role().code());
            bytes(out, keys.seal(e.passwordHash().getBytes(StandardCharsets.UTF_8), associatedData(e.username())));
            text(out, e.by());
            out.writeLong(e.atMs());
        } else if (event instanceof Event.StaffPasswordChanged e) {
            text(out, e.username());
            bytes(out, keys.seal(e.passwordHash().getBytes(StandardCharsets.UTF_8), associatedData(e.username())));
            text(out, e.by());
            out.writeLong(e.atMs());
        } else if (event instanceof Event.StaffAccountDisabled e) {
            text(out, e.username());
            text(out, e.by());
            out.writeLong(e.atMs());
        } else if (event instanceof Event.StaffAccess e) {
            out.writeLong(e.atMs());
            text(out, e.username());
            text(out, e.source());
            text(out, e.action());
            text(out, e.subject());
            out.writeByte(e.outcome().code());
        } else if (event instanceof Event.StaffSecondFactorEnrolled e) {
            text(out, e.username());
            bytes(out, keys.seal(secondFactor(e), secondFactorData(e.username())));
            out.writeLong(e.step()).writeLong(e.atMs());
        } else if (event instanceof Event.StaffSecondFactorUsed e) {
            text(out, e.username());
            out.writeLong(e.step()).writeLong(e.atMs());
        } else if (event instanceof Event.StaffRecoveryCodeUsed e) {
            text(out, e.username());
            out.writeByte(e.index());
            out.writeLong(e.atMs());
        } else if (event instanceof Event.StaffSecondFactorReset e) {
            text(out, e.username());
            text(out, e.by());
            out.writeLong(e.atMs());
        } else if (event instanceof Event.OperatorRegionsSet e) {
            text(out, e.username());
            out.writeByte(e.regions().size());
            e.regions().stream().sorted().forEach(region -> out.writeByte(region.code()));
            text(out, e.by());
            out.writeLong(e.atMs());
        } else if (event instanceof Event.Checkpoint e) {
            out.writeLong(e.sequence()).writeBytes(e.hash()).writeLong(e.timeMs());
            bytes(out, e.certificateDer());
            bytes(out, e.signature());
        } else if (event instanceof Event.LegalHoldPlaced e) {
            uuid(out, e.alertId());
            text(out, e.by());
            text(out, e.reason());
        } else if (event instanceof Event.LegalHoldReleased e) {
            uuid(out, e.alertId());
            text(out, e.by());
            text(out, e.reason());
        } else if (event instanceof Event.FrameHeld e) {
            uuid(out, e.eventId());
            uuid(out, e.alertId());
            out.writeLong(e.receiveTimeMs());
            try {
                bytes(out, keys.sealHeld(e.alertId(), e.frame().wireBytes(), associatedData(e.eventId())));
            } catch (java.io.IOException io) {
                throw new java.io.UncheckedIOException("cannot create the hold key of alert " + e.alertId(), io);
            }
        } else if (event instanceof Event.CounterFloor e) {
            out.writeInt(e.highestCounters().size());
            e.highestCounters().forEach((device, counter) -> out.writeLong(device).writeLong(counter));
        } else if (event instanceof Event.LocationsPurged e) {
            out.writeShort(e.months().size());
            e.months().forEach(month -> text(out, month));
            out.writeShort(e.releasedHolds().size());
            e.releasedHolds().forEach(id -> uuid(out, id));
            text(out, e.policy());
            out.writeLong(e.cutoffMs());
            text(out, e.by());
        } else if (event instanceof Event.AudioRefused e) {
            out.writeLong(e.deviceId()).writeLong(e.counter()).writeLong(e.streamId()).writeByte(e.reason().code())
                    .writeLong(e.atMs());
        } else if (event instanceof Event.AudioGap e) {
            out.writeLong(e.deviceId()).writeLong(e.streamId()).writeInt((int) e.fromSeq()).writeInt((int) e.toSeq())
                    .writeLong(e.atMs());
        } else if (event instanceof Event.CommandSent e) {
            out.writeLong(e.deviceId()).writeLong(e.commandId()).writeByte(e.command().code())
                    .writeShort(e.argument());
            text(out, e.by());
            out.writeBoolean(e.alertId() != null);
            if (e.alertId() != null) {
                uuid(out, e.alertId());
            }
            out.writeLong(e.atMs());
        } else if (event instanceof Event.CommandUnanswered e) {
            out.writeLong(e.deviceId()).writeLong(e.commandId()).writeLong(e.atMs());
        } else if (event instanceof Event.ListeningStarted e) { // live listening: 44-45
            uuid(out, e.listeningId());
            uuid(out, e.alertId());
            out.writeLong(e.deviceId());
            text(out, e.operator());
            out.writeBoolean(e.joined()).writeLong(e.atMs());
        } else if (event instanceof Event.ListeningEnded e) {
            uuid(out, e.listeningId());
            uuid(out, e.alertId());
            out.writeLong(e.deviceId());
            text(out, e.operator());
            out.writeByte(e.reason().code()).writeLong(e.atMs());
        } else if (event instanceof Event.RecordingConsentSet e) { // issue 14, part "lane"
            uuid(out, e.carrierId());
            out.writeByte(e.recordsAfterPress() ? 1 : 0);
        }
        return ByteBufUtil.getBytes(out);
    }

    /**
     * The id a record names in clear, read without keys: a FrameAccepted's event id, the item id of a
     * Delivered/DeliveryFailed/WorkShed, the alert id of an AlertEscalated/AlertStatusReported; null for
     * other kinds or a payload too short to hold one. Lets a reader skip opening sealed frames it does not need.
     */
    public static UUID clearId(int type, byte[] payload) {
        return switch (type) {
            case FRAME_ACCEPTED, DELIVERED, DELIVERY_FAILED, WORK_SHED, ALERT_ESCALATED, ALERT_STATUS_REPORTED ->
                    payload.length < 16 ? null : new UUID(java.nio.ByteBuffer.wrap(payload).getLong(),
                            java.nio.ByteBuffer.wrap(payload, 8, 8).getLong());
            default -> null;
        };
    }

    /** Decodes a record written by {@link #encode}; an unknown type or a bad body is a corrupt log. */
    public Event decode(LogRecord record) throws EventFormatException {
        ByteBuf in = Unpooled.wrappedBuffer(record.payload());
        try {
            Event event = switch (record.type()) {
                case DEVICE_ENROLLED -> new Event.DeviceEnrolled(in.readLong(), Region.ofCode(in.readUnsignedByte()),
                        bytes(in));
                case DEVICE_REVOKED -> new Event.DeviceRevoked(in.readLong(), text(in));
                case FRAME_ACCEPTED -> frameAccepted(record.sequence(), uuid(in), in.readLong(), bytes(in));
                case SECURITY_VIOLATION -> new Event.SecurityViolation(in.readLong(), in.readLong(), in.readLong(),
                        NackReason.of(in.readUnsignedByte()).orElseThrow(() -> new EventFormatException(
                                record.sequence(), "unknown NACK reason")));
                case DELIVERY_FAILED -> new Event.DeliveryFailed(uuid(in), text(in), in.readInt(), text(in));
                case DELIVERED -> new Event.Delivered(uuid(in), text(in), in.readInt(), text(in));
                case ALERT_ESCALATED -> new Event.AlertEscalated(uuid(in), text(in), text(in));
                case WORK_SHED -> new Event.WorkShed(uuid(in), text(in));
                case ALERT_STATUS_REPORTED -> alertStatusReported(record.sequence(), in);
                case CARRIER_REGISTERED -> carrierRegistered(record.sequence(), uuid(in), Region.ofCode(in.readUnsignedByte()),
                        bytes(in));
                case DEVICE_ASSIGNED -> new Event.DeviceAssigned(in.readLong(), uuid(in));
                case CARRIER_PROFILE_UPDATED -> carrierProfileUpdated(record.sequence(), uuid(in), bytes(in));
                case CARRIER_ENDED -> new Event.CarrierEnded(uuid(in), text(in));
                case DEVICE_NOTICE -> new Event.DeviceNotice(in.readLong(),
                        DeviceNoticeKind.ofCode(in.readUnsignedByte()), in.readUnsignedByte());
                case STAFF_ACCOUNT_CREATED -> staffAccountCreated(record.sequence(), in);
                case STAFF_PASSWORD_CHANGED -> staffPasswordChanged(record.sequence(), in);
                case STAFF_ACCOUNT_DISABLED -> new Event.StaffAccountDisabled(text(in), text(in), in.readLong());
                case STAFF_ACCESS -> new Event.StaffAccess(in.readLong(), text(in), text(in), text(in), text(in),
                        AccessOutcome.ofCode(in.readUnsignedByte()));
                case STAFF_SECOND_FACTOR_ENROLLED -> secondFactorEnrolled(record.sequence(), in);
                case STAFF_SECOND_FACTOR_USED -> new Event.StaffSecondFactorUsed(text(in), in.readLong(), in.readLong());
                case STAFF_RECOVERY_CODE_USED -> new Event.StaffRecoveryCodeUsed(text(in), in.readUnsignedByte(),
                        in.readLong());
                case STAFF_SECOND_FACTOR_RESET -> new Event.StaffSecondFactorReset(text(in), text(in), in.readLong());
                case OPERATOR_REGIONS_SET -> operatorRegionsSet(in);
                case CHECKPOINT -> new Event.Checkpoint(in.readLong(), bytes(in, 32), in.readLong(), bytes(in), bytes(in));
                case LEGAL_HOLD_PLACED -> new Event.LegalHoldPlaced(uuid(in), text(in), text(in));
                case LEGAL_HOLD_RELEASED -> new Event.LegalHoldReleased(uuid(in), text(in), text(in));
                case FRAME_HELD -> frameHeld(record.sequence(), uuid(in), uuid(in), in.readLong(), bytes(in));
                case COUNTER_FLOOR -> counterFloor(in);
                case LOCATIONS_PURGED -> locationsPurged(in);
                case AUDIO_REFUSED -> new Event.AudioRefused(in.readLong(), in.readLong(), in.readLong(),
                        AudioRefusal.ofCode(in.readUnsignedByte()), in.readLong());
                case AUDIO_GAP -> new Event.AudioGap(in.readLong(), in.readLong(), in.readUnsignedInt(),
                        in.readUnsignedInt(), in.readLong());
                case COMMAND_SENT -> commandSent(in);
                case COMMAND_UNANSWERED -> new Event.CommandUnanswered(in.readLong(), in.readLong(), in.readLong());
                // live listening: 44-45
                case LISTENING_STARTED -> new Event.ListeningStarted(uuid(in), uuid(in), in.readLong(), text(in),
                        in.readBoolean(), in.readLong());
                case LISTENING_ENDED -> new Event.ListeningEnded(uuid(in), uuid(in), in.readLong(), text(in),
                        ListeningEnd.ofCode(in.readUnsignedByte()), in.readLong());
                case RECORDING_CONSENT_SET -> recordingConsentSet(record.sequence(), in); // issue 14, part "lane"
                default -> throw new EventFormatException(record.sequence(), "unknown event type " + record.type());
            };
            if (in.isReadable()) {
                throw new EventFormatException(record.sequence(), in.readableBytes() + " trailing bytes");
            }
            return event;
        } catch (IndexOutOfBoundsException e) {
            throw new EventFormatException(record.sequence(), "record body ends early");
        } catch (IllegalArgumentException e) {
            throw new EventFormatException(record.sequence(), e.getMessage());
        } catch (FrameFormatException e) {
            throw new EventFormatException(record.sequence(), "stored frame is invalid: " + e.getMessage());
        }
    }

    /** A frame whose month key the retention purge destroyed reads as {@link Event.FramePurged}, not as an error. */
    private Event frameAccepted(long sequence, UUID eventId, long receiveTimeMs, byte[] sealed)
            throws EventFormatException, FrameFormatException {
        byte[] wire;
        try {
            wire = keys.open(sealed, associatedData(eventId));
        } catch (LocationPurgedException e) {
            return new Event.FramePurged(eventId, receiveTimeMs, e.getMessage());
        } catch (SealedDataException e) {
            throw new EventFormatException(sequence, "stored frame: " + e.getMessage());
        }
        return new Event.FrameAccepted(eventId, receiveTimeMs, frame(sequence, wire));
    }

    private Event frameHeld(long sequence, UUID eventId, UUID alertId, long receiveTimeMs, byte[] sealed)
            throws EventFormatException, FrameFormatException {
        byte[] wire;
        try {
            wire = keys.openHeld(alertId, sealed, associatedData(eventId));
        } catch (LocationPurgedException e) {
            return new Event.FramePurged(eventId, receiveTimeMs, e.getMessage());
        } catch (SealedDataException e) {
            throw new EventFormatException(sequence, "held frame: " + e.getMessage());
        }
        return new Event.FrameHeld(eventId, alertId, receiveTimeMs, frame(sequence, wire));
    }

    private static Event.OperatorRegionsSet operatorRegionsSet(ByteBuf in) {
        String username = text(in);
        java.util.Set<Region> regions = java.util.EnumSet.noneOf(Region.class);
        for (int i = in.readUnsignedByte(); i > 0; i--) {
            regions.add(Region.ofCode(in.readUnsignedByte()));
        }
        return new Event.OperatorRegionsSet(username, regions, text(in), in.readLong());
    }

    private static Event.CommandSent commandSent(ByteBuf in) {
        long deviceId = in.readLong();
        long commandId = in.readLong();
        int code = in.readUnsignedByte();
        nl.aware.core.protocol.DeviceCommand command = nl.aware.core.protocol.DeviceCommand.of(code)
                .orElseThrow(() -> new IllegalArgumentException("unknown device command " + code));
        int argument = in.readUnsignedShort();
        String by = text(in);
        UUID alertId = in.readBoolean() ? uuid(in) : null;
        return new Event.CommandSent(deviceId, commandId, command, argument, by, alertId, in.readLong());
    }

    private static Event.CounterFloor counterFloor(ByteBuf in) {
        int count = in.readInt();
        java.util.Map<Long, Long> counters = new java.util.LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            counters.put(in.readLong(), in.readLong());
        }
        return new Event.CounterFloor(counters);
    }

    private static Event.LocationsPurged locationsPurged(ByteBuf in) {
        java.util.List<String> months = new java.util.ArrayList<>();
        for (int i = in.readUnsignedShort(); i > 0; i--) {
            months.add(text(in));
        }
        java.util.List<UUID> holds = new java.util.ArrayList<>();
        for (int i = in.readUnsignedShort(); i > 0; i--) {
            holds.add(uuid(in));
        }
        return new Event.LocationsPurged(months, holds, text(in), in.readLong(), text(in));
    }

    private static DeviceFrame frame(long sequence, byte[] wire) throws EventFormatException, FrameFormatException {
        int length = wire.length < Adp.LENGTH_FIELD_BYTES ? -1 : ((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF);
        if (length != wire.length - Adp.LENGTH_FIELD_BYTES || length == 0 || length > Adp.MAX_FRAME_LENGTH) {
            throw new EventFormatException(sequence, "stored frame has a bad length");
        }
        return DeviceFrame.parse(java.util.Arrays.copyOfRange(wire, Adp.LENGTH_FIELD_BYTES, wire.length));
    }

    private static byte[] profile(CarrierProfile p) {
        ByteBuf out = Unpooled.buffer(256);
        for (String field : new String[] {p.name(), p.phone(), p.photoReference(), p.threatDescription(),
                p.aggressorDescription(), p.policeNotes()}) {
            text(out, field);
        }
        CarrierProfile.Eligibility e = p.eligibility();
        out.writeByte((e.registeredAfterIntake() ? 1 : 0) | (e.livesInRegion() ? 2 : 0) | (e.agreesToFileReport() ? 4 : 0)
                | (e.realisticRisk() ? 8 : 0) | (e.noContactWithAggressor() ? 16 : 0));
        out.writeByte(p.recordsAfterPress() ? 1 : 0); // added with listen-in (issue 14); older profiles end before it
        return ByteBufUtil.getBytes(out);
    }

    private Event.CarrierRegistered carrierRegistered(long sequence, UUID carrierId, Region region, byte[] sealed)
            throws EventFormatException {
        return new Event.CarrierRegistered(carrierId, region, openProfile(sequence, carrierId, sealed));
    }

    /** Issue 14, part "lane": u128 carrierId, u8 consent (0 no, 1 yes); the time is the record's. */
    private static Event.RecordingConsentSet recordingConsentSet(long sequence, ByteBuf in)
            throws EventFormatException {
        UUID carrierId = uuid(in);
        int consent = in.readUnsignedByte();
        if (consent > 1) {
            throw new EventFormatException(sequence, "recording consent " + consent + " is neither 0 nor 1");
        }
        return new Event.RecordingConsentSet(carrierId, consent == 1);
    }

    private Event.CarrierProfileUpdated carrierProfileUpdated(long sequence, UUID carrierId, byte[] sealed)
            throws EventFormatException {
        return new Event.CarrierProfileUpdated(carrierId, openProfile(sequence, carrierId, sealed));
    }

    private CarrierProfile openProfile(long sequence, UUID carrierId, byte[] sealed) throws EventFormatException {
        byte[] plain;
        try {
            plain = keys.open(sealed, associatedData(carrierId));
        } catch (SealedDataException e) {
            throw new EventFormatException(sequence, "carrier profile: " + e.getMessage());
        }
        ByteBuf in = Unpooled.wrappedBuffer(plain);
        String name = text(in);
        String phone = text(in);
        String photo = text(in);
        String threat = text(in);
        String aggressor = text(in);
        String notes = text(in);
        int bits = in.readUnsignedByte();
        boolean recordsAfterPress = in.isReadable() && in.readUnsignedByte() == 1; // absent before issue 14: no consent
        return new CarrierProfile(name, phone, photo, threat, aggressor,
                notes, new CarrierProfile.Eligibility((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0,
                (bits & 8) != 0, (bits & 16) != 0), recordsAfterPress);
    }

    private Event.AlertStatusReported alertStatusReported(long sequence, ByteBuf in) throws EventFormatException {
        UUID alertId = uuid(in);
        AlertStatus status = AlertStatus.ofCode(in.readUnsignedByte());
        String incidentReference = text(in);
        String reporter = text(in);
        if (!in.isReadable()) {
            return new Event.AlertStatusReported(alertId, status, incidentReference, reporter);
        }
        ReportChannel channel = ReportChannel.ofCode(in.readUnsignedByte());
        int outcome = in.readUnsignedByte();
        byte[] sealedNote = bytes(in);
        byte[] note;
        try {
            // A reader without keys (evidence verifiers read clear fields only) gets no note.
            note = keys == null ? new byte[0] : keys.open(sealedNote, associatedData(alertId));
        } catch (SealedDataException e) {
            throw new EventFormatException(sequence, "lifecycle note: " + e.getMessage());
        }
        return new Event.AlertStatusReported(alertId, status, incidentReference, reporter, channel,
                outcome == 0 ? null : VerificationOutcome.ofCode(outcome), new String(note, StandardCharsets.UTF_8));
    }

    private Event.StaffAccountCreated staffAccountCreated(long sequence, ByteBuf in) throws EventFormatException {
        String username = text(in);
        StaffRole role = StaffRole.ofCode(in.readUnsignedByte());
        String hash = passwordHash(sequence, username, bytes(in));
        return new Event.StaffAccountCreated(username, role, hash, text(in), in.readLong());
    }

    private Event.StaffPasswordChanged staffPasswordChanged(long sequence, ByteBuf in) throws EventFormatException {
        String username = text(in);
        String hash = passwordHash(sequence, username, bytes(in));
        return new Event.StaffPasswordChanged(username, hash, text(in), in.readLong());
    }

    private String passwordHash(long sequence, String username, byte[] sealed) throws EventFormatException {
        try {
            return new String(keys.open(sealed, associatedData(username)), StandardCharsets.UTF_8);
        } catch (SealedDataException e) {
            throw new EventFormatException(sequence, "staff password hash: " + e.getMessage());
        }
    }

    private static byte[] secondFactor(Event.StaffSecondFactorEnrolled e) {
        ByteBuf out = Unpooled.buffer(64 + 68 * e.recoveryHashes().size());
        bytes(out, e.secret());
        out.writeByte(e.recoveryHashes().size());
        e.recoveryHashes().forEach(hash -> text(out, hash));
        return ByteBufUtil.getBytes(out);
    }

    private Event.StaffSecondFactorEnrolled secondFactorEnrolled(long sequence, ByteBuf in) throws EventFormatException {
        String username = text(in);
        byte[] plain;
        try {
            plain = keys.open(bytes(in), secondFactorData(username));
        } catch (SealedDataException e) {
            throw new EventFormatException(sequence, "staff second factor: " + e.getMessage());
        }
        ByteBuf sealed = Unpooled.wrappedBuffer(plain);
        byte[] secret = bytes(sealed);
        java.util.List<String> hashes = new java.util.ArrayList<>();
        for (int i = sealed.readUnsignedByte(); i > 0; i--) {
            hashes.add(text(sealed));
        }
        return new Event.StaffSecondFactorEnrolled(username, secret, java.util.List.copyOf(hashes), in.readLong(),
                in.readLong());
    }

    /** Binds a sealed second factor to its account (and apart from its password hash). */
    private static byte[] secondFactorData(String username) {
        return ("staff-totp:" + username).getBytes(StandardCharsets.UTF_8);
    }

    /** Binds a sealed password hash to its account: copied to another account, it no longer opens. */
    private static byte[] associatedData(String username) {
        return ("staff-account:" + username).getBytes(StandardCharsets.UTF_8);
    }

    /** Binds a sealed value to its id (event id, carrier id): moved to another record, it no longer opens. */
    private static byte[] associatedData(UUID eventId) {
        return ByteBufUtil.getBytes(Unpooled.buffer(16).writeLong(eventId.getMostSignificantBits())
                .writeLong(eventId.getLeastSignificantBits()));
    }

    private static void uuid(ByteBuf out, UUID id) {
        out.writeLong(id.getMostSignificantBits()).writeLong(id.getLeastSignificantBits());
    }

    private static UUID uuid(ByteBuf in) {
        return new UUID(in.readLong(), in.readLong());
    }

    private static void text(ByteBuf out, String text) {
        bytes(out, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuf in) {
        return new String(bytes(in), StandardCharsets.UTF_8);
    }

    private static void bytes(ByteBuf out, byte[] bytes) {
        out.writeShort(bytes.length).writeBytes(bytes);
    }

    private static byte[] bytes(ByteBuf in) {
        return bytes(in, in.readUnsignedShort());
    }

    private static byte[] bytes(ByteBuf in, int length) {
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return bytes;
    }
}
