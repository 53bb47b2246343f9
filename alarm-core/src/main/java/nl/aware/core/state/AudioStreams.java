package nl.aware.core.state;

import nl.aware.core.event.AudioRefusal;
import nl.aware.core.protocol.AudioChunk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The audio streams a device may send now (DESIGN.md "ADP/1 additions"): the stream of each PANIC of an open
 * alert (its counter is the stream id) and the stream of each LISTEN sent to it (the command id), and which
 * sequence numbers of each are missing so far. Rebuilt from the log like every projection.
 *
 * <p>A press stream ends when its alert is closed or its last frame is kept; a LISTEN stream when its last frame
 * is kept, a STOP is sent, or the device answers that it will not listen. Memory is bounded by the frames
 * received: missing sequence numbers are kept as ranges, never as one bit per number.
 *
 * <p>Thread-safety: changed on the log's one applying thread; read from any thread (the gateway's intake).
 */
public final class AudioStreams {

    /** What a stream is for: the recording a press started, or listening an operator asked for. */
    public enum Kind { AFTER_PRESS, LISTEN }

    private record Key(long deviceId, long streamId) {
    }

    /** One open stream; {@code missing} maps the first missing seq of each hole to its last. */
    private static final class Stream {
        final Kind kind;
        final UUID alertId;
        final TreeMap<Long, Long> missing = new TreeMap<>();
        long nextSeq;

        Stream(Kind kind, UUID alertId) {
            this.kind = kind;
            this.alertId = alertId;
        }

        synchronized void received(long seq) {
            if (seq >= nextSeq) {
                if (seq > nextSeq) {
                    missing.put(nextSeq, seq - 1);
                }
                nextSeq = seq + 1;
                return;
            }
            Map.Entry<Long, Long> hole = missing.floorEntry(seq);
            if (hole == null || hole.getValue() < seq) {
                return; // a sequence number seen before (a re-signed resend): nothing missing changes
            }
            missing.remove(hole.getKey());
            if (hole.getKey() < seq) {
                missing.put(hole.getKey(), seq - 1);
            }
            if (seq < hole.getValue()) {
                missing.put(seq + 1, hole.getValue());
            }
        }

        synchronized List<long[]> holes() {
            List<long[]> holes = new ArrayList<>();
            missing.forEach((from, to) -> holes.add(new long[] {from, to}));
            return holes;
        }
    }

    private final CarrierRegistry carriers;
    private final Map<Key, Stream> open = new ConcurrentHashMap<>();
    /**
     * The press streams of each alert, so that closing an alert does not walk every open stream: at 1,000
     * presses/s that walk took a quarter of the applying thread (applying thread only).
     */
    private final Map<UUID, List<Key>> pressStreams = new HashMap<>();
    /** Holes of streams whose last frame was kept, until the intake has recorded them as gaps. */
    private final Map<Key, List<long[]>> endedWithHoles = new ConcurrentHashMap<>();

    AudioStreams(CarrierRegistry carriers) {
        this.carriers = carriers;
    }

    /** A durable PANIC of {@code alertId}: the device may record after it. */
    void pressed(long deviceId, long counter, UUID alertId) {
        Key key = new Key(deviceId, counter);
        if (open.putIfAbsent(key, new Stream(Kind.AFTER_PRESS, alertId)) == null) {
            pressStreams.computeIfAbsent(alertId, id -> new ArrayList<>()).add(key);
        }
    }

    /** A LISTEN was sent: the device may stream under the command id. */
    void listening(long deviceId, long commandId, UUID alertId) {
        open.putIfAbsent(new Key(deviceId, commandId), new Stream(Kind.LISTEN, alertId));
    }

    /** STOP sent, or the device would not listen: the device's LISTEN streams end. */
    void stopListening(long deviceId) {
        open.entrySet().removeIf(e -> e.getKey().deviceId() == deviceId && e.getValue().kind == Kind.LISTEN);
    }

    /** A LISTEN the device answered with refused, not supported or failed. */
    void listenRefused(long deviceId, long commandId) {
        open.computeIfPresent(new Key(deviceId, commandId), (k, s) -> s.kind == Kind.LISTEN ? null : s);
    }

    /** The control room closed the alert: the recordings after its presses end. */
    void alertClosed(UUID alertId) {
        List<Key> keys = pressStreams.remove(alertId);
        if (keys != null) {
            keys.forEach(key -> open.computeIfPresent(key, (k, stream) -> stream.kind == Kind.AFTER_PRESS ? null : stream));
        }
    }

    /** A durable AUDIO frame. */
    void kept(long deviceId, AudioChunk chunk) {
        Key key = new Key(deviceId, chunk.streamId());
        Stream stream = open.get(key);
        if (stream == null) {
            return; // accepted as a retransmission after its stream ended, or replayed after a purge
        }
        stream.received(chunk.seq());
        if (chunk.last()) {
            open.remove(key);
            List<long[]> holes = stream.holes();
            if (!holes.isEmpty()) {
                endedWithHoles.put(key, holes);
            }
        }
    }

    /** A gap record was written (live or in replay): it need not be written again. */
    void gapRecorded(long deviceId, long streamId) {
        endedWithHoles.remove(new Key(deviceId, streamId));
    }

    /**
     * Whether AUDIO of this stream may be kept now: empty when yes; otherwise why not. Audio after a press needs
     * the carrier's consent (a device not handed to a carrier has none to give).
     */
    public Optional<AudioRefusal> refusal(long deviceId, long streamId) {
        Stream stream = open.get(new Key(deviceId, streamId));
        if (stream == null) {
            return Optional.of(AudioRefusal.UNKNOWN_STREAM);
        }
        if (stream.kind == Kind.AFTER_PRESS && !carriers.ofDevice(deviceId)
                .map(carrier -> carrier.profile().recordsAfterPress()).orElse(false)) {
            return Optional.of(AudioRefusal.NO_CONSENT);
        }
        return Optional.empty();
    }

    /** The alert a stream belongs to, while it is open (null for a LISTEN sent outside an alert). */
    public Optional<UUID> alertOf(long deviceId, long streamId) {
        return Optional.ofNullable(open.get(new Key(deviceId, streamId))).map(s -> s.alertId);
    }

    /** The holes ({from, to} inclusive) of an ended stream not yet recorded as gaps; empty when none. */
    public List<long[]> endedHoles(long deviceId, long streamId) {
        return endedWithHoles.getOrDefault(new Key(deviceId, streamId), List.of());
    }

    public int openCount() {
        return open.size();
    }
}
