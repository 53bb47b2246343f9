package nl.aware.core.protocol;

import io.netty.buffer.ByteBuf;

/**
 * A device's position fix (14 bytes on the wire). This is a victim's whereabouts: {@link #toString()}
 * is redacted so that a location can never slip into a log line or an exception message.
 *
 * <p>Out-of-range coordinates are kept as sent and reported by {@link #hasFix()} as "no fix": a PANIC is
 * never refused because of its location.
 */
public record Location(int latE7, int lonE7, int accuracyM, int fixAgeS, int source, int batteryPercent) {
    public static final int BYTES = 14;
    public static final int NO_FIX = 0x7FFFFFFF;
    public static final int UNKNOWN_U16 = 0xFFFF;
    public static final int UNKNOWN_BATTERY = 0xFF;

    public static final int SOURCE_NONE = 0;
    public static final int SOURCE_GNSS = 1;
    public static final int SOURCE_WIFI = 2;
    public static final int SOURCE_CELL = 3;
    public static final int SOURCE_LAST_KNOWN = 4;

    public static Location noFix(int batteryPercent) {
        return new Location(NO_FIX, NO_FIX, UNKNOWN_U16, UNKNOWN_U16, SOURCE_NONE, batteryPercent);
    }

    public static Location read(ByteBuf in) {
        return new Location(in.readInt(), in.readInt(), in.readUnsignedShort(), in.readUnsignedShort(),
                in.readUnsignedByte(), in.readUnsignedByte());
    }

    public void write(ByteBuf out) {
        out.writeInt(latE7).writeInt(lonE7).writeShort(accuracyM).writeShort(fixAgeS)
                .writeByte(source).writeByte(batteryPercent);
    }

    public boolean hasFix() {
        return latE7 != NO_FIX && lonE7 != NO_FIX
                && Math.abs((long) latE7) <= 900_000_000L && Math.abs((long) lonE7) <= 1_800_000_000L;
    }

    public double latitude() {
        return latE7 / 1e7;
    }

    public double longitude() {
        return lonE7 / 1e7;
    }

    @Override
    public String toString() {
        return "Location[redacted, " + (hasFix() ? "fix" : "no fix") + "]";
    }
}
