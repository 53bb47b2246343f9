package nl.aware.gateway;

import nl.aware.gateway.netty.DeviceGateway;
import nl.aware.gateway.netty.GatewayMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.SslContext;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.admin.CarrierRegistration;
import nl.aware.core.event.Region;
import nl.aware.dispatch.police.CarrierDirectory;
import nl.aware.core.intake.Intake;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.log.LogRecord;
import nl.aware.core.log.RecoveryReport;
import nl.aware.core.pki.Pem;
import nl.aware.core.pki.PkiException;
import nl.aware.core.state.ServerState;
import nl.aware.records.history.AlertIndex;
import nl.aware.core.store.EmbeddedStore;
import nl.aware.core.store.EventStore;
import nl.aware.redis.FailoverStore;
import nl.aware.redis.RedisStore;
import nl.aware.dispatch.work.Priority;
import nl.aware.redis.RedisWorkQueue;
import nl.aware.dispatch.Dispatcher;
import nl.aware.dispatch.callback.CallbackServer;
import nl.aware.dispatch.work.DispatchProjection;
import nl.aware.monitoring.health.ConsoleStaffed;
import nl.aware.monitoring.health.EventLogWritable;
import nl.aware.dispatch.ConsoleOperators;
import nl.aware.dispatch.lifecycle.LifecycleGate;
import nl.aware.web.controlroom.ControlRoom;
import nl.aware.monitoring.health.HealthCheck;
import nl.aware.monitoring.supervision.DeviceSupervisor;
import nl.aware.web.staff.AlertRecords;
import nl.aware.web.staff.StaffApiServer;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CompletableFuture;

/**
 * One running server: the event log replayed into the projections, the intake, the device gateway.
 * Start-up order is the durability order: nothing listens before the log is recovered.
 */
