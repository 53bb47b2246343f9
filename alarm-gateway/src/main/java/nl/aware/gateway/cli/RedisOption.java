package nl.aware.gateway.cli;

import nl.aware.redis.RedisStoreOptions;
import picocli.CommandLine.Option;

/** The shared log of a Redis deployment instead of DATA_DIR/log: for the server and the commands that write events. */
final class RedisOption {
    @Option(names = "--redis", paramLabel = "URI",
            description = "The event log in Redis, shared by the nodes (redis://host:port or "
                    + "redis-sentinel://s1:26379,s2:26379,s3:26379#mastername, docs/redis.md) instead of the embedded "
                    + "DATA_DIR/log; commands that write to it may run while the nodes do.")
    String uri;

    @Option(names = "--redis-prefix", defaultValue = RedisStoreOptions.DEFAULT_PREFIX, paramLabel = "PREFIX",
            description = "Key prefix of the deployment in Redis (default: ${DEFAULT-VALUE}).")
    String prefix;

    /**
     * The shared log's options, or null for the embedded log (no --redis).
     *
     * @throws IllegalArgumentException naming the option, when the URI or prefix is not usable
     */
    RedisStoreOptions options() {
        if (uri == null) {
            return null;
        }
        try {
            return RedisStoreOptions.of(uri).withPrefix(prefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--redis: " + e.getMessage(), e);
        }
    }
}
