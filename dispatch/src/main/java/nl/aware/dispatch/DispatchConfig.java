package nl.aware.dispatch;

import nl.aware.core.event.Region;
import nl.aware.dispatch.police.Endpoint;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Where dispatch sends work and with which credentials. Every region whose receivers include an external
 * police system must have a primary police endpoint: a region without one would silently drop its carriers'
 * alarms. A console-only region needs none (its alarms go to the control-room console).
 *
 * @param regions        police routes per region
 * @param kadera         Kadera's route for escalations and device notices
 * @param limits         queueing, retry and escalation settings
 * @param requestTimeout one attempt's limit (connect and answer)
 * @param clientKey      our client key for mutual TLS to police and Kadera
 * @param clientChain    our client certificate chain
 * @param trustedServers CAs that issue the police and Kadera server certificates
 * @param callback       the inbound status callback for control rooms
 */
public record DispatchConfig(Map<Region, RegionRoute> regions, Endpoint kadera, DispatchLimits limits,
                             Duration requestTimeout, PrivateKey clientKey, X509Certificate[] clientChain,
                             X509Certificate[] trustedServers, CallbackConfig callback) {

    /**
     * A region's receivers and its police control room's system: primary endpoint, optional secondary for
     * failover (both null for a console-only region).
     */
    public record RegionRoute(Endpoint primary, Endpoint secondary, Receivers receivers) {
        public RegionRoute {
            java.util.Objects.requireNonNull(receivers, "receivers");
        }

        /** A region served by its control room's own system only. */
        public RegionRoute(Endpoint primary, Endpoint secondary) {
            this(primary, secondary, Receivers.EXTERNAL);
        }
    }

    /**
     * The callback control rooms report status to.
     *
     * @param bindAddress    address to listen on
     * @param port           port (0 for any free port)
     * @param trustedClients CA(s) issuing control rooms' client certificates
     * @param reporters      the client certificate CN allowed to report for each region
     */
    public record CallbackConfig(String bindAddress, int port, X509Certificate[] trustedClients,
                                 Map<Region, String> reporters) {
    }

    public DispatchConfig {
        regions = new EnumMap<>(regions);
        for (Region region : Region.values()) {
            if (!regions.containsKey(region)) {
                throw new IllegalArgumentException("no receivers for region " + region.label()
                        + ": its carriers' alarms would have nowhere to go");
            }
            boolean external = regions.get(region).receivers().external();
            if (external && regions.get(region).primary() == null) {
                throw new IllegalArgumentException("no police endpoint for region " + region.label()
                        + ": its carriers' alarms would have nowhere to go");
            }
            if (external && !callback.reporters().containsKey(region)) {
                throw new IllegalArgumentException("no control-room client named for region " + region.label()
                        + "'s status callbacks");
            }
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be positive, was " + requestTimeout);
        }
    }
}
