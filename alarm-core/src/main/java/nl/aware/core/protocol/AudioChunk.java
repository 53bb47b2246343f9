package nl.aware.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The payload of an AUDIO frame: {@code u64 streamId, u32 seq, u8 codec, u8 flags, u16 durationMs}, then the
 * audio data. {@code streamId} is the counter of the PANIC whose alert the sound belongs to, or the command id of
 * the LISTEN that asked for it; {@code seq} counts 0, 1, 2 … within the stream; flags bit 0 marks its last frame.
 * Codec 1 (Opus, 16 kHz mono): the data is Opus packets, each preceded by its u16 length. Codec 2 (G.711 µ-law,
 * 8 kHz mono): raw samples.
 *
 * <p>{@link #toString()} leaves the sound out: audio of a carrier never reaches a log line.
 */
public record AudioChunk(long streamId, long seq, int codec, int flags, int durationMs, byte[] data) {
    /** streamId + seq + codec + flags + durationMs. */
    public static final int HEADER_BYTES = 8 + 4 + 1 + 1 + 2;
    public static final int CODEC_OPUS = 1;
    public static final int CODEC_G711_ULAW = 2;
    public static final int FLAG_LAST = 0x01;
    /** Most audio data one frame can carry: the 1024-byte cap less header, audio header and signature. */
    public static final int MAX_DATA = Adp.MAX_FRAME_LENGTH - Adp.HEADER_BYTES - Adp.SIGNATURE_BYTES - HEADER_BYTES;

    public AudioChunk {
        if (seq < 0 || seq > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("seq is a u32, got " + seq);
        }
        if (codec != CODEC_OPUS && codec != CODEC_G711_ULAW) {
            throw new IllegalArgumentException("codec is 1 (Opus) or 2 (G.711 u-law), got " + codec);
        }
        if (flags < 0 || flags > 0xFF || durationMs < 0 || durationMs > 0xFFFF) {
            throw new IllegalArgumentException("flags is a u8 and durationMs a u16");
        }
        if (data.length > MAX_DATA) {
            throw new IllegalArgumentException("at most " + MAX_DATA + " bytes of audio fit a frame, got " + data.length);
        }
        data = data.clone();
    }

    /** An Opus chunk whose data is these packets, each written with its u16 length. */
    public static AudioChunk opus(long streamId, long seq, boolean last, int durationMs, List<byte[]> packets) {
        ByteBuf data = Unpooled.buffer();
        for (byte[] packet : packets) {
            if (packet.length == 0 || packet.length > 0xFFFF) {
                throw new IllegalArgumentException("an Opus packet has 1..65535 bytes, got " + packet.length);
            }
            data.writeShort(packet.length).writeBytes(packet);
        }
        byte[] bytes = new byte[data.readableBytes()];
        data.readBytes(bytes).release();
        return new AudioChunk(streamId, seq, CODEC_OPUS, last ? FLAG_LAST : 0, durationMs, bytes);
    }

    public boolean last() {
        return (flags & FLAG_LAST) != 0;
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The Opus packets of the data, in order (codec 1 only). */
    public List<byte[]> opusPackets() {
        if (codec != CODEC_OPUS) {
            throw new IllegalStateException("codec " + codec + " is not Opus");
        }
        List<byte[]> packets = new ArrayList<>();
        int at = 0;
        while (at < data.length) {
            int length = ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);
            packets.add(Arrays.copyOfRange(data, at + 2, at + 2 + length));
            at += 2 + length;
        }
        return packets;
    }

    /** The payload bytes of an AUDIO frame carrying this chunk. */
    public byte[] payload() {
        byte[] payload = new byte[HEADER_BYTES + data.length];
        Unpooled.wrappedBuffer(payload).writerIndex(0).writeLong(streamId).writeInt((int) seq).writeByte(codec)
                .writeByte(flags).writeShort(durationMs).writeBytes(data);
        return payload;
    }

    /**
     * Reads an AUDIO payload, checking what a receiver can check without state: a known codec, and Opus data
     * that is a whole number of length-prefixed, non-empty packets.
     *
     * @return the chunk, or null with {@code problem[0]} saying what is wrong (no payload bytes in it)
     */
    static AudioChunk read(byte[] payload, int offset, int length, String[] problem) {
        ByteBuf in = Unpooled.wrappedBuffer(payload, offset, length);
        long streamId = in.readLong();
        long seq = in.readUnsignedInt();
        int codec = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int durationMs = in.readUnsignedShort();
        byte[] data = new byte[in.readableBytes()];
        in.readBytes(data);
        if (codec != CODEC_OPUS && codec != CODEC_G711_ULAW) {
            problem[0] = "AUDIO codec " + codec + " is neither 1 (Opus) nor 2 (G.711 u-law)";
            return null;
        }
        if (codec == CODEC_OPUS) {
            int at = 0;
            while (at < data.length) {
                if (data.length - at < 2) {
                    problem[0] = "AUDIO Opus data ends inside a packet length";
                    return null;
                }
                int packet = ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);
                if (packet == 0 || at + 2 + packet > data.length) {
                    problem[0] = "AUDIO Opus packet of " + packet + " bytes does not fit the data";
                    return null;
                }
                at += 2 + packet;
            }
        }
        return new AudioChunk(streamId, seq, codec, flags, durationMs, data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioChunk c && streamId == c.streamId && seq == c.seq && codec == c.codec
                && flags == c.flags && durationMs == c.durationMs && Arrays.equals(data, c.data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(streamId) * 31 + Long.hashCode(seq);
    }

    @Override
    public String toString() {
        return "AudioChunk[stream " + streamId + ", seq " + seq + ", codec " + codec + ", " + durationMs + " ms"
                + (last() ? ", last" : "") + "]";
    }
}
