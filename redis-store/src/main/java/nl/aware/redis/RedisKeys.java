package nl.aware.redis;

import nl.aware.core.event.Event;

import java.nio.charset.StandardCharsets;

/**
 * The keys of one deployment in Redis and what each holds (docs/redis.md):
 * <ul>
 *   <li>{@code PREFIXevents}: the event log, one stream entry per record (seq, ts, type, payload, hash);</li>
 *   <li>{@code PREFIXhead}: the chain head (seq, hash) that the append script checks;</li>
 *   <li>{@code PREFIXdevice:HEX}: a device's counter window (hw, e = the certificate epoch, and c:COUNTER = event id + digest);</li>
 *   <li>{@code PREFIXrecent:HEX}: the device's last eight accepted counters, oldest first;</li>
 *   <li>{@code PREFIXwork:NAME}: dispatch work per priority (seq of the causing record), read by the
 *       dispatch workers' consumer group.</li>
 * </ul>
 */
public final class RedisKeys {
    /** Work stream names, most urgent first: the dispatch workers read them in this order. */
    public static final String PANIC = "panic";
    public static final String UPDATE = "update";
    public static final String TEST = "test";
    public static final String NOTICE = "notice";

    private final String prefix;

    public RedisKeys(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    public byte[] events() {
        return bytes(prefix + "events");
    }

    public byte[] head() {
        return bytes(prefix + "head");
    }

    public byte[] work(String name) {
        return bytes(prefix + "work:" + name);
    }

    /** The work stream an event feeds, or "" when it causes no dispatch work. */
    public static String workOf(Event event) {
        if (event instanceof Event.FrameAccepted accepted) {
            return switch (accepted.frame().type()) {
                case PANIC -> PANIC;
                case LOCATION, CANCEL -> UPDATE;
                case TEST -> TEST;
                default -> "";
            };
        }
        return event instanceof Event.DeviceNotice ? NOTICE : "";
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
