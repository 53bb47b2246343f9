package nl.aware.simulator.device;

import nl.aware.core.protocol.AudioChunk;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpeechClipTest {
    private static final SpeechClip CLIP = SpeechClip.load();

    private static int dataBytes(List<byte[]> packets) {
        return packets.stream().mapToInt(p -> 2 + p.length).sum();
    }

    @Test
    void aFrame_takesTheNextPacketsInOrder_asManyAsFit_upToTwenty() {
        for (long first = 0; first < CLIP.packets() + 5; first++) {
            List<byte[]> frame = CLIP.frame(first);
            assertTrue(!frame.isEmpty() && frame.size() <= SpeechClip.PACKETS_PER_FRAME, "packets " + frame.size());
            assertTrue(dataBytes(frame) <= AudioChunk.MAX_DATA, "bytes " + dataBytes(frame));
            for (int i = 0; i < frame.size(); i++) {
                assertArrayEquals(CLIP.packet(first + i), frame.get(i), "packet " + (first + i));
            }
            boolean full = frame.size() == SpeechClip.PACKETS_PER_FRAME
                    || dataBytes(frame) + 2 + CLIP.packet(first + frame.size()).length > AudioChunk.MAX_DATA;
            assertTrue(full, "frame from packet " + first + " left room for the next packet");
        }
    }
}
