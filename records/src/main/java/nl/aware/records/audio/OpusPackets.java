package nl.aware.records.audio;

/** What an Opus packet's TOC byte says about its length in time (RFC 6716 section 3.1). */
public final class OpusPackets {
    /** Opus timestamps and Ogg Opus granule positions always count at 48 kHz (RFC 7845 section 4). */
    public static final int GRANULE_RATE = 48_000;
    /** RFC 6716: a packet holds at most 120 ms of sound. */
    private static final int MAX_SAMPLES = 120 * 48;

    private OpusPackets() {
    }

    /**
     * Samples at 48 kHz that the packet decodes to: the frame size of its configuration times its frame count.
     *
     * @throws IllegalArgumentException for an empty packet, or a code 3 packet without its frame-count byte
     */
    public static int samples(byte[] packet) {
        if (packet.length == 0) {
            throw new IllegalArgumentException("an Opus packet has at least its TOC byte");
        }
        int toc = packet[0] & 0xFF;
        int config = toc >>> 3;
        int frameSamples;
        if (config < 12) { // SILK-only: 10, 20, 40, 60 ms
            frameSamples = new int[] {480, 960, 1920, 2880}[config & 3];
        } else if (config < 16) { // hybrid: 10, 20 ms
            frameSamples = (config & 1) == 0 ? 480 : 960;
        } else { // CELT-only: 2.5, 5, 10, 20 ms
            frameSamples = new int[] {120, 240, 480, 960}[config & 3];
        }
        int frames = switch (toc & 3) {
            case 0 -> 1;
            case 1, 2 -> 2;
            default -> {
                if (packet.length < 2) {
                    throw new IllegalArgumentException("an Opus code 3 packet lacks its frame count byte");
                }
                yield packet[1] & 0x3F;
            }
        };
        int samples = frameSamples * frames;
        if (samples > MAX_SAMPLES) {
            throw new IllegalArgumentException("an Opus packet of " + samples + " samples is over 120 ms");
        }
        return samples;
    }

    /**
     * A packet of one lost frame for a gap: the TOC byte of {@code like} with code 0 and no frame data. RFC 6716
     * section 3.2.1: a decoder treats a zero-length frame as lost and conceals it; RFC 7845 section 4.1 asks a
     * muxer to do this rather than jump the granule position.
     */
    public static byte[] lostFrame(byte[] like) {
        return new byte[] {(byte) (like[0] & 0xFC)};
    }

    /** Samples of one frame of the packet's configuration: what {@link #lostFrame} stands for. */
    public static int frameSamples(byte[] packet) {
        return samples(lostFrame(packet));
    }
}
