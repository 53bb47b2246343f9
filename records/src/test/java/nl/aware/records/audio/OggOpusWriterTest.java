package nl.aware.records.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Ogg Opus writer against RFC 3533/7845, an independent reader, opusinfo and ffprobe. */
class OggOpusWriterTest {
    /** TOC of a CELT-only fullband 20 ms frame, code 0 (one frame). */
    private static final int CELT_20MS = 31 << 3;
    /** TOC of a SILK wideband 20 ms frame, code 0: what a 16 kHz speech encoder makes. */
    private static final int SILK_WB_20MS = 9 << 3;

    @TempDir
    Path dir;

    private static List<byte[]> packets(int count, int toc, int bytes) {
        Random random = new Random(7);
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] p = new byte[bytes];
            random.nextBytes(p);
            p[0] = (byte) toc;
            packets.add(p);
        }
        return packets;
    }

    private static byte[] write(List<byte[]> packets) {
        return new OggOpusWriter(1234, 16_000, "test", Map.of("AWARE_ALERT", "x")).write(packets);
    }

    @Test
    void opusinfo_acceptsTheFileAndReportsPacketsTimes20msLessThePreSkip() throws Exception {
        Path file = dir.resolve("a.opus");
        Files.write(file, write(packets(123, SILK_WB_20MS, 40)));
        // opusinfo prints whole ms, rounded down
        assertEquals(123 * 20 - 7, OpusTools.opusinfoPlaybackMs(file), 1);
    }

    @Test
    void ffprobe_readsAnOpusStreamOfTheDurationSent() throws Exception {
        Path file = dir.resolve("a.opus");
        Files.write(file, write(packets(250, CELT_20MS, 60)));
        OpusTools.Run probe = OpusTools.ffprobe(file);
        assertEquals(0, probe.exit(), probe.output());
        assertTrue(probe.output().contains("codec_name=opus"), probe.output());
        assertTrue(probe.output().contains("duration=5.000000"), probe.output()); // 250 × 20 ms (ffprobe keeps the pre-skip)
    }

    @Test
    void everyPage_hasAValidCrcAndTheHeadersComeFirstOnPagesOfTheirOwn() {
        OggFile ogg = OggFile.read(write(packets(120, CELT_20MS, 300))); // 300 bytes: packets span two lacing values
        assertTrue(ogg.pages().stream().allMatch(OggFile.Page::crcOk), "CRC of every page");
        assertEquals(2, ogg.pages().get(0).headerType(), "OpusHead page begins the stream");
        assertEquals(0, ogg.pages().get(1).granule(), "OpusTags page has granule 0");
        assertTrue(new String(ogg.packets().get(0), 0, 8).equals("OpusHead"));
        assertTrue(new String(ogg.packets().get(1), 0, 8).equals("OpusTags"));
        assertEquals(4, ogg.pages().get(ogg.pages().size() - 1).headerType(), "the last page ends the stream");
    }

    @Test
    void granulePositions_countThe48kHzSamplesOfTheCompletePacketsSoFar() {
        OggFile ogg = OggFile.read(write(packets(120, CELT_20MS, 30)));
        List<Long> granules = ogg.pages().subList(2, ogg.pages().size()).stream().map(OggFile.Page::granule).toList();
        assertEquals(List.of(50 * 960L, 100 * 960L, 120 * 960L), granules);
    }

    @Test
    void packets_comeBackByteForByteIncludingOnesOfAMultipleOf255Bytes() {
        List<byte[]> sent = new ArrayList<>(packets(3, CELT_20MS, 20));
        sent.add(packets(1, CELT_20MS, 510).get(0));
        sent.add(packets(1, CELT_20MS, 255).get(0));
        List<byte[]> back = OggFile.read(write(sent)).audioPackets();
        assertEquals(sent.size(), back.size());
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), back.get(i), "packet " + i);
        }
    }

    @Test
    void theSamePackets_giveTheSameBytes() {
        assertArrayEquals(write(packets(60, CELT_20MS, 50)), write(packets(60, CELT_20MS, 50)));
    }

    @Test
    void aChangedByte_failsThePageCrc() {
        byte[] file = write(packets(60, CELT_20MS, 50));
        file[file.length - 10] ^= 1;
        OggFile ogg = OggFile.read(file);
        assertTrue(!ogg.pages().get(ogg.pages().size() - 1).crcOk());
    }
}
