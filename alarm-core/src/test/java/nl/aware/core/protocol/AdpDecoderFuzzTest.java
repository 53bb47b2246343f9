package nl.aware.core.protocol;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the device-side decoder (Jazzer). Plain {@code mvn test} replays the seeds
 * in src/test/resources; {@code JAZZER_FUZZ=1 mvn test -Dtest=AdpDecoderFuzzTest} fuzzes for real.
 */
class AdpDecoderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void decoder_neverThrowsNeverLeaksNeverBuffersMoreThanAFrame(FuzzedDataProvider data) {
        AdpFrameSplitter splitter = new AdpFrameSplitter();
        EmbeddedChannel channel = new EmbeddedChannel(splitter, new DeviceFrameDecoder());
        while (data.remainingBytes() > 0) {
            byte[] chunk = data.consumeBytes(data.consumeInt(1, 2048)); // TCP reads of any size
            channel.writeInbound(Unpooled.wrappedBuffer(chunk));
            assertTrue(splitter.buffered() <= Adp.LENGTH_FIELD_BYTES + Adp.MAX_FRAME_LENGTH,
                    "held back " + splitter.buffered() + " bytes");
            Object message;
            while ((message = channel.readInbound()) != null) {
                assertTrue(message instanceof DeviceFrame || message instanceof FrameFormatException
                        || message instanceof AdpFrameSplitter.OversizeFrame, message.getClass().getName());
                if (message instanceof DeviceFrame frame) {
                    assertTrue(frame.wireBytes().length <= Adp.LENGTH_FIELD_BYTES + Adp.MAX_FRAME_LENGTH);
                }
            }
        }
        channel.checkException();
        assertFalse(channel.finishAndReleaseAll());
    }
}
