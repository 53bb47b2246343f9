package nl.aware.records.audio;

import nl.aware.core.protocol.AudioChunk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stream's chunks, gaps and Ogg Opus file. */
class RecordedStreamTest {
    private static final byte SILK_WB_20MS = (byte) (9 << 3);
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    @TempDir
    Path dir;

    /** A chunk of 20 packets of 20 ms: 400 ms, as the simulator sends. */
    private static AudioChunk chunk(long seq, boolean last) {
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            packets.add(new byte[] {SILK_WB_20MS, (byte) seq, (byte) i, 7});
        }
        return AudioChunk.opus(99, seq, last, 400, packets);
    }

    private static RecordedStream stream(long... seqs) {
        RecordedStream stream = new RecordedStream(5, 99, RecordedStream.Kind.PRESS);
        for (long seq : seqs) {
            stream.add(chunk(seq, seq == seqs[seqs.length - 1]), T0.plusMillis(400 * seq));
        }
        return stream;
    }

    @Test
    void missingFrames_areListedAsInclusiveRanges() {
        assertEquals(List.of(new RecordedStream.Gap(2, 3), new RecordedStream.Gap(5, 5)), stream(0, 1, 4, 6).gaps());
    }

    @Test
    void aMissingFrame_becomesLostFramePacketsForItsDuration_soTheTimeLineStays() {
        List<byte[]> packets = stream(0, 2).packets();
        assertEquals(60, packets.size(), "20 + 20 lost + 20");
        assertEquals(1, packets.get(20).length, "a lost frame is the TOC byte alone");
        assertEquals(4, packets.get(40).length);
    }

    @Test
    void opusinfo_playsAStreamWithAGapForTheTimeItSpans() throws Exception {
        Path file = dir.resolve("gap.opus");
        Files.write(file, stream(0, 1, 3).oggOpus("alert", "0000000000000005"));
        assertEquals(4 * 400 - 7, OpusTools.opusinfoPlaybackMs(file), 1);
    }

    @Test
    void received_countsOnlyTheSoundThatArrived() {
        RecordedStream stream = stream(0, 1, 3);
        assertEquals(Duration.ofMillis(1200), stream.received());
        assertEquals(T0, stream.firstReceived());
        assertEquals(T0.plusMillis(1200), stream.lastReceived());
        assertTrue(stream.ended());
    }

    @Test
    void aSecondCopyOfASeq_isIgnored() {
        RecordedStream stream = stream(0, 1);
        stream.add(chunk(1, false), T0.plusSeconds(60));
        assertEquals(2, stream.frames());
        assertEquals(T0.plusMillis(400), stream.lastReceived());
    }

    @Test
    void aStreamWithoutItsLastFrame_isNotEnded() {
        RecordedStream stream = new RecordedStream(5, 99, RecordedStream.Kind.LISTEN);
        stream.add(chunk(0, false), T0);
        assertFalse(stream.ended());
    }
}
