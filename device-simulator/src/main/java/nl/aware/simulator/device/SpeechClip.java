package nl.aware.simulator.device;

import nl.aware.core.protocol.AudioChunk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A few seconds of real (synthetic) speech as Opus packets, 16 kHz mono, 20 ms each: what a simulated device's
 * microphone "hears" after a press or a LISTEN, looped. Made once by SpeechClipGenerator (test sources) from
 * espeak-ng; the packets travel in AUDIO frames exactly as stored.
 */
public final class SpeechClip {
    static final String RESOURCE = "speech-16k.opus-packets";
    public static final int SAMPLE_RATE = 16_000;
    public static final int PACKET_MS = 20;
    public static final int SAMPLES_PER_PACKET = SAMPLE_RATE * PACKET_MS / 1000;
    /** Up to 20 packets (400 ms of sound) go in one AUDIO frame, as many as fit its data. */
    public static final int PACKETS_PER_FRAME = 20;

    private final List<byte[]> packets;

    private SpeechClip(List<byte[]> packets) {
        this.packets = List.copyOf(packets);
    }

    /** The clip shipped with the simulator. */
    public static SpeechClip load() {
        try (InputStream in = SpeechClip.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the simulator's speech clip " + RESOURCE + " is missing");
            }
            byte[] all = in.readAllBytes();
            List<byte[]> packets = new ArrayList<>();
            for (int at = 0; at + 2 <= all.length; ) {
                int length = ((all[at] & 0xFF) << 8) | (all[at + 1] & 0xFF);
                packets.add(java.util.Arrays.copyOfRange(all, at + 2, at + 2 + length));
                at += 2 + length;
            }
            return new SpeechClip(packets);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the simulator's speech clip", e);
        }
    }

    /** Packet {@code index}, looping over the clip. */
    public byte[] packet(long index) {
        return packets.get((int) (index % packets.size()));
    }

    /**
     * The packets of one AUDIO frame from packet {@code first} on: up to {@link #PACKETS_PER_FRAME}, as many as fit
     * {@link AudioChunk#MAX_DATA} with their 2-byte lengths (voiced speech makes larger packets than silence, so a
     * frame takes what fits and the rest goes in the next).
     */
    public List<byte[]> frame(long first) {
        List<byte[]> frame = new ArrayList<>(PACKETS_PER_FRAME);
        int bytes = 0;
        for (long index = first; frame.size() < PACKETS_PER_FRAME
                && bytes + 2 + packet(index).length <= AudioChunk.MAX_DATA; index++) {
            frame.add(packet(index));
            bytes += 2 + packet(index).length;
        }
        return frame;
    }

    public int packets() {
        return packets.size();
    }

    public int durationMs() {
        return packets.size() * PACKET_MS;
    }
}
