package nl.aware.records.audio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes one Opus stream as an Ogg Opus file (RFC 7845 in RFC 3533 pages): a page with OpusHead, a page with
 * OpusTags, then audio pages of up to {@link #PACKETS_PER_PAGE} packets, each with the granule position (48 kHz
 * samples) of its last complete packet; the last page carries end-of-stream. Mono, mapping family 0.
 *
 * <p>Pre-skip is {@link #PRE_SKIP}, the 6.5 ms look-ahead of libopus-based encoders (the simulator's Concentus is
 * one): the decoder drops that warm-up, so a file plays the packets' total duration less 6.5 ms. (A pre-skip of
 * 0 would keep the start-up noise and opusinfo calls it implausible.) Deterministic: the same packets and tags always give the same bytes, so a verifier can
 * rebuild the file from signed frames and compare.
 */
public final class OggOpusWriter {
    /** 50 packets of 20 ms: a page a second, well under the 255 lacing values of a page. */
    static final int PACKETS_PER_PAGE = 50;
    /** 312 samples at 48 kHz: the encoder delay of libopus (RFC 7845 section 4.2 asks for the encoder's delay). */
    public static final int PRE_SKIP = 312;
    private static final int HEADER_TYPE_CONTINUED = 0x01;
    private static final int HEADER_TYPE_BOS = 0x02;
    private static final int HEADER_TYPE_EOS = 0x04;

    private final int serial;
    private final int inputSampleRate;
    private final String vendor;
    private final Map<String, String> tags;

    /**
     * @param serial          the logical stream's serial number
     * @param inputSampleRate what the device recorded at (informational in OpusHead; decoders output 48 kHz)
     * @param tags            OpusTags comments, in order (never personal data: they are readable by anyone)
     */
    public OggOpusWriter(int serial, int inputSampleRate, String vendor, Map<String, String> tags) {
        this.serial = serial;
        this.inputSampleRate = inputSampleRate;
        this.vendor = vendor;
        this.tags = tags;
    }

    /** The whole file for these packets, in order. At least one packet. */
    public byte[] write(List<byte[]> packets) {
        if (packets.isEmpty()) {
            throw new IllegalArgumentException("an Ogg Opus stream needs at least one audio packet");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pageNo = 0;
        out.writeBytes(page(HEADER_TYPE_BOS, 0, pageNo++, List.of(opusHead())));
        out.writeBytes(page(0, 0, pageNo++, List.of(opusTags())));
        long granule = 0;
        for (int from = 0; from < packets.size(); from += PACKETS_PER_PAGE) {
            List<byte[]> onPage = packets.subList(from, Math.min(packets.size(), from + PACKETS_PER_PAGE));
            for (byte[] packet : onPage) {
                granule += OpusPackets.samples(packet);
            }
            boolean last = from + PACKETS_PER_PAGE >= packets.size();
            out.writeBytes(page(last ? HEADER_TYPE_EOS : 0, granule, pageNo++, onPage));
        }
        return out.toByteArray();
    }

    /** RFC 7845 section 5.1. */
    private byte[] opusHead() {
        return ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN).put(ascii("OpusHead")).put((byte) 1)
                .put((byte) 1) // channels
                .putShort((short) PRE_SKIP) // see the class comment
                .putInt(inputSampleRate).putShort((short) 0) // output gain
                .put((byte) 0) // mapping family 0: mono or stereo, no table
                .array();
    }

    /** RFC 7845 section 5.2. */
    private byte[] opusTags() {
        ByteArrayOutputStream tagsOut = new ByteArrayOutputStream();
        tagsOut.writeBytes(ascii("OpusTags"));
        writeString(tagsOut, vendor);
        tagsOut.writeBytes(le32(tags.size()));
        tags.forEach((key, value) -> writeString(tagsOut, key + "=" + value));
        return tagsOut.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(le32(bytes.length));
        out.writeBytes(bytes);
    }

    /** One page holding whole packets (RFC 3533 section 6); lacing values of 255 continue a packet. */
    private byte[] page(int headerType, long granule, int pageNo, List<byte[]> packets) {
        List<Integer> lacing = new ArrayList<>();
        int bodyBytes = 0;
        for (byte[] packet : packets) {
            int remaining = packet.length;
            while (remaining >= 255) {
                lacing.add(255);
                remaining -= 255;
            }
            lacing.add(remaining); // a packet of a multiple of 255 bytes ends with a 0
            bodyBytes += packet.length;
        }
        if (lacing.size() > 255) {
            throw new IllegalArgumentException("packets need " + lacing.size() + " lacing values, a page holds 255");
        }
        ByteBuffer page = ByteBuffer.allocate(27 + lacing.size() + bodyBytes).order(ByteOrder.LITTLE_ENDIAN);
        page.put(ascii("OggS")).put((byte) 0).put((byte) (headerType & ~HEADER_TYPE_CONTINUED)).putLong(granule)
                .putInt(serial).putInt(pageNo).putInt(0) // CRC, filled in below
                .put((byte) lacing.size());
        lacing.forEach(value -> page.put((byte) (int) value));
        packets.forEach(page::put);
        byte[] bytes = page.array();
        ByteBuffer.wrap(bytes, 22, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(OggCrc.of(bytes));
        return bytes;
    }

    private static byte[] le32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
