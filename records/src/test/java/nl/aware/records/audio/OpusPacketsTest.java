package nl.aware.records.audio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Packet durations from the TOC byte, RFC 6716 section 3.1. */
class OpusPacketsTest {
    @Test
    void silkWideband20ms_codeZero_is960Samples() {
        assertEquals(960, OpusPackets.samples(new byte[] {(byte) (9 << 3), 1}));
    }

    @Test
    void celt2point5ms_twoFrames_is240Samples() {
        assertEquals(240, OpusPackets.samples(new byte[] {(byte) ((16 << 3) | 1), 1, 2}));
    }

    @Test
    void codeThree_countsTheFramesOfItsSecondByte() {
        assertEquals(3 * 960, OpusPackets.samples(new byte[] {(byte) ((1 << 3) | 3), 3}));
    }

    @Test
    void over120ms_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> OpusPackets.samples(new byte[] {(byte) ((3 << 3) | 3), 3}));
    }

    @Test
    void lostFrame_isTheTocAloneWithCodeZero() {
        byte[] lost = OpusPackets.lostFrame(new byte[] {(byte) ((9 << 3) | 1), 5, 6});
        assertEquals(1, lost.length);
        assertEquals(960, OpusPackets.samples(lost));
    }
}
