package nl.aware.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the Redis store (docs/redis.md).
 *
 * @param uri        {@code redis://host:port} or {@code redis-sentinel://s1:26379,s2:26379,s3:26379#master}
 *                   (Lettuce URI syntax; credentials may be in it, so it is never logged whole)
 * @param prefix     key prefix of this deployment's keys, e.g. {@code aware:}
 * @param durability what "durable" means before a device is acknowledged
 * @param timeout    a Redis command taking longer fails: the device gets NACK 7 and retries
 * @param maxBatch   most records in one check-and-append script
 * @param claimAfter dispatch work a worker has held this long without a sign of life is taken over
 *                   by another worker (XAUTOCLAIM); live workers renew what they hold well before
 * @param fallbackLog this node's own local log for degraded mode (Redis unreachable or slower than
 *                   {@code timeout}); null: no degraded mode, frames Redis does not take get NACK 7
 */
public record RedisStoreOptions(String uri, String prefix, Durability durability, Duration timeout, int maxBatch,
                                Duration claimAfter, java.nio.file.Path fallbackLog) {

    public static final String DEFAULT_PREFIX = "aware:";

    public RedisStoreOptions {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(claimAfter, "claimAfter");
        if (claimAfter.toMillis() < 300) {
            throw new IllegalArgumentException("claimAfter must be at least 300 ms, was " + claimAfter.toMillis() + " ms");
        }
        if (!uri.startsWith("redis://") && !uri.startsWith("rediss://") && !uri.startsWith("redis-sentinel://")
                && !uri.startsWith("rediss-sentinel://")) {
            throw new IllegalArgumentException("Redis URI must start with redis://, rediss://, redis-sentinel:// or"
                    + " rediss-sentinel://");
        }
        if (maxBatch < 1 || maxBatch > 512) {
            throw new IllegalArgumentException("maxBatch must be 1..512, was " + maxBatch);
        }
    }

    /** AOF with fsync before every reply, 1 s command timeout, no degraded mode, the default prefix. */
    public static RedisStoreOptions of(String uri) {
        return new RedisStoreOptions(uri, DEFAULT_PREFIX, Durability.aofAlways(), Duration.ofSeconds(1), 128,
                Duration.ofSeconds(5), null);
    }

    public RedisStoreOptions withDurability(Durability durability) {
        return new RedisStoreOptions(uri, prefix, durability, timeout, maxBatch, claimAfter, fallbackLog);
    }

    public RedisStoreOptions withFallbackLog(java.nio.file.Path fallbackLog) {
        return new RedisStoreOptions(uri, prefix, durability, timeout, maxBatch, claimAfter, fallbackLog);
    }

    public RedisStoreOptions withTimeout(Duration timeout) {
        return new RedisStoreOptions(uri, prefix, durability, timeout, maxBatch, claimAfter, fallbackLog);
    }

    public RedisStoreOptions withClaimAfter(Duration claimAfter) {
        return new RedisStoreOptions(uri, prefix, durability, timeout, maxBatch, claimAfter, fallbackLog);
    }

    public RedisStoreOptions withPrefix(String prefix) {
        return new RedisStoreOptions(uri, prefix, durability, timeout, maxBatch, claimAfter, fallbackLog);
    }

    /**
     * When Redis holds an event durably enough to acknowledge the device.
     *
     * @param replicas 0: the primary's AOF with {@code appendfsync always} (checked at start-up, refused
     *                 otherwise); n &gt; 0: {@code WAIT n} after every append, failing it when fewer replicas
     *                 confirmed within {@code waitTimeout}
     */
    public record Durability(int replicas, Duration waitTimeout) {
        public Durability {
            if (replicas < 0) {
                throw new IllegalArgumentException("replicas must be >= 0, was " + replicas);
            }
            Objects.requireNonNull(waitTimeout, "waitTimeout");
        }

        public static Durability aofAlways() {
            return new Durability(0, Duration.ZERO);
        }

        public static Durability replicas(int replicas, Duration timeout) {
            if (replicas < 1) {
                throw new IllegalArgumentException("WAIT needs at least one replica");
            }
            return new Durability(replicas, timeout);
        }

        /** {@code aof} or {@code wait:N:TIMEOUT_MS}, as the server's --redis-durability option takes it. */
        public static Durability parse(String text) {
            if (text.equals("aof")) {
                return aofAlways();
            }
            String[] parts = text.split(":");
            if (parts.length == 3 && parts[0].equals("wait")) {
                try {
                    return replicas(Integer.parseInt(parts[1]), Duration.ofMillis(Long.parseLong(parts[2])));
                } catch (NumberFormatException e) {
                    // falls through to the message below
                }
            }
            throw new IllegalArgumentException("durability must be 'aof' or 'wait:REPLICAS:TIMEOUT_MS', was '" + text + "'");
        }

        @Override
        public String toString() {
            return replicas == 0 ? "aof (appendfsync always)" : "WAIT " + replicas + " replica(s) within "
                    + waitTimeout.toMillis() + " ms";
        }
    }
}
