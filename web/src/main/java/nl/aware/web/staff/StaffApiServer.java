package nl.aware.web.staff;

import io.micrometer.core.instrument.MeterRegistry;
import nl.aware.core.intake.EventRecorder;
import nl.aware.core.admin.Administration;
import nl.aware.core.staff.PasswordHasher;
import nl.aware.core.state.ServerState;
import nl.aware.http.HttpServer;
import nl.aware.http.HttpServerSettings;
import nl.aware.http.ServerTls;
import nl.aware.web.console.ConsoleFiles;
import nl.aware.web.console.ConsoleHandler;
import nl.aware.monitoring.supervision.DeviceSupervisor;
import nl.aware.records.history.AlertIndex;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;

/**
 * The staff API: HTTPS (TLS 1.3, the deployment's server certificate; staff authenticate with a
 * password and a bearer token, not a client certificate), JSON, on its own address and port, served by
 * the toolkit ({@link HttpServer}: connection cap, request deadline, security headers for browsers).
 * Low volume: one event loop for TLS and HTTP, two worker threads for the routes, which also bounds
 * how many Argon2 hashes (19 MiB each) run at once.
 */
public final class StaffApiServer implements AutoCloseable {
    static final int MAX_REQUEST_BODY = 16 * 1024;
    static final int WORKER_THREADS = 2;

    private final HttpServer http;
    private final StaffSessions sessions;
    private final Administration administration;
    private final MoreRoutes controlRoom; // null: no control room served

    private StaffApiServer(HttpServer http, StaffSessions sessions, Administration administration,
                           MoreRoutes controlRoom) {
        this.http = http;
        this.controlRoom = controlRoom;
        this.sessions = sessions;
        this.administration = administration;
    }

    /**
     * Binds and serves.
     *
     * @param tls        TLS 1.3 with the deployment's server certificate
     * @param state      the projections: staff directory, devices, carriers
     * @param supervisor device supervision (last seen, battery)
     * @param recorder   appends an event to the log; its future completes once durable
     * @param index      every alert as a list row (a projection registered before the log was replayed)
     * @param alerts     one alert's full record and evidence, read from the log
     * @param clock      session expiry and trail times
     * @param administration the live acts on carriers and devices, closed with this server; null: none (503)
     * @param controlRoom the control-room API and page under /control/, closed with this server; null: none
     */
    public static StaffApiServer start(StaffApiSettings settings, ServerTls tls, ServerState state,
                                       DeviceSupervisor supervisor, EventRecorder recorder,
                                       AlertIndex index, AlertRecords alerts, Administration administration,
                                       Clock clock, MeterRegistry registry, MoreRoutes controlRoom) throws IOException {
        StaffSessions sessions = new StaffSessions(state.staff(), clock, settings.idleTimeout(), settings.absoluteTimeout());
        HttpServerSettings http = HttpServerSettings.of("staff API", settings.bindAddress(), settings.port(), tls)
                .withMaxConnections(settings.maxConnections())
                .withRequestDeadline(settings.requestDeadline())
                .withMaxBodyBytes(MAX_REQUEST_BODY)
                .withWorkerThreads(WORKER_THREADS)
                .withHeaders(settings.console().securityHeaders())
                .withProxy(settings.trustedProxy());
        HttpServer server;
        try {
            server = HttpServer.start(http, workers -> {
                StaffAudit audit = new StaffAudit(recorder, workers, clock, registry);
                PasswordHasher hasher = new PasswordHasher();
                LoginThrottle throttle = new LoginThrottle(clock);
                RouteTable routes = StaffRoutes.table(
                        new SessionRoutes(state.staff(), sessions, hasher, throttle, audit, clock, settings.idleTimeout()),
                        new AccountRoutes(state.staff(), sessions, hasher, throttle, audit, clock),
                        new DeviceRoutes(state.devices(), state.carriers(), supervisor),
                        new CarrierRoutes(state.carriers()),
                        new TrailRoutes(state.staff()),
                        new AlertRoutes(index, alerts, clock),
                        new AdministrationRoutes(administration),
                        new HoldRoutes(index, audit));
                if (controlRoom != null) {
                    RouteTable.Builder both = RouteTable.builder();
                    routes.routes().forEach(both::add);
                    controlRoom.serve(sessions, audit).forEach(both::add);
                    routes = both.build();
                }
                // The console's pages share the origin (and so the session cookie and the headers) with the API.
                return new ConsoleHandler(new ConsoleFiles(settings.console()),
                        new StaffRequestHandler(routes, sessions, audit));
            });
        } catch (IOException | RuntimeException e) {
            if (controlRoom != null) {
                controlRoom.close();
            }
            if (administration != null) {
                administration.close();
            }
            throw e;
        }
        return new StaffApiServer(server.meteredIn(registry, "staff-api"), sessions, administration, controlRoom);
    }

    public InetSocketAddress address() {
        return http.address();
    }

    /** Live sessions (for tests and a gauge). */
    public int sessions() {
        return sessions.size();
    }

    @Override
    public void close() {
        if (controlRoom != null) {
            controlRoom.close(); // live streams end cleanly before their connections are cut
        }
        http.close();
        if (administration != null) {
            administration.close();
        }
    }
}
