package nl.aware.records.audio;

import nl.aware.core.protocol.AudioChunk;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One audio stream of a device as the log kept it (docs/listen-in.md): its AUDIO chunks by {@code seq}, the
 * ranges of {@code seq} that never arrived, and the Ogg Opus file made of it. A stream is a press's (stream id =
 * the PANIC's counter) or a LISTEN's (stream id = the command id). Never prints the sound.
 *
 * <p><b>Gaps</b> are not hidden and not filled with made-up silence: each missing frame becomes lost-frame
 * packets ({@link OpusPackets#lostFrame}) for the duration of the frame before it, which a decoder conceals
 * (RFC 7845 section 4.1). So the file's time line stays the device's, and the listed gaps say where sound is missing.
 */
public final class RecordedStream {
    /** Who asked for the sound: the device after a press, or an operator's LISTEN. */
    public enum Kind { PRESS, LISTEN }

    /** A missing range of {@code seq}, inclusive. */
    public record Gap(long fromSeq, long toSeq) {
    }

    private final long deviceId;
    private final long streamId;
    private final Kind kind;
    private final TreeMap<Long, AudioChunk> chunks = new TreeMap<>();
    private Instant firstReceived;
    private Instant lastReceived;

    public RecordedStream(long deviceId, long streamId, Kind kind) {
        this.deviceId = deviceId;
        this.streamId = streamId;
        this.kind = kind;
    }

    /** Takes a kept chunk of this stream; a second copy of a {@code seq} is ignored (the first was kept). */
    public void add(AudioChunk chunk, Instant received) {
        if (chunk.streamId() != streamId) {
            throw new IllegalArgumentException("chunk of stream " + chunk.streamId() + " is not of stream " + streamId);
        }
        if (chunks.putIfAbsent(chunk.seq(), chunk) != null) {
            return;
        }
        firstReceived = firstReceived == null || received.isBefore(firstReceived) ? received : firstReceived;
        lastReceived = lastReceived == null || received.isAfter(lastReceived) ? received : lastReceived;
    }

    public long deviceId() {
        return deviceId;
    }

    public long streamId() {
        return streamId;
    }

    public Kind kind() {
        return kind;
    }

    public int frames() {
        return chunks.size();
    }

    public Instant firstReceived() {
        return firstReceived;
    }

    public Instant lastReceived() {
        return lastReceived;
    }

    /** The device marked a frame as the stream's last. */
    public boolean ended() {
        return chunks.values().stream().anyMatch(AudioChunk::last);
    }

    /** Whether the stream can be written as Ogg Opus (codec 1); G.711 streams are listed, not converted. */
    public boolean opus() {
        return !chunks.isEmpty() && chunks.values().stream().allMatch(c -> c.codec() == AudioChunk.CODEC_OPUS);
    }

    /** The sound that arrived: the sum of the kept frames' durations. */
    public Duration received() {
        return Duration.ofMillis(chunks.values().stream().mapToLong(AudioChunk::durationMs).sum());
    }

    /** Ranges of {@code seq} from 0 to the highest kept one that never arrived. */
    public List<Gap> gaps() {
        List<Gap> gaps = new ArrayList<>();
        long expected = 0;
        for (long seq : chunks.keySet()) {
            if (seq > expected) {
                gaps.add(new Gap(expected, seq - 1));
            }
            expected = seq + 1;
        }
        return gaps;
    }

    /** The Opus packets in order, with lost-frame packets where frames are missing (see the class comment). */
    public List<byte[]> packets() {
        if (!opus()) {
            throw new IllegalStateException("stream " + streamId + " is not an Opus stream");
        }
        List<byte[]> packets = new ArrayList<>();
        long expected = 0;
        AudioChunk before = null;
        for (Map.Entry<Long, AudioChunk> e : chunks.entrySet()) {
            List<byte[]> own = e.getValue().opusPackets();
            if (e.getKey() > expected) {
                AudioChunk like = before != null ? before : e.getValue(); // a missing start: as long as the next
                List<byte[]> likePackets = like.opusPackets();
                byte[] lost = OpusPackets.lostFrame(likePackets.isEmpty() ? own.get(0) : likePackets.get(0));
                long perFrame = (long) like.durationMs() * OpusPackets.GRANULE_RATE / 1000;
                long count = (e.getKey() - expected) * Math.max(1, perFrame / OpusPackets.samples(lost));
                for (long i = 0; i < count; i++) {
                    packets.add(lost);
                }
            }
            packets.addAll(own);
            before = e.getValue();
            expected = e.getKey() + 1;
        }
        return packets;
    }

    /** The stream as an Ogg Opus file; tags name the alert, device and stream (no personal data). */
    public byte[] oggOpus(String alertId, String deviceIdText) {
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        tags.put("ENCODER", "device " + deviceIdText);
        tags.put("AWARE_ALERT", alertId);
        tags.put("AWARE_STREAM", Long.toUnsignedString(streamId) + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + ")");
        tags.put("AWARE_GAPS", gaps().isEmpty() ? "none" : gaps().stream()
                .map(g -> g.fromSeq() == g.toSeq() ? "seq " + g.fromSeq() : "seq " + g.fromSeq() + "-" + g.toSeq())
                .collect(java.util.stream.Collectors.joining(", ")) + " lost (concealed)");
        return new OggOpusWriter((int) (streamId ^ (streamId >>> 32)), 16_000, "AWARE evidence export", tags)
                .write(packets());
    }
}
