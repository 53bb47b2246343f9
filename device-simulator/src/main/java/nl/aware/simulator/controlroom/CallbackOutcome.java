package nl.aware.simulator.controlroom;

import java.time.Instant;

/**
 * The end of one status report through the callback.
 *
 * @param room        the reporting control room
 * @param alertId     the alert reported on
 * @param incidentRef the control room's reference
 * @param status      acknowledged, unit_dispatched, on_scene or closed
 * @param httpStatus  the last answer's HTTP status; 0 when no answer came (connection failure, timeout)
 * @param attempts    how many times it was sent
 * @param error       the last failure, "" when delivered
 * @param at          when the outcome was settled
 */
public record CallbackOutcome(String room, String alertId, String incidentRef, String status, int httpStatus,
                              int attempts, String error, Instant at) {
    /** True when our server took the report (204). */
    public boolean delivered() {
        return httpStatus == 204;
    }
}
