package nl.aware.web.staff;

import java.util.List;

/**
 * Routes another part of the web module serves on the staff server (the control room under /control/),
 * with the staff server's sessions and trail; closed before the server stops. Keeps this package free of
 * theirs: they depend on the staff server, not the other way round.
 */
public interface MoreRoutes extends AutoCloseable {
    /** Called once when the server starts. */
    List<Route> serve(StaffSessions sessions, StaffAudit audit);

    @Override
    void close();
}