public final class AwareServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AwareServer.class);

    private final EventStore store;
    private final RedisWorkQueue workQueue;
    private final ServerState state;
    private final Intake intake;
    private final DeviceGateway gateway;
    private final DispatchProjection projection;
    private final Dispatcher dispatcher;
    private final CallbackServer callback;
    private final DeviceSupervisor supervisor;
    private final RecordKeeping keeping;
    private final List<HealthCheck> healthChecks;
    private final StaffApiServer staffApi; // null: no staff API

    private AwareServer(EventStore store, RedisWorkQueue workQueue, ServerState state, Intake intake,
                        DeviceGateway gateway, DispatchProjection projection, Dispatcher dispatcher,
                        CallbackServer callback, DeviceSupervisor supervisor, RecordKeeping keeping,
                        StaffApiServer staffApi, List<HealthCheck> healthChecks) {
        this.store = store;
        this.workQueue = workQueue;
        this.keeping = keeping;
        this.staffApi = staffApi;
        this.supervisor = supervisor;
        this.healthChecks = List.copyOf(healthChecks);
        this.projection = projection;
        this.state = state;
        this.intake = intake;
        this.gateway = gateway;
        this.dispatcher = dispatcher;
        this.callback = callback;
    }

    /**
     * Recovers the log, starts dispatch (re-sending what was durable but undelivered), opens the
     * control rooms' callback, and only then lets devices in.
     */
    public static AwareServer start(ServerSetup setup, MeterRegistry registry, Clock clock)
            throws ConfigurationException, IOException, InterruptedException {
        DataDirectory data = setup.data();
        data.requirePki();
        SslContext tls = serverTls(data);
        ServerState state = new ServerState();
        AlertIndex alertIndex = new AlertIndex(); // the staff API's alert list, without a read of the log
        state.register(alertIndex);
        DispatchProjection projection = new DispatchProjection(state.devices(), state.openAlarms());
        state.register(projection);
        AtomicReference<Intake> intakeOnceOpen = new AtomicReference<>(); // supervision records only after start()
        // One lifecycle gate for the police callback and the control-room console: one rule, one winner.
        LifecycleGate lifecycle = new LifecycleGate(projection, event -> intakeOnceOpen.get().record(event));
        ConsoleOperators operators = new ConsoleOperators(); // counted by the control-room console
        ControlRoom controlRoom = setup.staffApi() == null ? null : new ControlRoom(state, operators, lifecycle, clock);
        if (controlRoom != null) {
            state.register(controlRoom.feed());
        }
        DeviceSupervisor supervisor = new DeviceSupervisor(setup.supervision(),
                event -> intakeOnceOpen.get().record(event), registry);
        state.register(supervisor);
        RecordKeeping keeping = null;
        if (setup.redis() == null) {
            keeping = RecordKeeping.register(state, data, setup.keys(), setup.checkpoints(), setup.locationRetention(),
                    clock);
        } else {
            log.warn("on Redis, this node signs no checkpoints and runs no location retention: both work on the "
                    + "embedded log only for now (docs/redis.md)");
        }
        EventCodec codec = new EventCodec(setup.keys());
        // With several nodes on Redis, dispatch work comes from the shared work streams (docs/redis.md).
        AtomicReference<EventStore> storeOnceOpen = new AtomicReference<>();
        RedisWorkQueue workQueue = setup.redis() == null || setup.dispatch() == null ? null
                : new RedisWorkQueue(setup.redis(), projection, () -> storeOnceOpen.get().lastSequence());
        if (workQueue != null) {
            state.register(workQueue);
        }
        EventStore eventLog = setup.redis() == null ? new EmbeddedStore(openLog(data, codec, registry, state), codec, state)
                : openRedis(setup, codec, state, registry);
        storeOnceOpen.set(eventLog);
        List<AutoCloseable> started = new ArrayList<>();
        try {
            Intake intake = new Intake(eventLog, clock);
            intakeOnceOpen.set(intake);
            List<HealthCheck> checks = new ArrayList<>();
            checks.add(new EventLogWritable(eventLog::writable));
            Dispatcher dispatcher = null;
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
                dispatcher = new Dispatcher(setup.dispatch(), projection, intake::record, carriers, police,
                        registry, clock, operators);
                started.add(dispatcher);
                if (eventLog instanceof FailoverStore failover) {
                    // Degraded mode: work kept in this node's local log is dispatched by this node.
                    Dispatcher local = dispatcher;
                    projection.owed(item -> item.sequence() < 0).forEach(local::submit);
                    failover.onLocalWork(sequence -> projection.owedAt(sequence).ifPresent(local::submit));
                    // PANIC work already in Redis that no worker here holds cannot be read while Redis is away:
                    // send it from here (a worker elsewhere may send it too: the same id and body, a replay).
                    failover.onDegraded(() -> {
                        var panics = projection.owed(item -> item.sequence() > 0 && item.priority() == Priority.PANIC
                                && (workQueue == null || !workQueue.holds(item.itemId())));
                        if (!panics.isEmpty()) {
                            log.warn("degraded: this node sends the {} PANIC items owed in the shared log itself",
                                    panics.size());
                            panics.forEach(local::submit);
                        }
                    });
                }
                if (workQueue != null) {
                    dispatcher.startFed();
                    workQueue.start(dispatcher::submit);
                    started.add(0, workQueue);
                } else {
                    dispatcher.start();
                }
                callback = new CallbackServer(setup.dispatch().callback(), Pem.readPrivateKey(data.serverKey()),
                        new X509Certificate[] {Pem.readCertificate(data.serverCertificate()), Pem.readCertificate(data.caCertificate())},
                        projection, lifecycle);
                started.add(callback);
            } else {
                log.warn("no dispatch configured: alarms are recorded but not forwarded (gateway-only mode)");
            }
            supervisor.start();
            started.add(supervisor);
            if (keeping != null) {
                keeping.start(intake::record);
                started.add(keeping);
            }
            StaffApiServer staffApi = startStaffApi(setup, state, alertIndex, supervisor, intake, registry, clock,
                    controlRoom);
            if (staffApi != null) {
                started.add(staffApi);
            }
            DeviceGateway gateway = new DeviceGateway(setup.gateway(), tls, state.devices(), intake,
                    new GatewayMetrics(registry), clock);
            log.info("AWARE gateway listening on {} ({} TLS){}; {}, {} devices, {} open alarms",
                    gateway.address(), TlsContexts.provider(),
                    callback == null ? "" : ", control-room callback on " + callback.address(),
                    eventLog.describe(), state.devices().size(), state.openAlarms().size());
            return new AwareServer(eventLog, workQueue, state, intake, gateway, projection, dispatcher, callback,
                    supervisor, keeping, staffApi, checks);
        } catch (GeneralSecurityException | PkiException e) {
            undo(started, eventLog);
            throw new ConfigurationException("cannot set up dispatch TLS: " + e.getMessage(), e);
        } catch (SSLException e) {
            undo(started, eventLog);
            throw new ConfigurationException("cannot set up the callback's TLS: " + e.getMessage(), e);
        } catch (RuntimeException | InterruptedException | IOException | ConfigurationException e) {
            undo(started, eventLog);
            throw e;
        }
    }

    // --- Staff API (nl.aware.web.staff, docs/staff-api.md): started before devices, closed first ---

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
            SslContext tls = TlsContexts.staffServer(Pem.readPrivateKey(data.serverKey()),
                    Pem.readCertificate(data.serverCertificate()), ca);
            return StaffApiServer.start(setup.staffApi(), tls, state, supervisor, intake::record, alertIndex,
                    setup.redis() == null ? new LogAlertRecords(setup.data(), setup.keys())
                            : AlertRecords.unavailable("alert timelines, reports and evidence are read from the embedded "
                            + "log; on Redis use `aware log verify --redis` and the nodes' own tools (docs/redis.md)"),
                    clock, registry, controlRoom);
        } catch (PkiException | SSLException e) {
            throw new ConfigurationException("cannot set up the staff API's TLS from " + data.pki() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The staff API's address, when it runs. */
    public InetSocketAddress staffApiAddress() {
        return staffApi == null ? null : staffApi.address();
    }

    // --- end of staff API -----------------------------------------------------------------------

    /** The shared Redis log, with this node's local log for degraded mode when one is configured. */
    private static EventStore openRedis(ServerSetup setup, EventCodec codec, ServerState state, MeterRegistry registry)
            throws IOException {
        RedisStore redis = RedisStore.open(setup.redis(), codec, state, registry);
        if (setup.redis().fallbackLog() == null) {
            return redis;
        }
        try {
            return FailoverStore.open(redis, setup.redis().fallbackLog(), codec, state, registry);
        } catch (IOException | RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    /** A start that failed half-way closes what it had started, the log last. */
    private static void undo(List<AutoCloseable> started, EventStore eventLog) {
        for (AutoCloseable closeable : started) {
            closeQuietly(closeable);
        }
        eventLog.close();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("while undoing a failed start: {}", e.toString());
        }
    }

    /** Opens the log and replays it into {@code state}. A record that is not a valid event stops start-up. */
    public static EventLog openLog(DataDirectory data, EventCodec codec, MeterRegistry registry, ServerState state)
            throws IOException {
        try {
            return EventLog.open(EventLogOptions.defaults(data.log()), registry,
                    record -> state.apply(record, decode(codec, record)));
        } catch (UndecodableRecord e) {
            throw new IOException(e.getCause().getMessage() + " in " + data.log(), e.getCause());
        }
    }

    private static SslContext serverTls(DataDirectory data) throws ConfigurationException {
        try {
            X509Certificate ca = Pem.readCertificate(data.caCertificate());
            return TlsContexts.server(Pem.readPrivateKey(data.serverKey()), Pem.readCertificate(data.serverCertificate()),
                    ca, ca);
        } catch (PkiException | SSLException e) {
            throw new ConfigurationException("cannot set up TLS from " + data.pki() + ": " + e.getMessage(), e);
        }
    }

    private static Event decode(EventCodec codec, LogRecord record) {
        try {
            return codec.decode(record);
        } catch (EventFormatException e) {
            throw new UndecodableRecord(e);
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
        if (store instanceof EmbeddedStore embedded) {
            return embedded.eventLog();
        }
        throw new IllegalStateException("this node keeps its log in Redis, not in an embedded log");
    }

    /** Where this node's events become durable (the embedded log or Redis). */
    public EventStore store() {
        return store;
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

    /** Stops the staff API and devices first, then dispatch, then lets the log finish every append it accepted. */
    @Override
    public void close() {
        if (staffApi != null) {
            staffApi.close();
        }
        gateway.close();
        supervisor.close();
        if (callback != null) {
            callback.close();
        }
        if (workQueue != null) {
            workQueue.close();
        }
        if (dispatcher != null) {
            dispatcher.close();
        }
        if (keeping != null) {
            keeping.close(); // last: signs the head as the log will be closed
        }
        store.close();
        log.info("AWARE gateway stopped; event log closed at sequence {}", store.lastSequence());
    }

    private static final class UndecodableRecord extends RuntimeException {
        UndecodableRecord(EventFormatException cause) {
            super(cause);
        }
    }
}
