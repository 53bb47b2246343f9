package nl.aware.records.audio;

/**
 * The CRC-32 of an Ogg page (RFC 3533 section 6): polynomial 0x04C11DB7, initial value 0, not reflected,
 * no final XOR, computed over the whole page with its CRC field set to zero. (This is not java.util.zip.CRC32,
 * which is the reflected variant.)
 */
final class OggCrc {
    private static final int[] TABLE = table();

    private OggCrc() {
    }

    static int of(byte[] bytes) {
        int crc = 0;
        for (byte b : bytes) {
            crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ b) & 0xFF];
        }
        return crc;
    }

    private static int[] table() {
        int[] table = new int[256];
        for (int i = 0; i < 256; i++) {
            int r = i << 24;
            for (int bit = 0; bit < 8; bit++) {
                r = (r & 0x8000_0000) != 0 ? (r << 1) ^ 0x04C1_1DB7 : r << 1;
            }
            table[i] = r;
        }
        return table;
    }
}
