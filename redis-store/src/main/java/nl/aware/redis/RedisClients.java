package nl.aware.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import java.time.Duration;

/**
 * The one way this project makes a Lettuce client: commands fail at once while disconnected (a PANIC
 * must not wait in a buffer; degraded mode takes over), and reconnects are tried every 250 ms rather than
 * Lettuce's default back-off to 30 s, so a restarted Redis is used again within a second.
 */
public final class RedisClients {
    private RedisClients() {
    }

    public static RedisClient create(RedisStoreOptions options) {
        RedisURI uri = RedisURI.create(options.uri());
        uri.setTimeout(options.timeout());
        ClientResources resources = ClientResources.builder()
                .reconnectDelay(Delay.constant(Duration.ofMillis(250))).build();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        return client;
    }

    /** Shuts the client and its own resources down. */
    public static void shutdown(RedisClient client) {
        ClientResources resources = client.getResources();
        client.shutdown();
        resources.shutdown();
    }
}
