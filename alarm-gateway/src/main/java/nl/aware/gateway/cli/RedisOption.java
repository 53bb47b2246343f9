package nl.aware.gateway.cli;

import nl.aware.redis.RedisStoreOptions;
import picocli.CommandLine.Option;

/** For the commands that write events: the shared log of a Redis deployment instead of DATA_DIR/log. */
final class RedisOption {
    @Option(names = "--redis", paramLabel = "URI",
            description = "Write to the shared log in Redis (redis:// or redis-sentinel:// URI, docs/redis.md) instead of "
                    + "DATA_DIR/log; the nodes may keep running.")
    String uri;

    @Option(names = "--redis-prefix", defaultValue = RedisStoreOptions.DEFAULT_PREFIX, paramLabel = "PREFIX",
            description = "Key prefix of the deployment in Redis (default: ${DEFAULT-VALUE}).")
    String prefix;
}
