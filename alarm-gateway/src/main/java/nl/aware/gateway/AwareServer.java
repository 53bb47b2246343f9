package nl.aware.gateway;

import nl.aware.gateway.netty.DeviceGateway;
import nl.aware.gateway.netty.GatewayMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.SslContext;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.admin.Administration;
import nl.aware.core.admin.CarrierRegistration;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.event.Region;
import nl.aware.dispatch.police.CarrierDirectory;
import nl.aware.core.intake.Intake;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.LogRecord;
import nl.aware.core.pki.Pem;
import nl.aware.core.pki.PkiException;
import nl.aware.core.state.DeviceRegistry;
import nl.aware.core.state.ServerState;
import nl.aware.records.history.AlertIndex;
import nl.aware.core.store.EventStore;
import nl.aware.dispatch.Dispatcher;
import nl.aware.dispatch.callback.CallbackServer;
import nl.aware.dispatch.work.DispatchProjection;
import nl.aware.monitoring.health.ConsoleStaffed;
import nl.aware.monitoring.health.EventLogWritable;
import nl.aware.dispatch.ConsoleOperators;
import nl.aware.dispatch.lifecycle.LifecycleGate;
import nl.aware.gateway.netty.DeviceCommands;
import nl.aware.web.controlroom.ControlRoom;
import nl.aware.monitoring.health.HealthCheck;
import nl.aware.monitoring.supervision.DeviceSupervisor;
import nl.aware.web.staff.AlertRecords;
import nl.aware.web.staff.StaffApiServer;
import nl.aware.gateway.netty.DeviceTrust;
import nl.aware.http.ServerTls;
import nl.aware.gateway.netty.TlsContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One running server, and the composition root: the event log replayed into the projections, record
 * keeping, dispatch and the control rooms' callback, device supervision, the staff API, and last the
 * device gateway. Start-up order is the durability order: nothing listens before the log is recovered.
 * Each component is started here (never by its constructor) and pushed on one {@link Lifecycle} stack;
 * a failed start and {@link #close} both stop them from that stack, the last started first, the log last.
 */
public final class AwareServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AwareServer.class);

    private final StoreFactory.Opened store;
    private final ServerState state;
    private final Intake intake;
    private final DeviceGateway gateway;
    private final DispatchProjection projection;
    private final CallbackServer callback;
    private final DeviceSupervisor supervisor;
    private final List<HealthCheck> healthChecks;
    private final StaffApiServer staffApi; // null: no staff API
    private final Lifecycle lifecycle;
    private final DeviceCommands commands;
    private final LifecycleGate alertLifecycle;

    private AwareServer(StoreFactory.Opened store, ServerState state, Intake intake, DeviceGateway gateway,
                        DispatchProjection projection, CallbackServer callback, DeviceSupervisor supervisor,
                        StaffApiServer staffApi, List<HealthCheck> healthChecks, Lifecycle lifecycle,
                        DeviceCommands commands, LifecycleGate alertLifecycle) {
        this.commands = commands;
        this.alertLifecycle = alertLifecycle;
        this.store = store;
        this.staffApi = staffApi;
        this.supervisor = supervisor;
        this.healthChecks = List.copyOf(healthChecks);
        this.projection = projection;
        this.state = state;
        this.intake = intake;
        this.gateway = gateway;
        this.callback = callback;
        this.lifecycle = lifecycle;
    }

    /**
     * Recovers the log, starts dispatch (re-sending what was durable but undelivered), opens the
     * control rooms' callback, and only then lets devices in. A start that fails half-way stops what it
     * had started, in reverse order, and leaves the log closed (its lock released).
     */
    public static AwareServer start(ServerSetup setup, MeterRegistry registry, Clock clock)
            throws ConfigurationException, IOException, InterruptedException {
        DataDirectory data = setup.data();
        data.requirePki();
        // Projections first: they must see the replay.
        ServerState state = new ServerState();
        SslContext tls = serverTls(data, state.devices());
        AlertIndex alertIndex = new AlertIndex(); // the staff API's alert list, without a read of the log
        state.register(alertIndex);
        DispatchProjection projection = new DispatchProjection(state.devices(), state.openAlarms());
        state.register(projection);
        AtomicReference<Intake> intakeOnceOpen = new AtomicReference<>(); // the gate records once the log is open
        // One lifecycle gate for the police callback and the control-room console: one rule, one winner.
        LifecycleGate alertLifecycle = new LifecycleGate(projection, event -> intakeOnceOpen.get().record(event));
        ConsoleOperators operators = new ConsoleOperators(); // counted by the control-room console
        // Commands to devices (listen-in, ALERT_STATUS feedback): sees the replay, sends only once devices are in.
        DeviceCommands commands = new DeviceCommands(event -> intakeOnceOpen.get().record(event), state.openAlarms(),
                clock);
        ControlRoom controlRoom = setup.staffApi() == null ? null
                : new ControlRoom(state, operators, alertLifecycle, new CommandListening(commands), clock,
                        registry);
        if (controlRoom != null) {
            state.register(controlRoom.feed());
            state.register(controlRoom.listening());
        }
        DeviceSupervisor supervisor = new DeviceSupervisor(setup.supervision(), registry);
        state.register(supervisor);
        state.register(commands);
        RecordKeeping keeping = null;
        if (setup.redis() == null) {
            keeping = RecordKeeping.register(state, data, setup.keys(), setup.checkpoints(), setup.locationRetention(),
                    clock);
        } else {
            log.warn("on Redis, this node signs no checkpoints and runs no location retention: both work on the "
                    + "embedded log only for now (docs/redis.md)");
        }
        Lifecycle lifecycle = new Lifecycle();
        try {
            StoreFactory.Opened store = StoreFactory.open(data, setup.redis(), new EventCodec(setup.keys()), state,
                    setup.dispatch() == null ? null : projection, registry);
            lifecycle.owns("event store", store.store());
            Intake intake = new Intake(store.store(), state, clock);
            intakeOnceOpen.set(intake);
            // Each component goes on the stack before its start, so a start that fails half-way is undone too.
            if (keeping != null) {
                lifecycle.owns("record keeping", keeping).start(intake); // closed just before the log: signs its head
            }
            List<HealthCheck> checks = new ArrayList<>();
            checks.add(new EventLogWritable(store.store()::writable));
            CallbackServer callback = null;
            if (setup.dispatch() != null) {
                PoliceReachability police = new PoliceReachability();
                java.util.Set<Region> external = java.util.EnumSet.noneOf(Region.class);
                setup.dispatch().regions().forEach((region, route) -> {
                    if (route.receivers().external()) {
                        external.add(region);
                    } else {
                        checks.add(new ConsoleStaffed(region.label(), () -> operators.count(region)));
                    }
                });
                checks.addAll(police.checks(external));
                CarrierDirectory carriers = setup.carriers() != null ? setup.carriers()
                        : new RegistryCarriers(state.carriers());
                Dispatcher dispatcher = new Dispatcher(setup.dispatch(), projection, intake, carriers, police,
                        registry, clock, operators);
                lifecycle.owns("dispatch", dispatcher).start(store.dispatchWork());
                callback = lifecycle.owns("control-room callback", new CallbackServer(setup.dispatch().callback(),
                        Pem.readPrivateKey(data.serverKey()), new X509Certificate[] {
                                Pem.readCertificate(data.serverCertificate()), Pem.readCertificate(data.caCertificate())},
                        projection, alertLifecycle, registry));
            } else {
                log.warn("no dispatch configured: alarms are recorded but not forwarded (gateway-only mode)");
            }
            lifecycle.owns("device supervision", supervisor).start(intake);
            StaffApiServer staffApi = startStaffApi(setup, state, alertIndex, supervisor, intake, registry, clock,
                    controlRoom);
            if (staffApi != null) {
                lifecycle.owns("staff API", staffApi);
            }
            DeviceGateway gateway = lifecycle.owns("device gateway", DeviceGateway.start(setup.gateway(), tls,
                    state.devices(), intake, new GatewayMetrics(registry), clock));
            commands.attach(gateway);
            log.info("AWARE gateway listening on {} ({} TLS){}; {}, {} devices, {} open alarms",
                    gateway.address(), TlsContexts.provider(),
                    callback == null ? "" : ", control-room callback on " + callback.address(),
                    store.store().describe(), state.devices().size(), state.openAlarms().size());
            return new AwareServer(store, state, intake, gateway, projection, callback, supervisor, staffApi, checks,
                    lifecycle, commands, alertLifecycle);
        } catch (GeneralSecurityException | PkiException e) {
            lifecycle.close();
            throw new ConfigurationException("cannot set up dispatch TLS: " + e.getMessage(), e);
        } catch (SSLException e) {
            lifecycle.close();
            throw new ConfigurationException("cannot set up the callback's TLS: " + e.getMessage(), e);
        } catch (RuntimeException | InterruptedException | IOException | ConfigurationException e) {
            lifecycle.close();
            throw e;
        }
    }

    // --- Staff API (nl.aware.web.staff, docs/staff-api.md): started before devices, closed right after them ---

    /** Starts the staff API when the setup asks for one (before devices are let in); null when it does not. */
    private static StaffApiServer startStaffApi(ServerSetup setup, ServerState state, AlertIndex alertIndex,
                                                DeviceSupervisor supervisor,
                                                Intake intake, MeterRegistry registry, Clock clock,
                                                ControlRoom controlRoom)
            throws ConfigurationException, IOException {
        if (setup.staffApi() == null) {
            return null;
        }
        DataDirectory data = setup.data();
        try {
            X509Certificate ca = Pem.readCertificate(data.caCertificate());
            ServerTls tls = ServerTls.serverOnly(Pem.readPrivateKey(data.serverKey()),
                    Pem.readCertificate(data.serverCertificate()), ca);
            return StaffApiServer.start(setup.staffApi(), tls, state, supervisor, intake, alertIndex,
                    setup.redis() == null ? new LogAlertRecords(setup.data(), setup.keys())
                            : AlertRecords.unavailable("alert timelines, reports and evidence are read from the embedded "
                            + "log; on Redis use `aware log verify --redis` and the nodes' own tools (docs/redis.md)"),
                    new Administration(intake::record, state, deviceCa(data), PkiSetup.DEVICE_VALIDITY), clock, registry,
                    controlRoom);
        } catch (PkiException | SSLException e) {
            throw new ConfigurationException("cannot set up the staff API's TLS from " + data.pki() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The device CA that live hand-outs issue from (the data directory's pki, as `aware device enroll` uses);
     * null when this node holds no CA key (then hand-outs answer 503, everything else works).
     */
    private static CertificateAuthority deviceCa(DataDirectory data) {
        if (!java.nio.file.Files.isRegularFile(data.caKey())) {
            log.warn("no device CA key at {}: this node cannot hand out devices", data.caKey());
            return null;
        }
        try {
            return CertificateAuthority.load(data.caCertificate(), data.caKey());
        } catch (PkiException e) {
            log.warn("the device CA cannot be loaded, so this node cannot hand out devices: {}", e.getMessage());
            return null;
        }
    }

    /** The staff API's address, when it runs. */
    public InetSocketAddress staffApiAddress() {
        return staffApi == null ? null : staffApi.address();
    }

    // --- end of staff API -----------------------------------------------------------------------

    /** The devices' TLS: only a device's current, non-revoked certificate completes the handshake. */
    private static SslContext serverTls(DataDirectory data, DeviceRegistry devices) throws ConfigurationException {
        try {
            X509Certificate ca = Pem.readCertificate(data.caCertificate());
            return TlsContexts.deviceServer(Pem.readPrivateKey(data.serverKey()),
                    Pem.readCertificate(data.serverCertificate()), ca, DeviceTrust.of(ca, devices));
        } catch (PkiException | SSLException | IllegalArgumentException e) {
            throw new ConfigurationException("cannot set up TLS from " + data.pki() + ": " + e.getMessage(), e);
        }
    }

    /** Enrols (or re-enrols) a device while the server runs; durable when the future completes. */
    public CompletableFuture<LogRecord> enroll(long deviceId, Region region, X509Certificate certificate) {
        try {
            return intake.record(new Event.DeviceEnrolled(deviceId, region, certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Registers a carrier (eligibility checked; the profile is sealed in the log). Returns the carrier id.
     *
     * @throws IllegalArgumentException naming the criteria not met
     */
    public CompletableFuture<UUID> registerCarrier(Region region, CarrierProfile profile) {
        Event.CarrierRegistered registration = CarrierRegistration.of(region, profile);
        return intake.record(registration).thenApply(record -> registration.carrierId());
    }

    /** Hands a device to a registered carrier. */
    public CompletableFuture<LogRecord> assign(long deviceId, UUID carrierId) {
        return intake.record(new Event.DeviceAssigned(deviceId, carrierId));
    }

    /** Commands to connected devices: LOCATE, LISTEN, STOP, ALERT_STATUS (issue 14). */
    public DeviceCommands commands() {
        return commands;
    }

    /** A step of an alert's lifecycle, through the same gate as the control rooms' callback and console. */
    public CompletableFuture<LifecycleGate.Outcome> reportAlertStatus(Event.AlertStatusReported report) {
        return alertLifecycle.report(report);
    }

    /** Revokes a device while the server runs; its next frame is refused with NACK 3. */
    public CompletableFuture<LogRecord> revoke(long deviceId, String reason) {
        return intake.record(new Event.DeviceRevoked(deviceId, reason));
    }

    public InetSocketAddress address() {
        return gateway.address();
    }

    public ServerState state() {
        return state;
    }

    /** The embedded log; a node on the shared Redis log has none. */
    public EventLog eventLog() {
        if (store.embeddedLog() == null) {
            throw new IllegalStateException("this node keeps its log in Redis, not in an embedded log");
        }
        return store.embeddedLog();
    }

    /** Where this node's events become durable (the embedded log or Redis). */
    public EventStore store() {
        return store.store();
    }

    /** What readiness checks: the log is writable, and (with dispatch) each region's police answered lately. */
    public List<HealthCheck> healthChecks() {
        return healthChecks;
    }

    public DeviceSupervisor supervisor() {
        return supervisor;
    }

    /** Dispatch work durable but not yet delivered (or shed). */
    public int owedDispatchWork() {
        return projection.owedCount();
    }

    /** The control rooms' status callback, when dispatch is configured. */
    public InetSocketAddress callbackAddress() {
        return callback == null ? null : callback.address();
    }

    /** The components this server runs, in the order {@link #close} stops them. */
    List<String> closingOrder() {
        return lifecycle.closingOrder();
    }

    /**
     * Stops what {@link #start} started, the last first: devices, the staff API, supervision, the callback,
     * dispatch (work in flight stays owed in the log), record keeping (signs the head), and last the log,
     * which writes and fsyncs every append it had accepted.
     */
    @Override
    public void close() {
        lifecycle.close();
        log.info("AWARE gateway stopped; event log closed at sequence {}", store.store().lastSequence());
    }
}
