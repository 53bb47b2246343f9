package nl.aware.records.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test reader of an Ogg file, written from RFC 3533 independently of the writer: its pages (granule, flags,
 * whether the CRC checks with a bitwise CRC-32 of polynomial 0x04C11DB7) and the packets they carry.
 */
public record OggFile(List<Page> pages, List<byte[]> packets) {
    public record Page(int headerType, long granule, int serial, int sequence, boolean crcOk) {
    }

    public static OggFile read(byte[] file) {
        List<Page> pages = new ArrayList<>();
        List<byte[]> packets = new ArrayList<>();
        java.io.ByteArrayOutputStream packet = new java.io.ByteArrayOutputStream();
        int at = 0;
        while (at < file.length) {
            ByteBuffer h = ByteBuffer.wrap(file, at, 27).order(ByteOrder.LITTLE_ENDIAN);
            if (h.getInt(at) != 0x5367674F) { // "OggS" read little-endian
                throw new IllegalArgumentException("no capture pattern at byte " + at);
            }
            int type = file[at + 5] & 0xFF;
            long granule = h.getLong(at + 6);
            int serial = h.getInt(at + 14);
            int sequence = h.getInt(at + 18);
            int crc = h.getInt(at + 22);
            int segments = file[at + 26] & 0xFF;
            int body = 0;
            for (int i = 0; i < segments; i++) {
                body += file[at + 27 + i] & 0xFF;
            }
            int length = 27 + segments + body;
            byte[] copy = Arrays.copyOfRange(file, at, at + length);
            Arrays.fill(copy, 22, 26, (byte) 0);
            pages.add(new Page(type, granule, serial, sequence, bitwiseCrc(copy) == crc));
            int data = at + 27 + segments;
            for (int i = 0; i < segments; i++) {
                int lace = file[at + 27 + i] & 0xFF;
                packet.write(file, data, lace);
                data += lace;
                if (lace < 255) {
                    packets.add(packet.toByteArray());
                    packet.reset();
                }
            }
            at += length;
        }
        return new OggFile(pages, packets);
    }

    /** The audio packets: all but OpusHead and OpusTags. */
    public List<byte[]> audioPackets() {
        return packets.subList(2, packets.size());
    }

    private static int bitwiseCrc(byte[] bytes) {
        int crc = 0;
        for (byte b : bytes) {
            crc ^= (b & 0xFF) << 24;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000_0000) != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1;
            }
        }
        return crc;
    }
}
