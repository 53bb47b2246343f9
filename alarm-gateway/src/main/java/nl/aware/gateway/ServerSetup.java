package nl.aware.gateway;

import nl.aware.gateway.netty.GatewayConfig;
import nl.aware.records.checkpoint.CheckpointPolicy;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.redis.RedisStoreOptions;
import nl.aware.dispatch.DispatchConfig;
import nl.aware.dispatch.police.CarrierDirectory;
import nl.aware.web.staff.StaffApiSettings;
import nl.aware.monitoring.supervision.SupervisionSettings;

import java.time.Period;

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
 * @param checkpoints when the server signs checkpoints into the log (docs/evidence.md)
 * @param locationRetention how long device frames (locations) are kept before the daily purge destroys their
 *                    month keys; null keeps them (docs/retention.md)
 * @param staffApi    where the staff API listens; null: no staff API (docs/staff-api.md)
 * @param redis       the shared Redis log of a multi-node deployment; null: the embedded log in {@code data}
 */
public record ServerSetup(DataDirectory data, DataKeyRing keys, GatewayConfig gateway, DispatchConfig dispatch,
                          CarrierDirectory carriers, SupervisionSettings supervision, CheckpointPolicy checkpoints,
                          Period locationRetention, StaffApiSettings staffApi, RedisStoreOptions redis) {

    public ServerSetup(DataDirectory data, DataKeyRing keys, GatewayConfig gateway, DispatchConfig dispatch,
                       CarrierDirectory carriers, SupervisionSettings supervision) {
        this(data, keys, gateway, dispatch, carriers, supervision, CheckpointPolicy.DEFAULTS, null, null, null);
    }

    /** The same setup with the staff API on (settings) or off (null). */
    public ServerSetup withStaffApi(StaffApiSettings settings) {
        return new ServerSetup(data, keys, gateway, dispatch, carriers, supervision, checkpoints, locationRetention,
                settings, redis);
    }

    /** The same setup with these checkpoints and location retention (null: keep locations). */
    public ServerSetup withRecordKeeping(CheckpointPolicy policy, Period retention) {
        return new ServerSetup(data, keys, gateway, dispatch, carriers, supervision, policy, retention, staffApi,
                redis);
    }

    /** The same setup on a shared Redis log (docs/redis.md). */
    public ServerSetup withRedis(RedisStoreOptions options) {
        return new ServerSetup(data, keys, gateway, dispatch, carriers, supervision, checkpoints, locationRetention,
                staffApi, options);
    }

    public ServerSetup(DataDirectory data, DataKeyRing keys, GatewayConfig gateway, DispatchConfig dispatch,
                       CarrierDirectory carriers) {
        this(data, keys, gateway, dispatch, carriers, SupervisionSettings.DEFAULTS);
    }

    public static ServerSetup gatewayOnly(DataDirectory data, DataKeyRing keys, GatewayConfig gateway) {
        return new ServerSetup(data, keys, gateway, null, null);
    }
}
