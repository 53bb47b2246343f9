package nl.aware.simulator.device;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusSignal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes the simulator's speech clip ({@value SpeechClip#RESOURCE}) once, from real synthetic speech, so the demo
 * lets a newcomer hear a press. How it was made (Debian's espeak-ng and sox):
 * <pre>
 * espeak-ng -v en -s 140 -w phrase.wav "Help me. He is here, at my door. Please send the police."
 * sox phrase.wav -r 16000 -c 1 -b 16 -e signed-integer -t raw phrase.raw
 * java ... nl.aware.simulator.device.SpeechClipGenerator phrase.raw \
 *     device-simulator/src/main/resources/nl/aware/simulator/device/speech-16k.opus-packets
 * </pre>
 * The clip is Opus (Concentus, VOIP, 16 kbit/s, 16 kHz mono) in 20 ms packets, each written with its u16 length:
 * the layout of AUDIO data (docs/protocol.md), so the device copies packets into frames as they are.
 */
final class SpeechClipGenerator {
    private SpeechClipGenerator() {
    }

    public static void main(String[] args) throws Exception {
        byte[] raw = Files.readAllBytes(Path.of(args[0]));
        short[] pcm = new short[raw.length / 2];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(pcm);
        OpusEncoder encoder = new OpusEncoder(SpeechClip.SAMPLE_RATE, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        encoder.setBitrate(16_000);
        encoder.setSignalType(OpusSignal.OPUS_SIGNAL_VOICE);
        encoder.setComplexity(10);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        byte[] packet = new byte[1275];
        short[] frame = new short[SpeechClip.SAMPLES_PER_PACKET];
        for (int at = 0; at < pcm.length; at += SpeechClip.SAMPLES_PER_PACKET) {
            java.util.Arrays.fill(frame, (short) 0);
            System.arraycopy(pcm, at, frame, 0, Math.min(frame.length, pcm.length - at));
            int length = encoder.encode(frame, 0, frame.length, packet, 0, packet.length);
            out.writeShort(length);
            out.write(packet, 0, length);
        }
        Files.write(Path.of(args[1]), bytes.toByteArray());
    }
}
