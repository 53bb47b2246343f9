package nl.aware.records.evidence;

import nl.aware.core.crypto.Sha256;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.log.LogRecord;
import nl.aware.core.pki.CertificateDer;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.Location;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The one definition of what a bundle's readable fields say. The exporter writes them and the
 * verifier recomputes them from the bytes that carry the proof (record bodies, signed frames), so a
 * readable field that disagrees with its bytes is a damaged bundle (docs/evidence.md).
 */
final class BundleFormat {
    static final String FORMAT = "aware-alert-bundle";
    static final long VERSION = 1;
    /** Version 2: the range ends with a signed checkpoint ({@code checkpoint} in the manifest). */
    static final long VERSION_ANCHORED = 2;
    static final String MANIFEST = "manifest.json";
    static final String RECORDS = "records.json";
    static final String FRAMES = "frames.json";
    static final String DEVICE_CERT = "device.pem";
    static final String CA_CERT = "ca.pem";

    /** The certificate of another device of the carrier whose presses joined the alert. */
    static String otherDeviceCert(long deviceId) {
        return "device-" + nl.aware.core.pki.DeviceIds.format(deviceId) + ".pem";
    }
    static final String README = "README.txt";

    /** The manifest's reading aid for one recording (its file, if any, is listed with its digest in files). */
    static Map<String, Object> recordingEntry(nl.aware.records.audio.RecordedStream stream) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("file", stream.opus() ? nl.aware.records.audio.Recordings.fileName(stream) : null);
        entry.put("deviceId", DeviceIds.format(stream.deviceId()));
        entry.put("streamId", Long.toUnsignedString(stream.streamId()));
        entry.put("kind", stream.kind().name().toLowerCase(java.util.Locale.ROOT));
        entry.put("frames", (long) stream.frames());
        entry.put("firstReceived", stream.firstReceived().toString());
        entry.put("lastReceived", stream.lastReceived().toString());
        entry.put("receivedMs", stream.received().toMillis());
        List<Object> gaps = new java.util.ArrayList<>();
        for (nl.aware.records.audio.RecordedStream.Gap g : stream.gaps()) {
            Map<String, Object> gap = new LinkedHashMap<>();
            gap.put("fromSeq", g.fromSeq());
            gap.put("toSeq", g.toSeq());
            gaps.add(gap);
        }
        entry.put("gaps", gaps);
        entry.put("endedByDevice", stream.ended());
        return entry;
    }

    /** A recording's Ogg Opus file: deterministic, so the verifier rebuilds it from the signed frames. */
    static byte[] recordingFile(UUID alertId, nl.aware.records.audio.RecordedStream stream) {
        return stream.oggOpus(alertId.toString(), DeviceIds.format(stream.deviceId()));
    }

    /** Body layout of docs/event-log.md: u64 sequence | i64 timestampMs | u8 type | 32 prevHash | payload. */
    static final int BODY_FIXED_BYTES = 8 + 8 + 1 + 32;
    /** AES-256-GCM sealing of DataKeyRing: u8 version | u16 keyId | 12-byte nonce | ciphertext | 16-byte tag. */
    static final int SEAL_OVERHEAD = 3 + 12 + 16;

    static final HexFormat HEX = HexFormat.of();

    private BundleFormat() {
    }

    /** A parsed record body. */
    record Body(long sequence, long timestampMs, int type, byte[] prevHash, byte[] payload, byte[] hash) {
        LogRecord toLogRecord() {
            return new LogRecord(sequence, timestampMs, type, payload, hash);
        }
    }

    static byte[] encodeBody(LogRecord record, byte[] prevHash) {
        return ByteBuffer.allocate(BODY_FIXED_BYTES + record.payload().length).putLong(record.sequence())
                .putLong(record.timestampMs()).put((byte) record.type()).put(prevHash).put(record.payload()).array();
    }

    static Body parseBody(byte[] body) {
        if (body.length < BODY_FIXED_BYTES) {
            throw new IllegalArgumentException("body of " + body.length + " bytes is shorter than the "
                    + BODY_FIXED_BYTES + "-byte record header");
        }
        ByteBuffer in = ByteBuffer.wrap(body);
        long sequence = in.getLong();
        long timestamp = in.getLong();
        int type = in.get() & 0xFF;
        byte[] prevHash = new byte[32];
        in.get(prevHash);
        byte[] payload = new byte[in.remaining()];
        in.get(payload);
        return new Body(sequence, timestamp, type, prevHash, payload, sha256(body));
    }

    static byte[] sha256(byte[] bytes) {
        return Sha256.of(bytes);
    }

    static String typeName(int type) {
        return switch (type) {
            case EventCodec.DEVICE_ENROLLED -> "DeviceEnrolled";
            case EventCodec.DEVICE_REVOKED -> "DeviceRevoked";
            case EventCodec.FRAME_ACCEPTED -> "FrameAccepted";
            case EventCodec.SECURITY_VIOLATION -> "SecurityViolation";
            case EventCodec.DELIVERY_FAILED -> "DeliveryFailed";
            case EventCodec.DELIVERED -> "Delivered";
            case EventCodec.ALERT_ESCALATED -> "AlertEscalated";
            case EventCodec.WORK_SHED -> "WorkShed";
            case EventCodec.ALERT_STATUS_REPORTED -> "AlertStatusReported";
            case EventCodec.DEVICE_NOTICE -> "DeviceNotice";
            case EventCodec.CHECKPOINT -> "Checkpoint";
            case EventCodec.AUDIO_REFUSED -> "AudioRefused";
            case EventCodec.AUDIO_GAP -> "AudioGap";
            case EventCodec.COMMAND_SENT -> "CommandSent";
            case EventCodec.COMMAND_UNANSWERED -> "CommandUnanswered";
            default -> "type-" + type;
        };
    }

    /** The readable part of a FrameAccepted payload: event id and receive time stay in clear, the frame is sealed. */
    record AcceptedHeader(UUID eventId, long receiveTimeMs, int sealedBytes, byte[] sealed) {
    }

    static AcceptedHeader acceptedHeader(byte[] payload) {
        if (payload.length < 16 + 8 + 2) {
            throw new IllegalArgumentException("FrameAccepted payload of " + payload.length + " bytes is too short");
        }
        ByteBuffer in = ByteBuffer.wrap(payload);
        UUID eventId = new UUID(in.getLong(), in.getLong());
        long receiveTime = in.getLong();
        int length = in.getShort() & 0xFFFF;
        if (in.remaining() != length) {
            throw new IllegalArgumentException("FrameAccepted payload says " + length + " sealed bytes, holds "
                    + in.remaining());
        }
        byte[] sealed = new byte[length];
        in.get(sealed);
        return new AcceptedHeader(eventId, receiveTime, length, sealed);
    }

    /**
     * What a record is, in words, from its body alone (no keys). For records of the alert the clear
     * fields of the event are spelled out; for other records only their kind (their bytes are in the body).
     */
    static Map<String, Object> recordEntry(byte[] body, boolean ofAlert) {
        Body b = parseBody(body);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("sequence", b.sequence());
        entry.put("time", Instant.ofEpochMilli(b.timestampMs()).toString());
        entry.put("type", (long) b.type());
        entry.put("typeName", typeName(b.type()));
        entry.put("ofAlert", ofAlert);
        entry.put("hash", HEX.formatHex(b.hash()));
        entry.put("prevHash", HEX.formatHex(b.prevHash()));
        if (ofAlert) {
            entry.put("event", event(b));
        }
        entry.put("body", HEX.formatHex(body));
        return entry;
    }

    /** The clear fields of an event (a FrameAccepted's frame is sealed: only its id, receive time and size). */
    static Map<String, Object> event(Body b) {
        Map<String, Object> event = new LinkedHashMap<>();
        if (b.type() == EventCodec.FRAME_ACCEPTED) {
            AcceptedHeader h = acceptedHeader(b.payload());
            event.put("eventId", h.eventId().toString());
            event.put("receiveTime", Instant.ofEpochMilli(h.receiveTimeMs()).toString());
            event.put("receiveTimeMs", h.receiveTimeMs());
            event.put("sealedFrameBytes", (long) h.sealedBytes());
            return event;
        }
        Event decoded;
        try {
            // Only the FrameAccepted type needs keys; the dispatch events are clear text.
            decoded = new EventCodec(null).decode(b.toLogRecord());
        } catch (EventFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (decoded instanceof Event.Delivered d) {
            event.put("itemId", d.itemId().toString());
            event.put("target", d.target());
            event.put("attempt", (long) d.attempt());
            event.put("reference", d.reference());
        } else if (decoded instanceof Event.DeliveryFailed d) {
            event.put("itemId", d.itemId().toString());
            event.put("target", d.target());
            event.put("attempt", (long) d.attempt());
            event.put("problem", d.problem());
        } else if (decoded instanceof Event.WorkShed d) {
            event.put("itemId", d.itemId().toString());
            event.put("reason", d.reason());
        } else if (decoded instanceof Event.AlertEscalated d) {
            event.put("alertId", d.alertId().toString());
            event.put("route", d.route());
            event.put("reason", d.reason());
        } else if (decoded instanceof Event.AlertStatusReported d) {
            event.put("alertId", d.alertId().toString());
            event.put("status", d.status().label());
            event.put("incidentReference", d.incidentReference());
            event.put("reporter", d.reporter());
            if (d.channel() == nl.aware.core.event.ReportChannel.CONSOLE) {
                event.put("channel", "console");
                if (d.outcome() != null) {
                    event.put("outcome", d.outcome().label());
                }
                // the operator's note is sealed personal data, not a clear field
            }
        } else if (decoded instanceof Event.CommandSent d) {
            event.put("alertId", String.valueOf(d.alertId()));
            event.put("deviceId", DeviceIds.format(d.deviceId()));
            event.put("commandId", d.commandId());
            event.put("command", d.command().name());
            event.put("argument", (long) d.argument());
            event.put("by", d.by());
        } else if (decoded instanceof Event.ListeningStarted d) {
            event.put("alertId", d.alertId().toString());
            event.put("listeningId", d.listeningId().toString());
            event.put("deviceId", DeviceIds.format(d.deviceId()));
            event.put("operator", d.operator());
            event.put("joined", d.joined());
        } else if (decoded instanceof Event.ListeningEnded d) {
            event.put("alertId", d.alertId().toString());
            event.put("listeningId", d.listeningId().toString());
            event.put("deviceId", DeviceIds.format(d.deviceId()));
            event.put("operator", d.operator());
            event.put("reason", d.reason().label());
        } else {
            throw new IllegalArgumentException(typeName(b.type()) + " is not a record of an alert");
        }
        return event;
    }

    /** The sequence a checkpoint record signs: its payload starts with it (clear, no keys). */
    static long checkpointedSequence(byte[] payload) {
        if (payload.length < 8) {
            throw new IllegalArgumentException("Checkpoint payload of " + payload.length + " bytes is too short");
        }
        return ByteBuffer.wrap(payload).getLong();
    }

    /** The manifest's reading aid for the checkpoint that ends a range: what it signs, when, by whom. */
    static Map<String, Object> checkpointEntry(LogRecord record) {
        Event.Checkpoint c;
        try {
            c = (Event.Checkpoint) new EventCodec(null).decode(record);
        } catch (EventFormatException | ClassCastException e) {
            throw new IllegalArgumentException("record " + record.sequence() + " is not a readable checkpoint");
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("record", record.sequence());
        entry.put("signsSequence", c.sequence());
        entry.put("signsHash", HEX.formatHex(c.hash()));
        entry.put("time", Instant.ofEpochMilli(c.timeMs()).toString());
        String signer;
        try {
            signer = CertificateDer.parse(c.certificateDer()).getSubjectX500Principal()
                    .getName();
        } catch (java.security.cert.CertificateException e) {
            signer = "(unreadable certificate)";
        }
        entry.put("signer", signer);
        return entry;
    }

    /** The item or alert id a dispatch record refers to, or null for other kinds. Clear text, no keys. */
    static UUID reference(Body b) {
        return b.type() == EventCodec.FRAME_ACCEPTED ? null : EventCodec.clearId(b.type(), b.payload());
    }

    /** Role of an alert frame: the press that opened it, a later press, a location update or the cancel. */
    static String role(DeviceFrame frame, boolean first) {
        return switch (frame.type()) {
            case PANIC -> first ? "press" : "press-again";
            case LOCATION -> "location";
            case CANCEL -> "cancel";
            case AUDIO -> "audio";
            default -> "other";
        };
    }

    /** What a signed frame says, spelled out from its bytes. */
    static Map<String, Object> frameFields(DeviceFrame frame) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", frame.type().name());
        f.put("deviceId", DeviceIds.format(frame.deviceId()));
        f.put("counter", frame.counter());
        f.put("deviceTime", Instant.ofEpochMilli(frame.deviceTimeMs()).toString());
        f.put("deviceTimeMs", frame.deviceTimeMs());
        if (frame.type().carriesLocation()) {
            Location l = frame.location();
            f.put("hasFix", l.hasFix());
            f.put("latE7", (long) l.latE7());
            f.put("lonE7", (long) l.lonE7());
            f.put("latitude", l.hasFix() ? decimal(l.latE7()) : null);
            f.put("longitude", l.hasFix() ? decimal(l.lonE7()) : null);
            f.put("accuracyM", l.accuracyM() == Location.UNKNOWN_U16 ? null : (Object) (long) l.accuracyM());
            f.put("fixAgeS", l.fixAgeS() == Location.UNKNOWN_U16 ? null : (Object) (long) l.fixAgeS());
            f.put("source", source(l.source()));
            f.put("batteryPercent", l.batteryPercent() == Location.UNKNOWN_BATTERY ? null : (Object) (long) l.batteryPercent());
        }
        if (frame.type() == nl.aware.core.protocol.FrameType.AUDIO) { // the sound itself is only in the wire bytes
            nl.aware.core.protocol.AudioChunk a = frame.audio();
            f.put("streamId", Long.toUnsignedString(a.streamId()));
            f.put("seq", a.seq());
            f.put("codec", a.codec() == nl.aware.core.protocol.AudioChunk.CODEC_OPUS ? "opus" : "g711-ulaw");
            f.put("lastOfStream", a.last());
            f.put("durationMs", (long) a.durationMs());
            f.put("audioBytes", (long) a.data().length);
        }
        f.put("signature", HEX.formatHex(frame.signature()));
        return f;
    }

    private static String decimal(int e7) {
        return new java.math.BigDecimal(e7).movePointLeft(7).toPlainString();
    }

    private static String source(int code) {
        return switch (code) {
            case Location.SOURCE_NONE -> "none";
            case Location.SOURCE_GNSS -> "gnss";
            case Location.SOURCE_WIFI -> "wifi";
            case Location.SOURCE_CELL -> "cell";
            case Location.SOURCE_LAST_KNOWN -> "last-known";
            default -> "code-" + code;
        };
    }

    static Map<String, Object> frameEntry(long recordSequence, UUID eventId, String role, DeviceFrame frame) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("record", recordSequence);
        entry.put("eventId", eventId.toString());
        entry.put("role", role);
        entry.put("frame", frameFields(frame));
        entry.put("wire", HEX.formatHex(frame.wireBytes()));
        return entry;
    }
}
