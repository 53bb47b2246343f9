package nl.aware.web.controlroom;

import io.micrometer.core.instrument.MeterRegistry;
import nl.aware.core.state.Projection;
import nl.aware.core.state.ServerState;
import nl.aware.dispatch.ConsoleOperators;
import nl.aware.dispatch.lifecycle.LifecycleGate;
import nl.aware.web.staff.MoreRoutes;
import nl.aware.web.staff.Route;
import nl.aware.web.staff.StaffAudit;
import nl.aware.web.staff.StaffSessions;

import java.time.Clock;
import java.util.List;

/**
 * The control-room console's server side, assembled: the {@link AlertFeed} (register it with the state
 * before the log is replayed), the live streams, and the routes the staff server serves under
 * {@code /control/v1/}. Served by the staff API's server (same origin, same sessions); closed before it.
 */
public final class ControlRoom implements MoreRoutes {
    private final ServerState state;
    private final ConsoleOperators operators;
    private final LifecycleGate gate;
    private final Clock clock;
    private final AlertFeed feed;
    private final ListeningSessions listening;
    private volatile LiveStreams streams; // null until served: changes of the replay go nowhere

    /**
     * @param operators counted here by open streams; dispatch and health read them
     * @param gate      the server's one lifecycle gate, shared with the police callback (it may record only once
     *                  the log is open: it is used once the staff server serves)
     * @param registry  the node's meters: live listening's delivery timer
     */
    public ControlRoom(ServerState state, ConsoleOperators operators, LifecycleGate gate, DeviceListening devices,
                       Clock clock, MeterRegistry registry) {
        this.state = state;
        this.operators = operators;
        this.gate = gate;
        this.clock = clock;
        this.feed = new AlertFeed(state.devices(), state.openAlarms(), change -> {
            LiveStreams live = streams;
            if (live != null) {
                live.changed(change);
            }
        });
        this.listening = new ListeningSessions(state.openAlarms(), devices, clock, new ListeningMetrics(registry, clock));
    }

    /** The projection to register with the server state before the log is opened. */
    public AlertFeed feed() {
        return feed;
    }

    /** The live-listening projection to register with the server state before the log is opened. */
    public Projection listening() {
        return listening;
    }

    /** Starts the live streams and returns the routes; called once by the staff API server. */
    @Override
    public List<Route> serve(StaffSessions sessions, StaffAudit audit) {
        LiveStreams live = new LiveStreams(operators, sessions, clock);
        live.feed(feed);
        streams = live;
        listening.serve(sessions, audit::record);
        List<Route> routes = new java.util.ArrayList<>(new ControlRoomRoutes(feed, live, listening, gate,
                state.staff(), state.carriers(), audit, clock).routes());
        routes.addAll(new ConsolePages().routes());
        return routes;
    }

    /** Consoles connected now. */
    public int streams() {
        LiveStreams live = streams;
        return live == null ? 0 : live.open();
    }

    /** Ends every stream cleanly. */
    @Override
    public void close() {
        listening.close(); // first: their ends go on the record while the log is still open
        LiveStreams live = streams;
        if (live != null) {
            live.close();
        }
    }
}
