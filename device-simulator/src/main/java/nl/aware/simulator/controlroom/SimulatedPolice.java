package nl.aware.simulator.controlroom;

import nl.aware.core.event.Region;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.dispatch.DispatchConfig;
import nl.aware.dispatch.Receivers;
import nl.aware.dispatch.DispatchLimits;
import nl.aware.dispatch.police.Endpoint;

import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The outside world of one deployment, simulated: a control room per region that walks each alert
 * through its lifecycle back to our callback, and Kadera's route. Everything speaks mutual TLS 1.3
 * with certificates from the deployment's own CA. Gives the server the {@link DispatchConfig} that
 * points at it.
 */
public final class SimulatedPolice implements AutoCloseable {
    public static final String DISPATCH_CLIENT = "aware-dispatch";
    private static final Duration VALIDITY = Duration.ofDays(30);

    private final CertificateAuthority ca;
    private final int callbackPort;
    private final Map<Region, SimulatedControlRoom> rooms = new EnumMap<>(Region.class);
    private final SimulatedKadera kadera;

    private SimulatedPolice(CertificateAuthority ca, int callbackPort, Map<Region, SimulatedControlRoom> rooms,
                            SimulatedKadera kadera) {
        this.ca = ca;
        this.callbackPort = callbackPort;
        this.rooms.putAll(rooms);
        this.kadera = kadera;
    }

    /**
     * Starts both regions' control rooms and Kadera.
     *
     * @param lifecycleScale how fast the control rooms walk an alert (1.0: about 25 s to closed), or 0 for no walk
     */
    public static SimulatedPolice start(CertificateAuthority ca, double lifecycleScale, ArrivalListener listener)
            throws IOException, InterruptedException, GeneralSecurityException {
        int callbackPort = LoopbackPorts.free();
        IssuedCredential serverCredential = ca.issueServer("simulated police", List.of("localhost"),
                List.of("127.0.0.1"), VALIDITY);
        X509Certificate trusted = ca.certificate();
        Map<Region, SimulatedControlRoom> rooms = new EnumMap<>(Region.class);
        SimulatedKadera kadera = null;
        try {
            for (Region region : Region.values()) {
                LifecycleOptions lifecycle = lifecycleScale <= 0 ? null
                        : LifecycleOptions.of(URI.create("https://127.0.0.1:" + callbackPort + "/"),
                        ca.issueClient(controlRoomClient(region), VALIDITY), trusted).scaled(lifecycleScale);
                SimulatedControlRoom room = new SimulatedControlRoom(ReceiverOptions.named(region.label())
                        .withIncidentPrefix(region.label().substring(0, 3).toUpperCase()),
                        serverCredential, trusted, lifecycle, listener);
                rooms.put(region, room);
                room.start();
            }
            kadera = new SimulatedKadera(ReceiverOptions.named("kadera"), serverCredential, trusted, listener);
            kadera.start();
            return new SimulatedPolice(ca, callbackPort, rooms, kadera);
        } catch (IOException | InterruptedException | GeneralSecurityException | RuntimeException e) {
            rooms.values().forEach(SimulatedReceiver::close);
            if (kadera != null) {
                kadera.close();
            }
            throw e;
        }
    }

    public static String controlRoomClient(Region region) {
        return "control-room-" + region.label();
    }

    /** Dispatch settings pointing at these receivers, with the callback on the port they report to. */
    public DispatchConfig dispatchConfig(Duration escalateAfter) {
        return dispatchConfig(escalateAfter, Map.of());
    }

    /**
     * As {@link #dispatchConfig(Duration)}, with some regions' receivers other than external: a console-only
     * region gets no police endpoint and no callback client.
     */
    public DispatchConfig dispatchConfig(Duration escalateAfter, Map<Region, Receivers> receivers) {
        IssuedCredential client = ca.issueClient(DISPATCH_CLIENT, VALIDITY);
        Map<Region, DispatchConfig.RegionRoute> routes = new EnumMap<>(Region.class);
        Map<Region, String> reporters = new EnumMap<>(Region.class);
        for (Region region : Region.values()) {
            Receivers served = receivers.getOrDefault(region, Receivers.EXTERNAL);
            if (!served.external()) {
                routes.put(region, new DispatchConfig.RegionRoute(null, null, served));
                continue;
            }
            routes.put(region, new DispatchConfig.RegionRoute(
                    new Endpoint(region.label() + "/primary", rooms.get(region).baseUrl()), null, served));
            reporters.put(region, controlRoomClient(region));
        }
        X509Certificate[] trust = {ca.certificate()};
        return new DispatchConfig(routes, new Endpoint("kadera", kadera.baseUrl()),
                DispatchLimits.defaults().withEscalateAfter(escalateAfter), Duration.ofSeconds(5), client.privateKey(),
                new X509Certificate[] {client.certificate(), ca.certificate()}, trust,
                new DispatchConfig.CallbackConfig("127.0.0.1", callbackPort, trust, reporters));
    }

    /** The port the control rooms report lifecycle changes to: our server's status callback must listen there. */
    public int callbackPort() {
        return callbackPort;
    }

    public SimulatedControlRoom room(Region region) {
        return rooms.get(region);
    }

    public SimulatedKadera kadera() {
        return kadera;
    }

    public long duplicates() {
        return rooms.values().stream().mapToLong(SimulatedControlRoom::duplicates).sum() + kadera.duplicates();
    }

    public int alertCount() {
        return rooms.values().stream().mapToInt(SimulatedControlRoom::alertCount).sum();
    }


    @Override
    public void close() {
        rooms.values().forEach(SimulatedReceiver::close);
        kadera.close();
    }
}
