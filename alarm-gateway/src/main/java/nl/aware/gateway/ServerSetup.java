package nl.aware.gateway;

import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.store.RedisStoreOptions;
import nl.aware.dispatch.DispatchConfig;
import nl.aware.dispatch.police.CarrierDirectory;
import nl.aware.monitoring.supervision.SupervisionSettings;

/**
 * What a server is made of.
 *
 * @param data     the deployment's data directory
 * @param keys     the data keys that seal personal data in the log (kept apart from {@code data})
 * @param gateway  the device gateway's settings
 * @param dispatch where alerts go; null only for a gateway without dispatch (tests of the gateway
 *                 alone). The {@code aware server} command always requires one.
 * @param carriers    where the carriers' police profiles come from; null: Kadera's carrier registry in the log
 * @param supervision heartbeat interval and allowance of device supervision
 * @param redis       the shared Redis log of a multi-node deployment; null: the embedded log in {@code data}
 */
public record ServerSetup(DataDirectory data, DataKeyRing keys, GatewayConfig gateway, DispatchConfig dispatch,
                          CarrierDirectory carriers, SupervisionSettings supervision, RedisStoreOptions redis) {

    public ServerSetup(DataDirectory data, DataKeyRing keys, GatewayConfig gateway, DispatchConfig dispatch,
                       CarrierDirectory carriers, SupervisionSettings supervision) {
        this(data, keys, gateway, dispatch, carriers, supervision, null);
    }

    /** The same setup on a shared Redis log (docs/redis.md). */
    public ServerSetup withRedis(RedisStoreOptions options) {
        return new ServerSetup(data, keys, gateway, dispatch, carriers, supervision, options);
    }

    public ServerSetup(DataDirectory data, DataKeyRing keys, GatewayConfig gateway, DispatchConfig dispatch,
                       CarrierDirectory carriers) {
        this(data, keys, gateway, dispatch, carriers, SupervisionSettings.DEFAULTS);
    }

    public static ServerSetup gatewayOnly(DataDirectory data, DataKeyRing keys, GatewayConfig gateway) {
        return new ServerSetup(data, keys, gateway, null, null);
    }
}
